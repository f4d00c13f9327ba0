import type { AppContext } from './context';
import type { AccountSignals } from '../crm/port';
import { advocatesOf } from '../domain/reference-advocates';
import { AdvocateIndex, type Advocate } from '../domain/reference-match';
import type { IndexedAccount, StoreOps, StoreTx } from '../store/store-port';
import type { Built, Entry } from './advocate-cache-state';
import { today } from './load-snapshot';

// The advocates of a portal, for ranking reference matches: kept in the store (one row per
// account: its CRM signals and its ranked advocates) and, per process, in memory.
//
// A full CRM read walks the whole portfolio: on a large HubSpot account that is minutes at the
// rate limit, far longer than a card waits. So it happens once per portal (the first match
// ever, or serve's warm-up) and its rows are stored; a process that starts later answers from
// the stored rows (ranked again for today from the stored signals, asks and consents when the
// day or the criteria changed), without reading the CRM. The apply path rewrites an account's
// row in the same transaction as its ask, consent or evaluation, and with the signals a scan
// page or a change event has just read. When the day or the criteria change, the current index
// keeps answering while a full read runs behind it. The ranking may so be a little behind; the
// decision to ask someone never is: a request re-checks its advocate on fresh data
// (reference-requests.ts).

const entryOf = ((ctx: AppContext, portalId: string, create: boolean) => ctx.advocates.entry(portalId, create as true)) as {
  (ctx: AppContext, portalId: string, create: true): Entry;
  (ctx: AppContext, portalId: string, create: false): Entry | undefined;
};

/** The day and criteria version advocates are ranked for. */
export const cacheKey = (ctx: AppContext) => `${today(ctx)}:${ctx.criteria.version}`;
const indexOf = (byAccount: Map<string, Advocate[]>) => new AdvocateIndex([...byAccount.values()].flat());
const RANK_CHUNK = 1000;

/** The advocates of some accounts, from their CRM signals and their asks and consents as `ops` (the store, or a transaction) has them. */
export async function advocatesOfAccounts(ctx: AppContext, portalId: string, items: AccountSignals[], ops: StoreOps = ctx.store): Promise<Map<string, Advocate[]>> {
  const out = new Map<string, Advocate[]>();
  for (let i = 0; i < items.length; i += RANK_CHUNK) {
    const part = items.slice(i, i + RANK_CHUNK);
    const ids = part.map((s) => s.account.accountId);
    const [asks, consents] = await Promise.all([ops.asks.forAccounts(portalId, ids), ops.consents.forAccounts(portalId, ids)]);
    for (const s of part) out.set(s.account.accountId, advocatesOf({ ...s, asks: asks.get(s.account.accountId) ?? [], consents: consents.get(s.account.accountId) ?? [] }, ctx.criteria, today(ctx)));
  }
  return out;
}

/**
 * Inside a transaction, before it commits: the accounts it touched are ranked again from their
 * stored signals and the transaction's own asks and consents (app-context wires this to the store).
 */
export async function rankInTransaction(ctx: AppContext, tx: StoreTx, portalId: string, accountIds: string[]): Promise<void> {
  // Signals the transaction just read are ranked as they are and written with their advocates
  // in one statement; the other accounts are ranked from the signals the store holds.
  const fresh = tx.referenceIndex.takePendingSignals(portalId);
  const others = accountIds.filter((id) => !fresh.has(id));
  const stored = others.length ? await tx.referenceIndex.entries(portalId, others) : [];
  const all = [...[...fresh.values()], ...stored.map((e) => e.signals)];
  if (all.length === 0) return;
  const ranked = await advocatesOfAccounts(ctx, portalId, all, tx);
  const key = cacheKey(ctx);
  if (fresh.size) await tx.referenceIndex.save(portalId, [...fresh].map(([accountId, signals]) => ({ accountId, signals, advocates: ranked.get(accountId) ?? [], computedFor: key })));
  if (stored.length) await tx.referenceIndex.saveAdvocates(portalId, stored.map((e) => ({ accountId: e.accountId, advocates: ranked.get(e.accountId) ?? [], computedFor: key })));
}

