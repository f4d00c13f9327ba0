import { randomBytes } from 'node:crypto';
import { Connection } from 'jsforce';
import nock from 'nock';
import { CrmError } from '../../../backend/src/crm/errors';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import { signCheckpoint } from '../../../backend/src/store/audit-checkpoint';

// The audit checkpoint kept in Salesforce: a completed Task of the integration user, related
// to no record, found again by its subject.

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const noSleep = { timeoutMs: 2000, attempts: 3, baseDelayMs: 1, sleep: async () => {} };
const connect = () => new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0' });
const key = { id: 'k-test', secret: randomBytes(32) };
const checkpoint = (seq: number) => signCheckpoint(key, { portalId: 'salesforce:00D000000000001', seq, hash: 'cd'.repeat(32), at: '2026-11-24T09:00:00.000Z' });

describe('Salesforce audit checkpoints (jsforce against a nock instance)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('when a checkpoint is saved and read back, then it is a completed Task with the token last in its description, and the highest seq wins', async () => {
    const sent: Array<Record<string, string>> = [];
    nock(INSTANCE)
      .post(`${API}/sobjects/Task`, (b) => sent.push(b) > 0)
      .times(2)
      .reply(201, { id: '00T000000000001AAA', success: true, errors: [] });
    const crm = new SalesforceCrm(connect(), { policy: noSleep });
    await crm.saveAuditCheckpoint(checkpoint(7));
    await crm.saveAuditCheckpoint(checkpoint(9));
    expect(sent[0]).toMatchObject({ Subject: 'Advocacy Loop audit checkpoint', Status: 'Completed', ActivityDate: '2026-11-24' });
    expect(sent[0]).not.toHaveProperty('WhatId');
    const scope = nock(INSTANCE)
      .get(`${API}/query`)
      .query((q) => q.q === "SELECT Description FROM Task WHERE Subject = 'Advocacy Loop audit checkpoint' ORDER BY CreatedDate DESC LIMIT 10")
      .reply(200, { totalSize: 3, done: true, records: [{ Description: sent[0].Description }, { Description: sent[1].Description }, { Description: 'edited by hand' }] });
    expect(await crm.latestAuditCheckpoint()).toEqual(checkpoint(9));
    expect(scope.isDone()).toBe(true);
  });

  it('when Salesforce refuses the Task or the daily limit is reached, then the failure is a CrmError naming it', async () => {
    nock(INSTANCE).post(`${API}/sobjects/Task`).reply(400, [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Tasks need a related record' }]);
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).saveAuditCheckpoint(checkpoint(1))).rejects.toMatchObject({ code: 'CRM_REJECTED' });
    nock(INSTANCE).get(`${API}/query`).query(true).reply(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).latestAuditCheckpoint()).rejects.toBeInstanceOf(CrmError);
  });
});
