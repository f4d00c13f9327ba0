import { Connection } from 'jsforce';
import nock from 'nock';
import { CrmError } from '../../../backend/src/crm/errors';
import type { AccountSignals } from '../../../backend/src/crm/port';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';

// getAccounts on Salesforce: one SOQL `Id IN (...)` query per 200 ids, contacts in the same query.

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const noSleep = { timeoutMs: 2000, attempts: 3, baseDelayMs: 1, sleep: async () => {} };
const connect = () => new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0' });

const sfIdOf = (k: number) => `001${String(k).padStart(12, '0')}AAA`;
const account = (id: string) => ({
  attributes: { type: 'Account' },
  Id: id,
  Name: `Account ${id}`,
  OwnerId: '005000000000001AAA',
  Owner: { Name: 'Sam Carter', Email: 'sam@example.com' },
  Health_Score__c: 88,
  Customer_Since__c: '2024-05-01',
  Strategic_Account__c: false,
  Contacts: { totalSize: 1, done: true, records: [{ attributes: { type: 'Contact' }, Id: `003${id.slice(3)}`, AccountId: id, FirstName: 'Dana', LastName: 'Reyes', Title: 'VP Customer Success', HasOptedOutOfEmail: false, NPS_Score__c: 10, NPS_Date__c: '2026-09-15' }] },
});

/** The ids a SOQL query names in its `Id IN (...)`. */
const idsIn = (soql: string) => [...(soql.match(/Id IN \(([^)]*)\)/)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);

describe('Salesforce adapter: many named accounts at once (jsforce against a nock instance)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('when 250 accounts are asked for, then two Id IN queries (200 and 50) read them with their contacts, and ids Salesforce does not have or cannot have are null', async () => {
    const asked = Array.from({ length: 250 }, (_, k) => sfIdOf(k));
    const queries: string[][] = [];
    const scope = nock(INSTANCE)
      .get(`${API}/query`)
      .query((q) => typeof q.q === 'string' && q.q.includes('FROM Contacts) FROM Account WHERE Id IN ('))
      .times(2)
      .reply(200, (uri) => {
        const names = idsIn(new URL(uri, INSTANCE).searchParams.get('q')!);
        queries.push(names);
        return { totalSize: names.length, done: true, records: names.filter((id) => id !== sfIdOf(249)).map(account) };
      });

    const read = await new SalesforceCrm(connect(), { policy: noSleep }).getAccounts([...asked, 'bad id; DELETE']);

    expect(scope.isDone()).toBe(true);
    expect(queries.map((q) => q.length)).toEqual([200, 50]);
    expect(queries.flat()).toEqual(asked);
    const first = read.get(sfIdOf(0)) as AccountSignals;
    expect(first.account).toMatchObject({ accountId: sfIdOf(0), name: `Account ${sfIdOf(0)}`, healthScore: 88 });
    expect(first.contacts.map((c) => c.contactId)).toEqual([`003${sfIdOf(0).slice(3)}`]);
    expect(read.get(sfIdOf(249))).toBeNull();
    expect(read.get('bad id; DELETE')).toBeNull();
  });

  it('when one of the queries keeps failing with 503, then only its ids come back as that error', async () => {
    const asked = Array.from({ length: 250 }, (_, k) => sfIdOf(k));
    nock(INSTANCE)
      .get(`${API}/query`)
      .query((q) => idsIn(String(q.q)).length === 200)
      .reply(200, (uri) => ({ totalSize: 200, done: true, records: idsIn(new URL(uri, INSTANCE).searchParams.get('q')!).map(account) }));
    const broken = nock(INSTANCE).get(`${API}/query`).query((q) => idsIn(String(q.q)).length === 50).times(3).reply(503, [{ message: 'down', errorCode: 'SERVER_UNAVAILABLE' }]);

    const read = await new SalesforceCrm(connect(), { policy: noSleep }).getAccounts(asked);

    expect(broken.isDone()).toBe(true);
    expect(asked.slice(0, 200).every((id) => (read.get(id) as AccountSignals).account.accountId === id)).toBe(true);
    expect(asked.slice(200).every((id) => { const v = read.get(id); return v instanceof CrmError && v.code === 'CRM_UNAVAILABLE'; })).toBe(true);
  });

  it('when Salesforce answers REQUEST_LIMIT_EXCEEDED, then getAccounts throws the stop', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).reply(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    const error = await new SalesforceCrm(connect(), { policy: noSleep }).getAccounts([sfIdOf(1)]).catch((e: unknown) => e);
    expect((error as CrmError).code).toBe('CRM_DAILY_LIMIT');
  });
});
