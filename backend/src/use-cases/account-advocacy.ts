import type { AppContext } from './context';
import { decideBesideAskInProgress } from '../domain/ask-in-progress';
import { proposalDetails } from '../domain/ask-details';
import type { IsoDate } from '../domain/types';
import type { StoredAsk } from '../store/asks-repo';
import { toAskView } from './ask-view';
import { loadSnapshot, today } from './load-snapshot';
import type { AccountAdvocacyView, OpenAskView } from './views';

/** Readiness, decision and history of one account, evaluated now (or as of a date). */
export async function accountAdvocacy(ctx: AppContext, portalId: string, accountId: string, asOf?: IsoDate): Promise<AccountAdvocacyView> {
  const day = asOf ?? today(ctx);
  const { snapshot } = await loadSnapshot(ctx, portalId, accountId);
  const { evaluation, inProgress } = decideBesideAskInProgress<StoredAsk>(snapshot as typeof snapshot & { asks: StoredAsk[] }, ctx.criteria, day);
  const views = snapshot.asks.map((a) => toAskView(a as StoredAsk, snapshot.contacts)).sort((a, b) => b.proposedAt.localeCompare(a.proposedAt));
  let openAsk: OpenAskView | null = null;
  if (inProgress) {
    const { ask } = inProgress;
    const { rule, outreach } = proposalDetails(ask.details);
    openAsk = {
      ...toAskView(ask, snapshot.contacts),
      ageDays: inProgress.ageDays,
      next: [...inProgress.next],
      rule,
      outreach,
    };
  }
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
    contacts: snapshot.contacts.map((c) => ({ contactId: c.contactId, name: [c.firstName, c.lastName].filter(Boolean).join(' ') || c.contactId, doNotContact: c.doNotContact })),
    openAsk,
    asks: views,
    consents: snapshot.consents,
  };
}
