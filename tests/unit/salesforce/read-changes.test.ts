import { Connection } from 'jsforce';
import nock from 'nock';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';

// The Salesforce change listing for the incremental refresh (SOQL on SystemModstamp, paged by
// nextRecordsUrl) and the SystemModstamp read back after a write-back, against a nock instance.

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v62.0';
const noSleep = { timeoutMs: 200, attempts: 3, baseDelayMs: 1, sleep: async () => {} };
const connect = () => new Connection({ instanceUrl: INSTANCE, accessToken: 'token-1', version: '62.0' });
const acc = (k: number) => `001${String(k).padStart(12, '0')}AAA`;
const con = (k: number) => `003${String(k).padStart(12, '0')}AAA`;
const soqlOf = (uri: string) => new URL(uri, INSTANCE).searchParams.get('q') ?? '';

describe('Salesforce adapter: what changed since the last refresh', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('when accounts changed over two query pages and contacts changed, then every account is listed once, a contact naming its account, with the SOQL in Id order from the watermark', async () => {
    const asked: string[] = [];
    const scope = nock(INSTANCE)
      .get(`${API}/query`)
      .query((q) => String(q.q).includes('FROM Account WHERE SystemModstamp'))
      .reply(200, (uri) => {
        asked.push(soqlOf(uri));
        return { totalSize: 3, done: false, nextRecordsUrl: `${API}/query/01gA-2000`, records: [{ Id: acc(1), SystemModstamp: '2026-11-24T15:00:00.000+0000' }, { Id: acc(2), SystemModstamp: '2026-11-24T16:30:00.000+0000' }] };
      })
      .get(`${API}/query/01gA-2000`)
      .reply(200, { totalSize: 3, done: true, records: [{ Id: acc(3), SystemModstamp: '2026-11-24T17:00:00.000+0000' }] })
      .get(`${API}/query`)
      .query((q) => String(q.q).includes('FROM Contact WHERE SystemModstamp'))
      .reply(200, (uri) => {
        asked.push(soqlOf(uri));
        return { totalSize: 2, done: true, records: [{ Id: con(1), AccountId: acc(2) }, { Id: con(2), AccountId: acc(9) }] };
      });

    const changed = await new SalesforceCrm(connect(), { policy: noSleep }).changedAccountsSince('2026-11-24T05:45:00.123Z');

    expect(scope.isDone()).toBe(true);
    expect(asked).toEqual([
      'SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= 2026-11-24T05:45:00Z ORDER BY Id',
      'SELECT Id, AccountId FROM Contact WHERE SystemModstamp >= 2026-11-24T05:45:00Z AND AccountId != null ORDER BY Id',
    ]);
    expect(changed).toEqual([
      { accountId: acc(1), modifiedAt: '2026-11-24T15:00:00.000Z' },
      // Its contact changed too: no own modification time to compare, always re-read.
      { accountId: acc(2), modifiedAt: null },
      { accountId: acc(3), modifiedAt: '2026-11-24T17:00:00.000Z' },
      { accountId: acc(9), modifiedAt: null },
    ]);
  });

  it('when the org is out of its daily API calls, then the listing fails as the daily limit after one call', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).reply(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
    const crm = new SalesforceCrm(connect(), { policy: noSleep });
    await expect(crm.changedAccountsSince('2026-11-24T05:45:00.000Z')).rejects.toMatchObject({ code: 'CRM_DAILY_LIMIT' });
    expect(crm.calls).toBe(1);
  });

  it('when Salesforce keeps timing out or answering 5xx, then the listing fails after its retries (the refresh then moves no watermark)', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).times(3).delay(1000).reply(200, { totalSize: 0, done: true, records: [] });
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).changedAccountsSince('2026-11-24T05:45:00.000Z')).rejects.toMatchObject({ code: 'CRM_TIMEOUT' });
    nock.cleanAll();
    nock(INSTANCE).get(`${API}/query`).query(true).times(3).reply(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }]);
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).changedAccountsSince('2026-11-24T05:45:00.000Z')).rejects.toMatchObject({ code: 'CRM_UNAVAILABLE' });
  });

  it('when a page says more follow but names no next page, or the time is not a time, then the listing refuses rather than stop short', async () => {
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 5, done: false, records: [{ Id: acc(1), SystemModstamp: '2026-11-24T15:00:00.000+0000' }] });
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).changedAccountsSince('2026-11-24T05:45:00.000Z')).rejects.toThrow(/no nextRecordsUrl/);
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).changedAccountsSince("2026-11-24' OR Name != '")).rejects.toThrow(/not a time/);
  });

  it('when readiness is written back, then each account written comes back with the SystemModstamp Salesforce gave it; a failed read-back loses only those times', async () => {
    const updates = [acc(1), acc(2)].map((accountId) => ({ accountId, readinessScore: 80, band: 'green' as const, advocacyStatus: 'candidate', lastAskDate: null }));
    let readBack = '';
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects`)
      .reply(200, [{ id: acc(1), success: true }, { id: acc(2), success: true }])
      .get(`${API}/query`)
      .query(true)
      .reply(200, (uri) => {
        readBack = soqlOf(uri);
        return { totalSize: 2, done: true, records: [{ Id: acc(1), SystemModstamp: '2026-11-24T06:00:01.000+0000' }, { Id: acc(2), SystemModstamp: '2026-11-24T06:00:02.000+0000' }] };
      });
    const written = await new SalesforceCrm(connect(), { policy: noSleep }).writeBack(updates);
    expect(readBack).toBe(`SELECT Id, SystemModstamp FROM Account WHERE Id IN ('${acc(1)}', '${acc(2)}')`);
    expect(written).toEqual([
      { accountId: acc(1), writtenAt: '2026-11-24T06:00:01.000Z' },
      { accountId: acc(2), writtenAt: '2026-11-24T06:00:02.000Z' },
    ]);

    nock(INSTANCE).patch(`${API}/composite/sobjects`).reply(200, [{ id: acc(1), success: true }, { id: acc(2), success: true }]).get(`${API}/query`).query(true).times(3).reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]);
    await expect(new SalesforceCrm(connect(), { policy: noSleep }).writeBack(updates)).resolves.toEqual([]);
  });
});
