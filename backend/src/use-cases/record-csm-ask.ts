import type { AppContext } from './context';
import { DomainError } from '../domain/errors';
import type { AskType, IsoDate } from '../domain/types';
import { askIdOf, mirrorWrite, type PlannedAsk } from '../domain/decision-plan';
import { applyDecision, applyDepsOf } from './apply-decision';
import { toAskView } from './ask-view';
import { loadSnapshot, today } from './load-snapshot';
import type { AskView } from './views';

// The CSM asked the customer directly (a hand-off account, or simply their own call) and
// records it. It is an ask like any other from then on: stored with the others, so caps,
// cooldowns, the ladder and every KPI count it; audited; mirrored to the CRM. It starts as
// `sent` on the day the CSM asked. Idempotent: the same ask (account, contact, type, day)
// recorded twice is one ask.

export interface CsmAskInput {
  askType: AskType;
  contactId: string;
  askedOn: IsoDate;
  note?: string | null;
  actor: string;
}

export async function recordCsmAsk(ctx: AppContext, portalId: string, accountId: string, input: CsmAskInput): Promise<{ ask: AskView; created: boolean }> {
  const day = today(ctx);
  if (input.askedOn > day) throw new DomainError('DATE_IN_FUTURE', `an ask made on ${input.askedOn} is after today (${day}): record it once it is made`, { askedOn: input.askedOn });
  const { snapshot } = await loadSnapshot(ctx, portalId, accountId);
  const contact = snapshot.contacts.find((c) => c.contactId === input.contactId);
  if (!contact) throw new DomainError('CONTACT_NOT_FOUND', `no contact ${input.contactId} at account ${accountId}`, { accountId, contactId: input.contactId });

  const askId = askIdOf(portalId, 'csm', accountId, input.contactId, input.askType, input.askedOn);
  const existing = await ctx.store.asks.get(portalId, askId);
  if (existing) return { ask: toAskView(existing, snapshot.contacts), created: false };

  const nowIso = ctx.now().toISOString();
  const at = input.askedOn === day ? nowIso : `${input.askedOn}T12:00:00.000Z`;
  const ask: PlannedAsk = {
    askId,
    accountId,
    contactId: input.contactId,
    dealId: null,
    askType: input.askType,
    status: 'sent',
    proposedAt: at,
    sentAt: at,
    acceptedAt: null,
    declinedAt: null,
    noResponseAt: null,
    completedAt: null,
    cancelledAt: null,
    source: 'csm',
    runKey: null,
    taskId: null,
    crmAskId: null,
    outcomeNote: input.note?.trim() ? input.note.trim() : null,
    criteriaVersion: ctx.criteria.version,
    readinessScore: null,
    details: { csmOwned: true, recordedBy: input.actor, contactName: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null },
  };
  // The contact was just asked: the store tells the reference index, which stops offering them.
  const { written, relay } = await applyDecision(applyDepsOf(ctx, portalId), {
    asks: [ask],
    writes: [mirrorWrite(ask, day)],
    audit: [{ actor: input.actor, action: 'ask.created', entityType: 'ask', entityId: askId, accountId, criteriaVersion: ctx.criteria.version, before: null, after: { csmOwned: true, askType: ask.askType, contactId: ask.contactId, status: 'sent', askedOn: input.askedOn, hasNote: !!ask.outcomeNote }, personal: ask.outcomeNote ? { subjectId: ask.contactId, data: { after: { note: ask.outcomeNote } } } : undefined }],
  });
  if (relay.stoppedBy) ctx.logger.warn({ portalId, askId, code: relay.stoppedBy.code }, 'CRM mirror of the CSM ask deferred');
  const stored = (await ctx.store.asks.get(portalId, askId))!;
  return { ask: toAskView(stored, snapshot.contacts), created: written };
}
