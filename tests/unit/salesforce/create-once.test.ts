import { Connection } from 'jsforce';
import nock from 'nock';
import type { CrmTask } from '../../../backend/src/crm/port';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import type { Db } from '../../../backend/src/store/db';
import { openTestDb } from '../../support/store';

// Salesforce Tasks are created once per key: claimed in the store before the collection goes
// out, and after an answer that never came (a timeout, a 5xx), looked up by Advocacy_Key__c
// before anything is created again. nock stands in for the org.

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const noSleep = { timeoutMs: 2000, attempts: 3, baseDelayMs: 1, sleep: async () => {} };

const task = (k: number): CrmTask => ({
  idempotencyKey: `task:ask-${k}`,
  kind: 'ask',
  ownerId: '005000000000001AAA',
  accountId: '001000000000001AAA',
  contactId: null,
  dealId: null,
  subject: `Advocacy ask ${k}`,
  body: 'Proposed ask: quote',
  dueOn: '2026-11-29',
});

describe('Salesforce Tasks created once (jsforce against a nock org)', () => {
  let db: Db;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => {
    nock.cleanAll();
    await db.close();
  });
  afterAll(() => nock.enableNetConnect());

  const crm = () => new SalesforceCrm(new Connection({ instanceUrl: INSTANCE, accessToken: 't', version: '62.0' }), { policy: noSleep, createOnce: { db, portalId: 'salesforce:00D000000000001' } });
  const keyQuery = () => nock(INSTANCE).get(`${API}/query`).query((q) => typeof q.q === 'string' && q.q.includes('FROM Task WHERE Advocacy_Key__c IN'));

  it('when the same keys are created again, then Salesforce is not called and the ids come from the store', async () => {
    const scope = nock(INSTANCE).post(`${API}/composite/sobjects`).reply(200, [{ id: '00T000000000001', success: true, errors: [] }, { id: '00T000000000002', success: true, errors: [] }]);
    const first = await crm().createTasks([task(1), task(2)]);
    expect(scope.isDone()).toBe(true);
    await expect(crm().createTasks([task(2), task(1)])).resolves.toEqual([first[1], first[0]]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('when the org made the Tasks but the answer was a 500, then the create is not resent at once, and the retry finds them by Advocacy_Key__c and creates only the missing one', async () => {
    // Three attempts allowed for reads; a create goes once (a blind resend could make it twice).
    const once = nock(INSTANCE).post(`${API}/composite/sobjects`).reply(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'try later' }]);
    const failed = await crm().createTasks([task(1), task(2)]).catch((e) => e);
    expect(failed.code).toBe('CRM_UNAVAILABLE');
    expect(once.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);

    let asked = '';
    const lookup = keyQuery().reply(200, (uri) => {
      asked = new URL(uri, INSTANCE).searchParams.get('q')!;
      return { totalSize: 1, done: true, records: [{ attributes: { type: 'Task' }, Id: '00T000000000001', Advocacy_Key__c: 'task:ask-1' }] };
    });
    let created: Array<Record<string, unknown>> = [];
    const create = nock(INSTANCE)
      .post(`${API}/composite/sobjects`, (b) => ((created = b.records), true))
      .reply(200, [{ id: '00T000000000002', success: true, errors: [] }]);
    const results = await crm().createTasks([task(1), task(2)]);
    expect(lookup.isDone() && create.isDone()).toBe(true);
    expect(asked).toContain("IN ('task:ask-1', 'task:ask-2')");
    expect(created.map((r) => r.Advocacy_Key__c)).toEqual(['task:ask-2']);
    expect(results).toEqual([{ taskId: '00T000000000001' }, { taskId: '00T000000000002' }]);
  });

  it('when the lookup after a lost answer fails too, then nothing is created and the next try looks again', async () => {
    nock(INSTANCE).post(`${API}/composite/sobjects`).reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]);
    await crm().createTasks([task(1)]).catch(() => undefined);
    // A read is retried (3 attempts) before it fails.
    keyQuery().times(3).reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]);
    const down = await crm().createTasks([task(1)]).catch((e) => e);
    expect(down.code).toBe('CRM_UNAVAILABLE');
    expect(nock.pendingMocks()).toEqual([]);
    keyQuery().reply(200, { totalSize: 0, done: true, records: [] });
    const create = nock(INSTANCE).post(`${API}/composite/sobjects`).reply(200, [{ id: '00T000000000009', success: true, errors: [] }]);
    await expect(crm().createTasks([task(1)])).resolves.toEqual([{ taskId: '00T000000000009' }]);
    expect(create.isDone()).toBe(true);
  });

  it('when the daily limit refuses the collection (403 REQUEST_LIMIT_EXCEEDED), then the keys are free again and the next try creates without a lookup', async () => {
    nock(INSTANCE).post(`${API}/composite/sobjects`).reply(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
    const stopped = await crm().createTasks([task(1)]).catch((e) => e);
    expect(stopped.code).toBe('CRM_DAILY_LIMIT');
    const create = nock(INSTANCE).post(`${API}/composite/sobjects`).reply(200, [{ id: '00T000000000005', success: true, errors: [] }]);
    await expect(crm().createTasks([task(1)])).resolves.toEqual([{ taskId: '00T000000000005' }]);
    expect(create.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("when a key holds a quote or a backslash, then the lookup's SOQL literal is escaped", async () => {
    nock(INSTANCE).post(`${API}/composite/sobjects`).reply(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'x' }]);
    const odd: CrmTask = { ...task(1), idempotencyKey: "task:o'neil\\x" };
    await crm().createTasks([odd]).catch(() => undefined);
    let asked = '';
    keyQuery().reply(200, (uri) => {
      asked = new URL(uri, INSTANCE).searchParams.get('q')!;
      return { totalSize: 1, done: true, records: [{ attributes: { type: 'Task' }, Id: '00T000000000003', Advocacy_Key__c: odd.idempotencyKey }] };
    });
    await expect(crm().createTasks([odd])).resolves.toEqual([{ taskId: '00T000000000003' }]);
    expect(asked).toContain("IN ('task:o\\'neil\\\\x')");
  });
});
