import type { AppContext } from './context';
import { dayOf, plusDays } from '../domain/calendar';
import { DomainError } from '../domain/errors';
import { snoozedAgainNotice, type Notice } from '../domain/notices';
import type { StoredAsk } from '../store/store-port';

// "Snooze 7 days" on a proposal: the ask stays proposed (it is still the account's ask in
// progress, so no scan proposes another), the snooze is kept on the ask and audited, and the
// CSM is told again when it ends (a notice of its own, due that day).

export const SNOOZE_DAYS = 7;

export async function snoozeAsk(ctx: AppContext, portalId: string, askId: string, input: { actor: string; notice: Notice | null; days?: number }): Promise<{ ask: StoredAsk; until: string }> {
  const nowIso = ctx.now().toISOString();
  const until = plusDays(dayOf(nowIso), input.days ?? SNOOZE_DAYS);
  const ask = await ctx.store.transaction(async (tx) => {
    const ask = await tx.asks.get(portalId, askId, { forUpdate: true });
    if (!ask) throw new DomainError('ASK_NOT_FOUND', `no ask ${askId} in this portal`, { askId });
    if (ask.status !== 'proposed') throw new DomainError('INVALID_TRANSITION', `ask ${askId} is ${ask.status}: only a proposed ask can be snoozed`, { from: ask.status });
    const snoozed: StoredAsk = { ...ask, details: { ...ask.details, snoozedUntil: until } };
    await tx.asks.upsert(portalId, [snoozed]);
    await tx.audit.append(portalId, [{ actor: input.actor, action: 'ask.snoozed', entityType: 'ask', entityId: askId, accountId: ask.accountId, criteriaVersion: ask.criteriaVersion, before: { snoozedUntil: ask.details.snoozedUntil ?? null }, after: { snoozedUntil: until } }], nowIso);
    if (input.notice) await tx.notices.enqueue(portalId, [snoozedAgainNotice(input.notice, until)]);
    return snoozed;
  });
  return { ask, until };
}
