import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context';
import { DomainError } from '../domain/errors';
import type { AskType, IsoDate } from '../domain/types';
import { mirrorOutboxItem } from '../jobs/decision-records';
import { relayOutbox } from '../jobs/relay-outbox';
import type { StoredAsk } from '../store/store-port';
import { refreshAdvocates } from './advocate-cache';
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

  const askId = `ask-${createHash('sha256').update(`${portalId}\u0000csm\u0000${accountId}\u0000${input.contactId}\u0000${input.askType}\u0000${input.askedOn}`).digest('hex').slice(0, 16)}`;
  const existing = await ctx.store.asks.get(portalId, askId);
  if (existing) return { ask: toAskView(existing, snapshot.contacts), created: false };

  const nowIso = ctx.now().toISOString();
  const at = input.askedOn === day ? nowIso : `${input.askedOn}T12:00:00.000Z`;
  const ask: StoredAsk = {
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
  let created = false;
  await ctx.store.transaction(async (tx) => {
    const inserted = await tx.asks.insert(portalId, [ask]);
    if (inserted.length === 0) return; // the same ask recorded at the same moment elsewhere
    created = true;
    await tx.outbox.enqueue(portalId, [mirrorOutboxItem(ask, day)]);
    await tx.audit.append(
      portalId,
      [{ actor: input.actor, action: 'ask.created', entityType: 'ask', entityId: askId, accountId, criteriaVersion: ctx.criteria.version, before: null, after: { csmOwned: true, askType: ask.askType, contactId: ask.contactId, status: 'sent', askedOn: input.askedOn, note: ask.outcomeNote } }],
      nowIso,
    );
  });
  await refreshAdvocates(ctx, portalId, accountId); // the contact was just asked: not offered as a reference now
  const relay = await relayOutbox({ store: ctx.store, crm: ctx.crmFor(portalId), portalId, now: ctx.now }, { onlyKeys: [mirrorOutboxItem(ask, day).idempotencyKey] });
  if (relay.stoppedBy) ctx.logger.warn({ portalId, askId, code: relay.stoppedBy.code }, 'CRM mirror of the CSM ask deferred');
  const stored = (await ctx.store.asks.get(portalId, askId))!;
  return { ask: toAskView(stored, snapshot.contacts), created };
}