/** Stored rows as the index uses them: those ranked for another day or criteria are ranked again (in memory). */
async function fromRows(ctx: AppContext, portalId: string, rows: IndexedAccount[], key: string): Promise<Map<string, Advocate[]>> {
  const stale = rows.filter((r) => r.computedFor !== key);
  const ranked = stale.length ? await advocatesOfAccounts(ctx, portalId, stale.map((r) => r.signals)) : new Map<string, Advocate[]>();
  return new Map(rows.map((r) => [r.accountId, ranked.get(r.accountId) ?? r.advocates]));
}

async function readAll(ctx: AppContext, portalId: string, key: string): Promise<Built> {
  const crm = ctx.crmFor(portalId);
  const startedAt = ctx.now().toISOString();
  const byAccount = new Map<string, Advocate[]>();
  let cursor: string | null = null;
  do {
    const page = await crm.listAccounts({ cursor, limit: 1000 });
    const ranked = await advocatesOfAccounts(ctx, portalId, page.items);
    await ctx.store.referenceIndex.save(portalId, page.items.map((s) => ({ accountId: s.account.accountId, signals: s, advocates: ranked.get(s.account.accountId) ?? [], computedFor: key })));
    for (const [id, list] of ranked) byAccount.set(id, list);
    cursor = page.nextCursor;
  } while (cursor);
  await ctx.store.referenceIndex.finishFullRead(portalId, startedAt, key, [...byAccount.keys()]);
  return { key, byAccount, index: indexOf(byAccount) };
}

/** One account read again from the CRM (its row in the store too). */
async function withAccount(ctx: AppContext, portalId: string, built: Built, accountId: string): Promise<Built> {
  const byAccount = new Map(built.byAccount);
  try {
    const signals = await ctx.crmFor(portalId).getAccount(accountId);
    if (signals) {
      const advocates = (await advocatesOfAccounts(ctx, portalId, [signals])).get(accountId) ?? [];
      await ctx.store.referenceIndex.save(portalId, [{ accountId, signals, advocates, computedFor: cacheKey(ctx) }]);
      byAccount.set(accountId, advocates);
    } else {
      await ctx.store.referenceIndex.remove(portalId, [accountId]);
      byAccount.delete(accountId);
    }
  } catch (error) {
    // Not offered until it can be read again, rather than offered on what it was.
    byAccount.delete(accountId);
    await ctx.store.referenceIndex.remove(portalId, [accountId]).catch(() => undefined);
    ctx.logger.warn({ portalId, accountId, code: (error as { code?: string }).code }, 'advocate refresh failed');
  }
  return { key: built.key, byAccount, index: indexOf(byAccount) };
}

/** Some accounts as the store has them now (their rows were rewritten by the transaction that changed them). */
async function withStored(ctx: AppContext, portalId: string, built: Built, accountIds: string[]): Promise<Built> {
  const rows = await ctx.store.referenceIndex.entries(portalId, accountIds);
  const stored = await fromRows(ctx, portalId, rows, built.key);
  let next: Built = { key: built.key, byAccount: new Map([...built.byAccount, ...stored]), index: built.index };
  // An account the index has no row for yet is read from the CRM.
  for (const id of accountIds) if (!stored.has(id)) next = await withAccount(ctx, portalId, next, id);
  return { ...next, index: indexOf(next.byAccount) };
}

function readInBackground(ctx: AppContext, portalId: string, entry: Entry, key: string): Promise<Built> {
  if (!entry.building) {
    entry.dirty.clear();
    entry.building = readAll(ctx, portalId, key)
      .then(async (fresh) => {
        let built = fresh;
        for (const id of entry.dirty) built = await withAccount(ctx, portalId, built, id);
        entry.dirty.clear();
        entry.value = built;
        return built;
      })
      .finally(() => {
        entry.building = null;
      });
  }
  return entry.building;
}

