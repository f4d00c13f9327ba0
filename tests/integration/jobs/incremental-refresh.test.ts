import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { plusDays } from '../../../backend/src/domain/calendar';
import type { Criteria } from '../../../backend/src/domain/criteria';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import { refreshPortfolio, type RefreshResult } from '../../../backend/src/jobs/refresh-portfolio';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Store } from '../../../backend/src/store/store-port';
import { championsDataset, defaultCriteria } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

// The daily refresh on the embedded CRM: what it reads from the CRM (counted), which accounts
// it re-evaluates, when it falls back to a full scan, and where its watermarks stand after a crash.

const DAY1 = '2026-11-02';
const PORTAL = 'local';

/** The embedded CRM with every read counted by account, and a switch to make reads fail. */
function countingCrm(db: Db) {
  const inner = new LocalCrm(db, PORTAL);
  const reads = { listPages: 0, accounts: [] as string[] };
  let failOn: string | null = null;
  const crm: CrmPort = Object.assign(Object.create(inner) as CrmPort, {
    listAccounts: async (page: { cursor: string | null; limit: number }) => {
      reads.listPages++;
      return inner.listAccounts(page);
    },
    getAccount: async (id: string) => {
      reads.accounts.push(id);
      return inner.getAccount(id);
    },
    getAccounts: async (ids: string[]) => {
      if (failOn && ids.includes(failOn)) throw new Error(`network down reading ${failOn}`);
      reads.accounts.push(...ids);
      return inner.getAccounts(ids);
    },
  });
  return { crm, reads, failOn: (id: string | null) => (failOn = id), reset: () => ((reads.listPages = 0), (reads.accounts = [])) };
}

