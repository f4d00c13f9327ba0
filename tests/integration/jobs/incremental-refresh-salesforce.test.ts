import { Connection } from 'jsforce';
import { SalesforceCrm } from '../../../backend/src/crm/salesforce/salesforce-crm';
import { refreshPortfolio } from '../../../backend/src/jobs/refresh-portfolio';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Store } from '../../../backend/src/store/store-port';
import { startSalesforceStub, type SalesforceStub, type StubFault } from '../../../bench/support/salesforce-stub';
import { defaultCriteria } from '../../support/builders';
import { openTestDb } from '../../support/store';

// The daily refresh through the Salesforce adapter (jsforce) on the Salesforce REST stub: the
// next day it lists what changed with SOQL on SystemModstamp (Accounts, and Contacts for their
// Accounts), leaves out the Accounts whose only change was the app's own write-back (the
// SystemModstamp read back after it), and reads just those accounts; every query is counted.

const PORTAL = 'salesforce:test';
const DAY1 = '2026-11-24';
const DAY2 = '2026-11-25';
const DAY3 = '2026-11-26';
const noSleep = { timeoutMs: 5000, attempts: 3, baseDelayMs: 1, sleep: async () => {} };

describe('the incremental daily refresh on Salesforce', () => {
  let db: Db;
  let store: Store;
  let stub: SalesforceStub;
  let clock = Date.parse(`${DAY1}T06:00:00.000Z`);
  const faults: StubFault[] = [];
  const queries = () => ({ ...stub.stats.byQuery });
  const delta = (before: Record<string, number>) => Object.fromEntries(Object.entries(stub.stats.byQuery).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));

  beforeAll(async () => {
    stub = await startSalesforceStub(30, { clock: () => clock, faults });
    db = await openTestDb('pglite');
    store = createStore(db);
  });
  afterAll(async () => {
    await db.close();
    stub.server.close();
  });

  const evaluatedIn = async (runKey: string) => {
    const evaluated = new Set<string>();
    for await (const page of store.evaluations.decisionsOfRun(PORTAL, runKey)) for (const d of page) evaluated.add(d.evaluation.accountId);
    return evaluated;
  };

  test('when an account and a contact changed since the day before, then only their accounts (and those whose asks changed here) are read, and our own write-backs are not changes; a failed change query moves no watermark', async () => {
    const crm = new SalesforceCrm(new Connection({ instanceUrl: stub.url, accessToken: 't', version: '62.0' }), { policy: noSleep });
    const deps = { store, crm, criteria: defaultCriteria(), portalId: PORTAL, now: () => new Date(clock), fullEveryDays: 7, overlapMinutes: 15 };

    const first = await refreshPortfolio(deps, { asOf: DAY1 });
    expect(first.mode).toBe('full');
    expect(first.summary.evaluated).toBe(30);
    expect(stub.stats.accountUpdates).toBe(30);
    // One collection of 30 updates, one read-back of their SystemModstamp.
    expect(stub.stats.byQuery['modstamps by id']).toBe(1);

    // Users change account 3 and a contact of account 7 in the afternoon.
    clock = Date.parse(`${DAY1}T15:00:00.000Z`);
    stub.edit.account(3);
    stub.edit.contact(7, 0);
    clock = Date.parse(`${DAY2}T06:00:00.000Z`);

    // The change query fails (503 through every retry): the refresh fails, its watermarks stay.
    const stateBefore = await store.refresh.state(PORTAL);
    faults.push({ match: /FROM Contact WHERE SystemModstamp/, status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }], times: noSleep.attempts });
    await expect(refreshPortfolio(deps, { asOf: DAY2 })).rejects.toMatchObject({ code: 'CRM_UNAVAILABLE' });
    expect((await store.refresh.state(PORTAL))?.crmSince).toBe(stateBefore?.crmSince);

    const before = queries();
    const next = await refreshPortfolio(deps, { asOf: DAY2 });
    expect(next.mode).toBe('incremental');
    // All 30 accounts were modified by yesterday's write-back: only the two real changes count.
    expect(next.selected?.crmChanged).toBe(2);
    const calls = delta(before);
    expect(calls['portfolio page']).toBeUndefined();
    expect(calls['changed accounts']).toBe(1);
    expect(calls['changed contacts']).toBe(1);
    expect(calls['accounts by id']).toBe(1);
    const evaluated = await evaluatedIn(next.runKey);
    expect(evaluated.has(stub.accountId(3))).toBe(true);
    expect(evaluated.has(stub.accountId(7))).toBe(true);
    expect(evaluated.size).toBe(next.selected!.total);
    expect(evaluated.size).toBeLessThan(30);
    expect((await store.refresh.state(PORTAL))!.crmSince! > stateBefore!.crmSince!).toBe(true);

    // Nobody changes anything: the accounts written back on day 2 are not changes on day 3.
    clock = Date.parse(`${DAY3}T06:00:00.000Z`);
    const third = await refreshPortfolio(deps, { asOf: DAY3 });
    expect(third.mode).toBe('incremental');
    expect(third.selected?.crmChanged).toBe(0);
  });
});
