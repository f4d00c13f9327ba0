import { Connection } from 'jsforce';
import nock from 'nock';
import { CrmError } from '../../../backend/src/crm/errors';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import type { CrmTask } from '../../../backend/src/crm/port';
import { buildAsk } from '../../support/builders';

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const noSleep = { timeoutMs: 2000, attempts: 3, baseDelayMs: 1, sleep: async () => {} };

function connect(refreshFn?: (conn: unknown, callback: (err: Error | null, token?: string) => void) => void) {
  return new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0', refreshFn: refreshFn as never });
}

const contact = (id: string, accountId: string, extra: Record<string, unknown> = {}) => ({
  attributes: { type: 'Contact' },
  Id: id,
  AccountId: accountId,
  FirstName: 'Dana',
  LastName: 'Reyes',
  Title: 'VP Customer Success',
  HasOptedOutOfEmail: false,
  NPS_Score__c: 10,
  NPS_Date__c: '2026-09-15',
  ...extra,
});

const account = (id: string, contacts: unknown[], extra: Record<string, unknown> = {}) => ({
  attributes: { type: 'Account' },
  Id: id,
  Name: `Account ${id}`,
  OwnerId: '005000000000001AAA',
  Owner: { Name: 'Sam Carter', Email: 'sam@example.com' },
  Health_Score__c: 88,
  Customer_Since__c: '2024-05-01',
  Strategic_Account__c: false,
  Industry: 'FinTech',
  BillingCountry: 'Germany',
  Contacts: contacts.length ? { totalSize: contacts.length, done: true, records: contacts } : null,
  ...extra,
});

const task = (k: number): CrmTask => ({
  idempotencyKey: `task:ask-${k}`,
  kind: 'ask',
  ownerId: '005000000000001AAA',
  accountId: '001000000000001AAA',
  contactId: '003000000000001AAA',
  dealId: null,
  subject: `Advocacy ask ${k}`,
  body: 'Proposed ask: quote',
  dueOn: '2026-11-29',
});

