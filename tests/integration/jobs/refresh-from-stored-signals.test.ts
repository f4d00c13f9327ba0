import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { plusDays } from '../../../backend/src/domain/calendar';
import { decisionKey } from '../../../backend/src/domain/decision-holds';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import { refreshPortfolio } from '../../../backend/src/jobs/refresh-portfolio';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Store } from '../../../backend/src/store/store-port';
import { championsDataset, defaultCriteria } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

// The day after a scan that proposed asks: an account whose only change is the app's own new
// ask is judged from the CRM signals stored when the scan read it (no CRM read), and gets the
// decision a full scan of that day gets; accounts whose CRM data changed, or with no stored
// signals, are still read from the CRM.

const DAY1 = '2026-11-02';
const DAY2 = plusDays(DAY1, 1);
const PORTAL = 'local';

/** The embedded CRM with every read counted by account. */
function countingCrm(db: Db) {
  const inner = new LocalCrm(db, PORTAL);
  const reads = { listPages: 0, accounts: [] as string[] };
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
      reads.accounts.push(...ids);
      return inner.getAccounts(ids);
    },
  });
  return { crm, reads, reset: () => ((reads.listPages = 0), (reads.accounts = [])) };
}

describe.each(storeKinds())('the refresh judging from stored signals (%s)', (kind) => {
  let db: Db;
  let store: Store;
  let crm: ReturnType<typeof countingCrm>;
  const criteria = defaultCriteria();
  const deps = (asOf: string) => ({ store, crm: crm.crm, criteria, portalId: PORTAL, now: () => new Date(`${asOf}T06:00:00.000Z`), fullEveryDays: 7, overlapMinutes: 0 });
  // A full scan of the day over the same store state (a dry run writes nothing), read from the CRM.
  const fullScanKeys = async (asOf: string) => {
    const out = new Map<string, string>();
    await runScan(deps(asOf), { asOf, dryRun: true, onDecision: (d) => void out.set(d.evaluation.accountId, decisionKey(d.evaluation)) });
    return out;
  };

  beforeEach(async () => {
    db = await openTestDb(kind);
    store = createStore(db);
    // acc-a and acc-b are ready (day 1 proposes an ask to each); acc-c is not (health).
    await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset([{ id: 'acc-a' }, { id: 'acc-b' }, { id: 'acc-c', account: { healthScore: 50 } }])));
    crm = countingCrm(db);
  });
  afterEach(async () => db.close());

  test('when the only change to an account is the ask the scan proposed, then the next day it is judged with no CRM read and gets the full scan decision; the account whose CRM data changed is read', async () => {
    const first = await refreshPortfolio(deps(DAY1), { asOf: DAY1 });
    expect(first.mode).toBe('full');
    expect(first.summary.proposed).toBe(2);

    // A user changes acc-b in the CRM; acc-a's only change is our own ask.
    const ds = emptyDataset();
    ds.accounts.push({ ...championsDataset([{ id: 'acc-b' }]).accounts[0], healthScore: 45 });
    await db.transaction((tx) => applyDataset(tx, PORTAL, ds));

    const full = await fullScanKeys(DAY2);
    crm.reset();
    const next = await refreshPortfolio(deps(DAY2), { asOf: DAY2 });
    expect(next.mode).toBe('incremental');
    expect(next.selected).toEqual({ crmChanged: 0, storeChanged: 2, due: 0, total: 2 });
    expect(crm.reads.listPages).toBe(0);
    expect(crm.reads.accounts).toEqual(['acc-b']);
    expect(next.judgedFromStore).toBe(1);

    const held = await store.refresh.heldKeys(PORTAL);
    expect(held.size).toBe(3);
    for (const [accountId, key] of full) expect({ accountId, key: held.get(accountId) }).toEqual({ accountId, key });
    // The proposed ask is recent now: acc-a is not asked again (a hand-off or not-ready, as the full scan says).
    const decisions: Record<string, string> = {};
    for await (const page of store.evaluations.decisionsOfRun(PORTAL, next.runKey)) for (const d of page) decisions[d.evaluation.accountId] = d.evaluation.decision;
    expect(Object.keys(decisions).sort()).toEqual(['acc-a', 'acc-b']);
    expect(decisions['acc-a']).not.toBe('propose');
  });

  test('when an account whose only change is its ask has no stored signals, then it is read from the CRM', async () => {
    await refreshPortfolio(deps(DAY1), { asOf: DAY1 });
    await store.referenceIndex.remove(PORTAL, ['acc-a']);
    const full = await fullScanKeys(DAY2);
    crm.reset();
    const next = await refreshPortfolio(deps(DAY2), { asOf: DAY2 });
    expect(next.selected).toEqual({ crmChanged: 0, storeChanged: 2, due: 0, total: 2 });
    expect(crm.reads.accounts).toEqual(['acc-a']);
    expect(next.judgedFromStore).toBe(1);
    const held = await store.refresh.heldKeys(PORTAL);
    for (const [accountId, key] of full) expect({ accountId, key: held.get(accountId) }).toEqual({ accountId, key });
  });

  test('when a change event arrived for an account whose only stored change is its ask, then it is read from the CRM', async () => {
    await refreshPortfolio(deps(DAY1), { asOf: DAY1 });
    await store.changeEvents.store(PORTAL, [{ accountId: 'acc-a', eventId: 'evt-1' }], 'webhook');
    crm.reset();
    const next = await refreshPortfolio(deps(DAY2), { asOf: DAY2 });
    expect(crm.reads.accounts).toEqual(['acc-a']);
    expect(next.judgedFromStore).toBe(1);
  });
});