describe.each(storeKinds())('the incremental daily refresh (%s)', (kind) => {
  let db: Db;
  let store: Store;
  let crm: ReturnType<typeof countingCrm>;
  const criteria = defaultCriteria();
  const refresh = (asOf: string, options: { full?: boolean; criteria?: Criteria; fullEveryDays?: number } = {}): Promise<RefreshResult> =>
    refreshPortfolio(
      { store, crm: crm.crm, criteria: options.criteria ?? criteria, portalId: PORTAL, now: () => new Date(`${asOf}T06:00:00.000Z`), fullEveryDays: options.fullEveryDays ?? 7, overlapMinutes: 0 },
      { asOf, full: options.full },
    );
  const decisionsOf = async (r: RefreshResult) => {
    const out: Record<string, string> = {};
    for await (const page of store.evaluations.decisionsOfRun(PORTAL, r.runKey)) for (const d of page) out[d.evaluation.accountId] = d.evaluation.decision;
    return out;
  };

  beforeEach(async () => {
    db = await openTestDb(kind);
    store = createStore(db);
    // Not ready on health (no asks get proposed, so nothing changes by itself), except acc-young,
    // whose tenure gate opens on DAY1 + 2.
    const ds = championsDataset([
      { id: 'acc-1', account: { healthScore: 50 } },
      { id: 'acc-2', account: { healthScore: 50 } },
      { id: 'acc-3', account: { healthScore: 50 } },
      { id: 'acc-young', account: { healthScore: 50, customerSince: '2026-05-03' } },
    ]);
    await db.transaction((tx) => applyDataset(tx, PORTAL, ds));
    crm = countingCrm(db);
  });
  afterEach(async () => db.close());

  const setHealth = async (accountId: string, healthScore: number) => {
    const ds = emptyDataset();
    ds.accounts.push({ ...championsDataset([{ id: accountId }]).accounts[0], healthScore, ...(accountId === 'acc-young' ? { customerSince: '2026-05-03' } : {}) });
    await db.transaction((tx) => applyDataset(tx, PORTAL, ds));
  };

  test('when it first runs, then it scans every account; the next day it re-evaluates only the account that changed, reading only that one from the CRM', async () => {
    const first = await refresh(DAY1);
    expect(first.mode).toBe('full');
    expect(first.fullBecause).toBe('no full scan recorded yet');
    expect(first.summary.evaluated).toBe(4);
    expect(crm.reads.listPages).toBeGreaterThan(0);

    crm.reset();
    await setHealth('acc-2', 95);
    const next = await refresh(plusDays(DAY1, 1));
    expect(next.mode).toBe('incremental');
    expect(crm.reads.listPages).toBe(0);
    expect(crm.reads.accounts).toEqual(['acc-2']);
    expect(await decisionsOf(next)).toEqual({ 'acc-2': 'propose' });
    expect(next.selected).toEqual({ crmChanged: 0, storeChanged: 1, due: 0, total: 1 });
  });

  test('when nothing changed but a decision is due (the tenure gate opens), then only that account is re-evaluated, on its day', async () => {
    await refresh(DAY1);
    await setHealth('acc-young', 95);
    const changed = await refresh(plusDays(DAY1, 1));
    expect(await decisionsOf(changed)).toEqual({ 'acc-young': 'not_ready' });
    const held = await store.refresh.due(PORTAL, '2026-11-04');
    expect(held).toEqual(['acc-young']);

    crm.reset();
    const due = await refresh('2026-11-04');
    expect(due.selected).toEqual({ crmChanged: 0, storeChanged: 0, due: 1, total: 1 });
    // Its CRM data did not change since yesterday's read: judged from the signals stored then.
    expect(crm.reads.accounts).toEqual([]);
    expect(due.judgedFromStore).toBe(1);
    expect(await decisionsOf(due)).toEqual({ 'acc-young': 'propose' });
  });

  test('when the criteria content changes, then the refresh is a full scan naming why', async () => {
    await refresh(DAY1);
    const changed = defaultCriteria((c) => {
      c.version = 'v-next';
      c.eligibility.minHealth = 40;
    });
    const r = await refresh(plusDays(DAY1, 1), { criteria: changed });
    expect(r.mode).toBe('full');
    expect(r.fullBecause).toMatch(/^the criteria changed \(content sha256:\w+ -> sha256:\w+\)$/);
    expect(r.summary.evaluated).toBe(4);
  });

  test('when a full scan is asked for, then every account is evaluated even with nothing changed', async () => {
    await refresh(DAY1);
    crm.reset();
    const r = await refresh(plusDays(DAY1, 1), { full: true });
    expect(r.mode).toBe('full');
    expect(r.fullBecause).toBe('asked for (--full)');
    expect(r.summary.evaluated).toBe(4);
    expect(crm.reads.listPages).toBeGreaterThan(0);
  });

  test('when the last full scan is a week old, then the refresh is a full scan again; the days between are incremental', async () => {
    await refresh(DAY1);
    for (let i = 1; i < 7; i++) expect((await refresh(plusDays(DAY1, i))).mode).toBe('incremental');
    const weekly = await refresh(plusDays(DAY1, 7));
    expect(weekly.mode).toBe('full');
    expect(weekly.fullBecause).toBe(`the last full scan was on ${DAY1} (every 7 days)`);
    expect(weekly.summary.evaluated).toBe(4);
  });

  test('when a refresh crashes midway, then the watermarks stay where they were and the retry re-evaluates the change', async () => {
    await refresh(DAY1);
    const before = await store.refresh.state(PORTAL);
    await setHealth('acc-3', 95);
    crm.failOn('acc-3');
    await expect(refresh(plusDays(DAY1, 1))).rejects.toThrow('network down reading acc-3');
    const after = await store.refresh.state(PORTAL);
    expect({ crm: after?.crmSince, store: after?.storeSince }).toEqual({ crm: before?.crmSince, store: before?.storeSince });
    expect(after?.pending).not.toBeNull();

    crm.failOn(null);
    const retry = await refresh(plusDays(DAY1, 1));
    expect(await decisionsOf(retry)).toEqual({ 'acc-3': 'propose' });
    const done = await store.refresh.state(PORTAL);
    expect(done?.pending).toBeNull();
    expect(done!.storeSince! > before!.storeSince!).toBe(true);
    // Done: the day after re-evaluates acc-3 only because its proposed ask was written (and
    // acc-young, whose tenure gate opens that day), not the unchanged accounts; neither one's
    // CRM data changed, so both are judged from their stored signals with no CRM read.
    crm.reset();
    const dayAfter = await refresh(plusDays(DAY1, 2));
    expect(dayAfter.mode).toBe('incremental');
    expect(dayAfter.selected).toEqual({ crmChanged: 0, storeChanged: 1, due: 1, total: 2 });
    expect(crm.reads.accounts).toEqual([]);
    expect(dayAfter.judgedFromStore).toBe(2);
  });
});