describe('Salesforce adapter (jsforce against a nock instance)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('when the portfolio is listed, then it pages by nextRecordsUrl with the batch size asked for and maps signals, contacts and the CSM', async () => {
    const first = nock(INSTANCE, { reqheaders: { 'sforce-query-options': 'batchSize=200' } })
      .get(`${API}/query`)
      .query((q) => typeof q.q === 'string' && q.q.startsWith('SELECT Id, Name, OwnerId, Owner.Name') && q.q.includes('FROM Contacts) FROM Account ORDER BY Id'))
      .reply(200, { totalSize: 3, done: false, nextRecordsUrl: `${API}/query/01gxx-2000`, records: [account('001A', [contact('003A', '001A')]), account('001B', [])] });
    const second = nock(INSTANCE, { reqheaders: { 'sforce-query-options': 'batchSize=2000' } })
      .get(`${API}/query/01gxx-2000`)
      .reply(200, { totalSize: 3, done: true, records: [account('001C', [contact('003C', '001C', { NPS_Score__c: 6, Title: 'Engineer' })])] });
    const crm = new SalesforceCrm(connect(), { policy: noSleep });

    // A scan page of 2 accounts: one query page; the cursor is where the next one starts.
    const p1 = await crm.listAccounts({ cursor: null, limit: 2 });
    expect(p1.nextCursor).toBe(`${API}/query/01gxx-2000`);
    expect(p1.items[0]).toEqual({
      account: expect.objectContaining({ accountId: '001A', ownerId: '005000000000001AAA', healthScore: 88, customerSince: '2024-05-01', industry: 'FinTech', region: 'Germany', strategic: false }),
      contacts: [{ contactId: '003A', accountId: '001A', firstName: 'Dana', lastName: 'Reyes', title: 'VP Customer Success', seniority: 'vp', doNotContact: false }],
      npsResponses: [{ contactId: '003A', date: '2026-09-15', score: 10 }],
      owner: { ownerId: '005000000000001AAA', name: 'Sam Carter', email: 'sam@example.com' },
    });
    expect(p1.items[1].contacts).toEqual([]);
    const p2 = await crm.listAccounts({ cursor: p1.nextCursor, limit: 2000 });
    expect(p2.nextCursor).toBeNull();
    expect(p2.items[0].contacts[0].seniority).toBe('individual');
    expect(first.isDone() && second.isDone()).toBe(true);
    expect(crm.calls).toBe(2);
  });

  it('when closed deals are listed for the reference KPIs, then closed Opportunities in the range page by nextRecordsUrl and map won and lost', async () => {
    const opp = (id: string, won: boolean, extra: Record<string, unknown> = {}) => ({ attributes: { type: 'Opportunity' }, Id: id, Name: `Opp ${id}`, AccountId: '001P', OwnerId: '005R', Amount: 42000, IsClosed: true, IsWon: won, CloseDate: '2026-10-20', Account: { Industry: 'FinTech' }, ...extra });
    const first = nock(INSTANCE, { reqheaders: { 'sforce-query-options': 'batchSize=2000' } })
      .get(`${API}/query`)
      .query((q) => q.q === 'SELECT Id, Name, AccountId, OwnerId, Amount, IsClosed, IsWon, CloseDate, Account.Industry, Account.BillingCountry FROM Opportunity WHERE IsClosed = true AND CloseDate >= 2026-06-01 AND CloseDate <= 2026-11-24 ORDER BY Id')
      .reply(200, { totalSize: 2, done: false, nextRecordsUrl: `${API}/query/01gopp-1`, records: [opp('006A', true)] });
    const second = nock(INSTANCE).get(`${API}/query/01gopp-1`).reply(200, { totalSize: 2, done: true, records: [opp('006B', false, { Amount: null })] });
    const crm = new SalesforceCrm(connect(), { policy: noSleep });
    const p1 = await crm.listClosedDeals({ from: '2026-06-01', to: '2026-11-24', cursor: null, limit: 2000 });
    expect(p1.items).toEqual([expect.objectContaining({ dealId: '006A', stage: 'won', amount: 42000, closeDate: '2026-10-20', accountId: '001P', industry: 'FinTech' })]);
    const p2 = await crm.listClosedDeals({ from: '2026-06-01', to: '2026-11-24', cursor: p1.nextCursor, limit: 2000 });
    expect(p2).toEqual({ items: [expect.objectContaining({ dealId: '006B', stage: 'lost', amount: null })], nextCursor: null });
    expect(first.isDone() && second.isDone()).toBe(true);
    await expect(crm.listClosedDeals({ from: "2026-06-01' OR Name != '", to: '2026-11-24', cursor: null, limit: 10 })).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('when an account has more contacts than the subquery returned, then the rest are fetched', async () => {
    nock(INSTANCE)
      .get(`${API}/query`)
      .query(true)
      .reply(200, { totalSize: 1, done: true, records: [account('001A', [], { Contacts: { totalSize: 2, done: false, nextRecordsUrl: `${API}/query/01gyy-1`, records: [contact('003A', '001A')] } })] });
    const more = nock(INSTANCE).get(`${API}/query/01gyy-1`).reply(200, { totalSize: 2, done: true, records: [contact('003B', '001A')] });
    const page = await new SalesforceCrm(connect(), { policy: noSleep }).listAccounts({ cursor: null, limit: 2000 });
    expect(page.items[0].contacts.map((c) => c.contactId)).toEqual(['003A', '003B']);
    expect(more.isDone()).toBe(true);
  });

  it('when Salesforce answers REQUEST_LIMIT_EXCEEDED, then the adapter raises the daily-limit stop (the scan keeps its checkpoint)', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).reply(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    const error = await new SalesforceCrm(connect(), { policy: noSleep }).listAccounts({ cursor: null, limit: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('CRM_DAILY_LIMIT');
    expect(error.stopsScan).toBe(true);
  });

  it('when a call fails with a 500, then it is retried and the answer used', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).reply(500, [{ message: 'boom', errorCode: 'UNKNOWN_EXCEPTION' }]);
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 0, done: true, records: [] });
    const page = await new SalesforceCrm(connect(), { policy: noSleep }).listAccounts({ cursor: null, limit: 2000 });
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it('when Salesforce keeps failing with 5xx, then it gives up after the bounded attempts as unavailable', async () => {
    const scope = nock(INSTANCE).get(`${API}/query`).query(true).times(3).reply(503, [{ message: 'down', errorCode: 'SERVER_UNAVAILABLE' }]);
    const error = await new SalesforceCrm(connect(), { policy: noSleep }).listAccounts({ cursor: null, limit: 2000 }).catch((e) => e);
    expect(error.code).toBe('CRM_UNAVAILABLE');
    expect(scope.isDone()).toBe(true);
  });

  it('when Salesforce does not answer in time, then the call times out', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).times(2).delay(300).reply(200, { totalSize: 0, done: true, records: [] });
    const error = await new SalesforceCrm(connect(), { policy: { ...noSleep, timeoutMs: 50, attempts: 2 } }).listAccounts({ cursor: null, limit: 2000 }).catch((e) => e);
    expect(error.code).toBe('CRM_TIMEOUT');
  });

  it('when the token has expired, then it is refreshed once and the call goes through with the new token', async () => {
    nock(INSTANCE, { reqheaders: { authorization: 'Bearer token-1' } }).get(`${API}/query`).query(true).reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const retried = nock(INSTANCE, { reqheaders: { authorization: 'Bearer token-2' } }).get(`${API}/query`).query(true).reply(200, { totalSize: 0, done: true, records: [] });
    const refreshFn = jest.fn((_conn, callback: (err: Error | null, token?: string) => void) => callback(null, 'token-2'));
    await new SalesforceCrm(connect(refreshFn as never), { policy: noSleep }).listAccounts({ cursor: null, limit: 2000 });
    expect(refreshFn).toHaveBeenCalledTimes(1);
    expect(retried.isDone()).toBe(true);
  });

  it('when tasks are created, then they go in one collection for the CSM and a refused one is reported alone', async () => {
    let body: { allOrNone: boolean; records: Array<Record<string, unknown>> } | undefined;
    nock(INSTANCE)
      .post(`${API}/composite/sobjects`, (b) => ((body = b), true))
      .reply(200, [
        { id: '00T000000000001', success: true, errors: [] },
        { success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Assigned To ID: owner is inactive' }] },
        { id: '00T000000000003', success: true, errors: [] },
      ]);
    const results = await new SalesforceCrm(connect(), { policy: noSleep }).createTasks([task(1), task(2), task(3)]);
    expect(results).toEqual([{ taskId: '00T000000000001' }, { error: 'FIELD_INTEGRITY_EXCEPTION: Assigned To ID: owner is inactive' }, { taskId: '00T000000000003' }]);
    expect(body!.allOrNone).toBe(false);
    expect(body!.records[0]).toEqual({
      attributes: { type: 'Task' },
      OwnerId: '005000000000001AAA',
      WhatId: '001000000000001AAA',
      WhoId: '003000000000001AAA',
      Subject: 'Advocacy ask 1',
      Description: 'Proposed ask: quote\n\n[advocacy-loop task:ask-1]',
      ActivityDate: '2026-11-29',
      Status: 'Not Started',
      Priority: 'Normal',
      Advocacy_Key__c: 'task:ask-1',
    });
  });

  it('when 250 asks are saved, then they go as upserts by external id in collections of 200 and 50, and a locked row is retried', async () => {
    const sizes: number[] = [];
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects/Advocacy_Ask__c/Ask_Id__c`, (b) => (sizes.push(b.records.length), true))
      .times(2)
      .reply(200, (_uri, b) =>
        (b as { records: unknown[] }).records.map((_, i) => (i === 0 && sizes.length === 1 ? { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' }] } : { id: `a01${i}`, success: true })),
      );
    const retry = nock(INSTANCE)
      .patch(`${API}/composite/sobjects/Advocacy_Ask__c/Ask_Id__c`, (b) => (sizes.push(b.records.length), b.records[0].Ask_Id__c === 'ask-0'))
      .reply(200, [{ id: 'a01retry', success: true }]);
    const asks = Array.from({ length: 250 }, (_, i) => ({ ask: buildAsk({ askId: `ask-${i}` }) }));
    const results = await new SalesforceCrm(connect(), { policy: noSleep }).saveAsks(asks);
    expect(sizes).toEqual([200, 50, 1]);
    expect(results.every((r) => 'crmAskId' in r)).toBe(true);
    expect(results[0]).toEqual({ crmAskId: 'a01retry' });
    expect(retry.isDone()).toBe(true);
  });

  it('when the org has used 75% of its daily API calls, then the adapter stops before using the reserve', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 2, done: false, nextRecordsUrl: `${API}/query/next`, records: [account('001A', [])] }, { 'Sforce-Limit-Info': 'api-usage=75000/100000' });
    const crm = new SalesforceCrm(connect(), { policy: noSleep });
    const page = await crm.listAccounts({ cursor: null, limit: 1 });
    const error = await crm.listAccounts({ cursor: page.nextCursor, limit: 2000 }).catch((e) => e);
    expect(error.code).toBe('CRM_DAILY_LIMIT');
    expect(error.message).toMatch(/75000\/100000/);
    expect(crm.calls).toBe(1);
  });

  it('when account write-backs are partly refused, then the failure names how many', async () => {
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects`)
      .reply(200, [{ id: '001A', success: true }, { success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'bad value' }] }]);
    const updates = ['001A', '001B'].map((accountId) => ({ accountId, readinessScore: 80, band: 'green' as const, advocacyStatus: 'candidate', lastAskDate: null }));
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).writeBack(updates)).rejects.toThrow(/1 of 2 account updates/);
  });
});
