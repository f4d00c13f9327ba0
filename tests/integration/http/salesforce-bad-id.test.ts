import { Connection } from 'jsforce';
import nock from 'nock';
import type { Express } from 'express';
import request from 'supertest';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import { createApp } from '../../../backend/src/http/create-app';
import type { Db } from '../../../backend/src/store/db';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// On CRM=salesforce an id that cannot be a Salesforce id is the caller's mistake: the API
// answers 400 with a code naming it, and Salesforce is never called with it.

const INSTANCE = 'https://acme.my.salesforce.com';

describe('the HTTP API on Salesforce, given an id Salesforce cannot have', () => {
  let db: Db;
  let app: Express;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    db = await openTestDb('pglite');
    const crm = new SalesforceCrm(new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0' }));
    app = createApp({ ctx: await testContext(db, { crmFor: () => crm }) });
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await db.close();
  });

  it('when a company card asks for an account by a malformed id, then it answers 400 CRM_INVALID_ID naming the id', async () => {
    const salesforce = nock(INSTANCE).get(/.*/).reply(200, { totalSize: 0, done: true, records: [] });
    const res = await request(app).get('/api/v1/accounts/acc-1/advocacy').expect(400);
    expect(res.body.error).toMatchObject({ code: 'CRM_INVALID_ID', message: expect.stringContaining('not a Salesforce id: "acc-1"') });
    expect(salesforce.isDone()).toBe(false);
  });

  it('when a rep matches advocates for a deal by a malformed id, then it answers 400 CRM_INVALID_ID', async () => {
    const res = await request(app).post('/api/v1/deals/deal-1/reference-matches').send({ askType: 'reference_call', industry: 'Fintech' }).expect(400);
    expect(res.body.error.code).toBe('CRM_INVALID_ID');
  });
});
