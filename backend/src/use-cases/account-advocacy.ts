import type { AppContext } from '../app-context';
import { isOpenOn } from '../domain/ask-history';
import { evaluateAccount } from '../domain/evaluate-account';
import type { IsoDate } from '../domain/types';
import { toAskView } from './ask-view';
import { loadSnapshot, today } from './load-snapshot';
import type { AccountAdvocacyView } from './views';

/** Readiness, decision and history of one account, evaluated now (or as of a date). */
export async function accountAdvocacy(ctx: AppContext, portalId: string, accountId: string, asOf?: IsoDate): Promise<AccountAdvocacyView> {
  const day = asOf ?? today(ctx);
  const { snapshot, asks } = await loadSnapshot(ctx, portalId, accountId);
  const evaluation = evaluateAccount(snapshot, ctx.criteria, day);
  const views = asks.map((a) => toAskView(a, snapshot.contacts)).sort((a, b) => b.proposedAt.localeCompare(a.proposedAt));
  const open = asks.filter((a) => isOpenOn(a, day)).sort((a, b) => b.proposedAt.localeCompare(a.proposedAt))[0];
  return {
    account: {
      accountId,
      name: snapshot.account.name,
      ownerId: snapshot.account.ownerId,
      ownerName: snapshot.owner?.name ?? null,
      healthScore: snapshot.account.healthScore,
      strategic: snapshot.account.strategic,
    },
    evaluation,
    missingSignals: evaluation.readiness?.contributions.filter((c) => c.missing).map((c) => c.signal) ?? [],
    openAsk: open ? toAskView(open, snapshot.contacts) : null,
    asks: views,
    consents: snapshot.consents,
  };
}
