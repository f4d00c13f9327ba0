import type { AppContext } from './context';
import { dayOf } from '../domain/calendar';
import { DomainError } from '../domain/errors';
import type { AccountSnapshot } from '../domain/types';
import type { StoredAsk } from '../store/store-port';

export interface LoadedSnapshot {
  snapshot: AccountSnapshot;
  asks: StoredAsk[];
}

/** One account as the engine sees it: the CRM's signals plus the app's advocacy history. */
export async function loadSnapshot(ctx: AppContext, portalId: string, accountId: string): Promise<LoadedSnapshot> {
  const signals = await ctx.crmFor(portalId).getAccount(accountId);
  if (!signals) throw new DomainError('ACCOUNT_NOT_FOUND', `no account ${accountId} in this portal`, { accountId });
  const [asks, consents] = await Promise.all([ctx.store.asks.forAccounts(portalId, [accountId]), ctx.store.consents.forAccounts(portalId, [accountId])]);
  const history = asks.get(accountId) ?? [];
  return { snapshot: { ...signals, asks: history, consents: consents.get(accountId) ?? [] }, asks: history };
}

/** The app's today: the UTC day of its clock. */
export const today = (ctx: AppContext) => dayOf(ctx.now());
