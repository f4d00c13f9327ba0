import type { AppContext } from './context';
import type { AccountSignals } from '../crm/port';
import { advocatesOf } from '../domain/reference-advocates';
import { AdvocateIndex, type Advocate } from '../domain/reference-match';
import type { Built, Entry } from './advocate-cache-state';
import { today } from './load-snapshot';

// The advocates of a portal, for ranking reference matches, kept per store and portal.
//
// A full read walks the whole CRM portfolio: on a large HubSpot account that is minutes at the
// rate limit, far longer than a card waits. So it happens once (the first match, or serve's
// warm-up), and after that a match never waits for one: when the day or the criteria change,
// the current index keeps answering while a new read runs behind it. Between reads, an account
// whose asks, consents or signals change is read again on its own. The ranking may so be a
// little behind; the decision to ask someone never is: a request re-checks its advocate on
// fresh data (reference-requests.ts).

const entryOf = ((ctx: AppContext, portalId: string, create: boolean) => ctx.advocates.entry(portalId, create as true)) as {
  (ctx: AppContext, portalId: string, create: true): Entry;
  (ctx: AppContext, portalId: string, create: false): Entry | undefined;
};

const cacheKey = (ctx: AppContext) => `${today(ctx)}:${ctx.criteria.version}`;
const indexOf = (byAccount: Map<string, Advocate[]>) => new AdvocateIndex([...byAccount.values()].flat());

/** The advocates of some accounts, from their CRM signals and their stored asks and consents. */
export async function advocatesOfAccounts(ctx: AppContext, portalId: string, items: AccountSignals[]): Promise<Map<string, Advocate[]>> {
  const ids = items.map((s) => s.account.accountId);
  const [asks, consents] = await Promise.all([ctx.store.asks.forAccounts(portalId, ids), ctx.store.consents.forAccounts(portalId, ids)]);
  return new Map(items.map((s) => [s.account.accountId, advocatesOf({ ...s, asks: asks.get(s.account.accountId) ?? [], consents: consents.get(s.account.accountId) ?? [] }, ctx.criteria, today(ctx))]));
}

async function readAll(ctx: AppContext, portalId: string, key: string): Promise<Built> {
  const crm = ctx.crmFor(portalId);
  const byAccount = new Map<string, Advocate[]>();
  let cursor: string | null = null;
  do {
    const page = await crm.listAccounts({ cursor, limit: 1000 });
    for (const [id, list] of await advocatesOfAccounts(ctx, portalId, page.items)) byAccount.set(id, list);
    cursor = page.nextCursor;
  } while (cursor);
  return { key, byAccount, index: indexOf(byAccount) };
}

async function withAccount(ctx: AppContext, portalId: string, built: Built, accountId: string): Promise<Built> {
  const byAccount = new Map(built.byAccount);
  try {
    const signals = await ctx.crmFor(portalId).getAccount(accountId);
    if (signals) byAccount.set(accountId, (await advocatesOfAccounts(ctx, portalId, [signals])).get(accountId) ?? []);
    else byAccount.delete(accountId);
  } catch (error) {
    // Not offered until it can be read again, rather than offered on what it was.
    byAccount.delete(accountId);
    ctx.logger.warn({ portalId, accountId, code: (error as { code?: string }).code }, 'advocate refresh failed');
  }
  return { key: built.key, byAccount, index: indexOf(byAccount) };
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

export async function advocateIndex(ctx: AppContext, portalId: string): Promise<AdvocateIndex> {
  const entry = entryOf(ctx, portalId, true);
  const key = cacheKey(ctx);
  if (entry.value?.key === key) return entry.value.index;
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

/** One account's asks, consents or signals changed: read it again, keep the rest. */
export function refreshAdvocates(ctx: AppContext, portalId: string, accountId: string): Promise<void> {
  const entry = entryOf(ctx, portalId, false);
  if (!entry) return Promise.resolve();
  if (entry.building) entry.dirty.add(accountId);
  // One update after another, so none is lost to another.
  return ctx.serial.run(`advocates:${portalId}`, async () => {
    if (entry.value) entry.value = await withAccount(ctx, portalId, entry.value, accountId);
  });
}

/** The store's (and the apply path's) word that accounts changed: each is read again, one after another. */
export async function refreshAdvocatesOf(ctx: AppContext, portalId: string, accountIds: string[]): Promise<void> {
  for (const accountId of accountIds) await refreshAdvocates(ctx, portalId, accountId);
}