/** The stored index, when a full read ever filled it: ranked for today, and whether that read is from another day or criteria. */
async function loadStored(ctx: AppContext, portalId: string, key: string): Promise<{ built: Built; readToday: boolean } | null> {
  const last = await ctx.store.referenceIndex.lastFullRead(portalId);
  if (!last) return null;
  // Signals are read only for rows ranked for another day or criteria (ranked again here).
  const rows = await ctx.store.referenceIndex.advocates(portalId);
  const stale = rows.filter((r) => r.computedFor !== key).map((r) => r.accountId);
  const ranked = stale.length ? await fromRows(ctx, portalId, await ctx.store.referenceIndex.entries(portalId, stale), key) : new Map<string, Advocate[]>();
  const byAccount = new Map(rows.map((r) => [r.accountId, ranked.get(r.accountId) ?? r.advocates]));
  return { built: { key, byAccount, index: indexOf(byAccount) }, readToday: last.key === key };
}

export async function advocateIndex(ctx: AppContext, portalId: string): Promise<AdvocateIndex> {
  const entry = entryOf(ctx, portalId, true);
  const key = cacheKey(ctx);
  if (entry.value?.key === key) return entry.value.index;
  if (!entry.value) {
    // The first match of this process: the store's index, never a CRM read when it has one.
    entry.loading ??= ctx.serial.run(`advocates:${portalId}`, async () => {
      const stored = entry.value ? null : await loadStored(ctx, portalId, key);
      if (stored) entry.value = stored.built;
      return stored?.readToday ?? true;
    }).finally(() => {
      entry.loading = null;
    });
    const readToday = await entry.loading;
    const loaded = entry.value as Built | null; // set by the load
    if (loaded) {
      // Stored on another day: today's full read runs behind the stored index, as in a process left running.
      if (!readToday) readInBackground(ctx, portalId, entry, key).catch((error) => ctx.logger.warn({ portalId, code: (error as { code?: string }).code }, 'advocate read failed; the stored index still answers'));
      return loaded.index;
    }
  }
  const reading = readInBackground(ctx, portalId, entry, key);
  if (entry.value) {
    reading.catch((error) => ctx.logger.warn({ portalId, code: (error as { code?: string }).code }, 'advocate read failed; the previous index still answers'));
    return entry.value.index; // yesterday's ranking while today's is read
  }
  return (await reading).index;
}

/** Resolves when no full read is running for the portal (tests, and the warm-up's log line). */
export async function advocatesSettled(ctx: AppContext, portalId: string): Promise<void> {
  await entryOf(ctx, portalId, false)?.building?.catch(() => undefined);
}

/** One account's signals changed and nobody read them: read it from the CRM again, keep the rest. */
export function refreshAdvocates(ctx: AppContext, portalId: string, accountId: string): Promise<void> {
  return refreshAdvocatesOf(ctx, portalId, [accountId], { reread: true });
}

/**
 * The store's (and the apply path's) word that accounts changed: what the store now holds for
 * them (their rows were rewritten in the transaction that changed them), or, when their CRM
 * signals changed unread (`reread`), a CRM read of each.
 */
export async function refreshAdvocatesOf(ctx: AppContext, portalId: string, accountIds: string[], how = { reread: false }): Promise<void> {
  const entry = entryOf(ctx, portalId, false);
  if (!entry) {
    // No index in this process (a CLI command): the stored one still gets the accounts read again.
    if (how.reread && (await ctx.store.referenceIndex.lastFullRead(portalId))) {
      const none: Built = { key: cacheKey(ctx), byAccount: new Map(), index: indexOf(new Map()) };
      for (const id of accountIds) await withAccount(ctx, portalId, none, id);
    }
    return;
  }
  if (entry.building) for (const id of accountIds) entry.dirty.add(id);
  // One update after another, so none is lost to another.
  await ctx.serial.run(`advocates:${portalId}`, async () => {
    if (!entry.value) return;
    if (!how.reread) entry.value = await withStored(ctx, portalId, entry.value, accountIds);
    else for (const id of accountIds) entry.value = await withAccount(ctx, portalId, entry.value, id);
  });
}
