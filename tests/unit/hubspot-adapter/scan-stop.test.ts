import nock from 'nock';
import { loadCriteria } from '../../../backend/src/config/load-criteria';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Db } from '../../../backend/src/store/db';
import { API, AT, batchAnswer, buildCrm, company, rateLimitBody, useNockedStore } from './hubspot-fixtures';

const AS_OF = '2026-11-24';
const noContacts = () =>
  nock(API)
    .post('/crm/v4/associations/companies/contacts/batch/read')
    .reply(200, (_u, body) => batchAnswer((body as { inputs: Array<{ id: string }> }).inputs.map((i) => ({ from: { id: i.id }, to: [] }))));
const owners = () => nock(API).get('/crm/v3/owners/').query(true).reply(200, { results: [] });
const writeBack = (bodies: unknown[]) =>
  nock(API)
    .post('/crm/v3/objects/companies/batch/update', (b) => bodies.push(b) > 0)
    .reply(200, (_u, body) => batchAnswer((body as { inputs: Array<{ id: string; objectWriteTraceId: string }> }).inputs.map((i) => ({ id: i.id, properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT }))));

describe('HubSpot adapter inside the portfolio scan', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when HubSpot says the daily limit is spent mid-scan, then the scan stops with its checkpoint and the next run resumes from the page it had not read', async () => {
    const deps = { store: createStore(db), criteria: loadCriteria(), portalId: 'portal-scan', now: () => new Date(`${AS_OF}T09:00:00.000Z`) };
    // Health 30: nobody is ready, so the scan only reads and writes readiness back.
    nock(API).get('/crm/v3/objects/companies').query((q) => q.after === undefined).reply(200, { results: [company('1', { health_score: '30' }), company('2', { health_score: '30' })], paging: { next: { after: '3' } } });
    noContacts();
    owners();
    const firstWrites: unknown[] = [];
    writeBack(firstWrites);
    const daily = nock(API).get('/crm/v3/objects/companies').query((q) => q.after === '3').reply(429, rateLimitBody('DAILY'));

    const stopped = await runScan({ ...deps, crm: buildCrm(db, { portalId: 'portal-scan' }) }, { asOf: AS_OF, pageSize: 2 });

    expect(stopped.status).toBe('stopped');
    expect(stopped.stopReason).toMatch(/^CRM_DAILY_LIMIT/);
    expect(stopped.summary.evaluated).toBe(2);
    expect(daily.isDone()).toBe(true);
    expect(firstWrites).toHaveLength(1);

    const resumed = nock(API).get('/crm/v3/objects/companies').query((q) => q.after === '3').reply(200, { results: [company('3', { health_score: '30' })] });
    noContacts();
    owners();
    const secondWrites: Array<{ inputs: Array<{ id: string }> }> = [];
    writeBack(secondWrites);

    const done = await runScan({ ...deps, crm: buildCrm(db, { portalId: 'portal-scan' }) }, { asOf: AS_OF, pageSize: 2 });

    expect(done.status).toBe('done');
    expect(done.summary.evaluated).toBe(3);
    expect(done.newlyEvaluated).toBe(1);
    expect(resumed.isDone()).toBe(true);
    expect(secondWrites[0].inputs.map((i) => i.id)).toEqual(['3']);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
