import { createHash } from 'node:crypto';
import type { AppContext } from './context';
import { mergeFeedback } from '../domain/ask-details';
import { transitionAsk } from '../domain/ask-lifecycle';
import { dayOf } from '../domain/calendar';
import { grantConsent, revokeConsentOn } from '../domain/consent';
import { DomainError } from '../domain/errors';
import { PUBLISHING_ASK_TYPES, type AskStatus, type AskType, type Consent, type IsoDate, type Owner } from '../domain/types';
import { consentRevokedNotice, recipientOf } from '../domain/notices';
import { mirrorWrite } from '../domain/decision-plan';
import { relayOutbox } from '../jobs/relay-outbox';
import { applyDepsOf } from './apply-decision';
import type { StoredAsk } from '../store/store-port';

export interface OutcomeInput {
  status: AskStatus;
  note?: string | null;
  consent?: { scope: AskType; evidence: string; grantedOn?: IsoDate; expiresOn?: IsoDate | null } | null;
  /** After a reference call: the advocate's and the prospect's feedback, kept on the ask. */
  feedback?: { advocate?: string | null; prospect?: string | null } | null;
  actor: string;
}

const withoutEmpty = (f: { advocate?: string | null; prospect?: string | null }) => Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === 'string' && v.length > 0));

/**
 * Moves an ask along its lifecycle, recording consent first when it comes with the outcome.
 * The ask, the consent and their audit entries commit together or not at all.
 */
export async function recordOutcome(ctx: AppContext, portalId: string, askId: string, input: OutcomeInput): Promise<StoredAsk> {
  const nowIso = ctx.now().toISOString();
  const day = dayOf(nowIso);
  const updated = await ctx.store.transaction(async (tx) => {
    const ask = await tx.asks.get(portalId, askId, { forUpdate: true });
    if (!ask) throw new DomainError('ASK_NOT_FOUND', `no ask ${askId} in this portal`, { askId });
    const audit = [];
    if (input.consent) {
      const consent = grantConsent(
        {
          consentId: `consent-${createHash('sha256').update(`${askId}\u0000${input.consent.scope}`).digest('hex').slice(0, 16)}`,
          accountId: ask.accountId,
          contactId: ask.contactId,
          scope: input.consent.scope,
          evidence: input.consent.evidence,
          grantedOn: input.consent.grantedOn,
          expiresOn: input.consent.expiresOn,
        },
        day,
      );
      const before = await tx.consents.get(portalId, consent.consentId);
      await tx.consents.upsert(portalId, [{ ...consent, askId }]);
      // Evidence is personal (who said yes, how): it goes beside the entry, erasable, not in it.
      audit.push({ actor: input.actor, action: 'consent.recorded' as const, entityType: 'consent', entityId: consent.consentId, accountId: ask.accountId, criteriaVersion: null, before: before && withoutEvidence(before), after: withoutEvidence(consent), personal: { subjectId: consent.contactId, data: { ...(before ? { before: { evidence: before.evidence } } : {}), after: { evidence: consent.evidence } } } });
    }
    const consents = (await tx.consents.forAccounts(portalId, [ask.accountId])).get(ask.accountId) ?? [];
    const given = input.feedback ? withoutEmpty(input.feedback) : {};
    const feedback = mergeFeedback(ask.details, given) ?? undefined;
    const moved = { ...ask, ...transitionAsk(ask, input.status, nowIso, consents), outcomeNote: input.note ?? ask.outcomeNote, details: feedback ? { ...ask.details, feedback } : ask.details } as StoredAsk;
    await tx.asks.upsert(portalId, [moved]);
    // The note and feedback are personal: kept beside the entry (erasable), their presence in it.
    const personal = moved.outcomeNote || feedback ? { subjectId: ask.contactId, data: { after: { note: moved.outcomeNote, ...(feedback ? { feedback } : {}) } } } : undefined;
    audit.push({ actor: input.actor, action: 'ask.transitioned' as const, entityType: 'ask', entityId: askId, accountId: ask.accountId, criteriaVersion: ask.criteriaVersion, before: { status: ask.status }, after: { status: moved.status, hasNote: !!moved.outcomeNote, ...(feedback ? { feedbackFrom: Object.keys(feedback) } : {}) }, personal });
    await tx.audit.append(portalId, audit, nowIso);
    await tx.outbox.enqueue(portalId, [mirrorWrite(moved, day)]);
    return moved;
  });
  // The store told the reference index of the change on commit (availability for references).
  await mirror(ctx, portalId, [mirrorWrite(updated, day).idempotencyKey]);
  return updated;
}

/** Revokes a consent; from that day no new ask of its scope is proposed to that advocate. */
export async function revokeConsent(ctx: AppContext, portalId: string, consentId: string, actor: string): Promise<Consent> {
  const nowIso = ctx.now().toISOString();
  const owner = await ownerForConsent(ctx, portalId, consentId);
  const revoked = await ctx.store.transaction(async (tx) => {
    const before = await tx.consents.get(portalId, consentId);
    if (!before) throw new DomainError('CONSENT_NOT_FOUND', `no consent ${consentId} in this portal`, { consentId });
    const after = revokeConsentOn(before, dayOf(nowIso));
    if (after === before) return before;
    await tx.consents.upsert(portalId, [after]);
    // Content already published under it (a completed publishing ask of its scope) has to come down: the CSM is told.
    const published = PUBLISHING_ASK_TYPES.includes(before.scope)
      ? ((await tx.asks.forAccounts(portalId, [before.accountId])).get(before.accountId) ?? []).filter((a) => a.status === 'completed' && a.askType === before.scope && (before.contactId === null || a.contactId === before.contactId))
      : [];
    if (published.length && owner) {
      await tx.notices.enqueue(portalId, [consentRevokedNotice({ consentId, accountId: before.accountId, scope: before.scope, revokedOn: after.revokedOn!, publishedAskIds: published.map((a) => a.askId), recipient: recipientOf(owner.ownerId, owner) })]);
    }
    await tx.audit.append(portalId, [{ actor, action: 'consent.revoked', entityType: 'consent', entityId: consentId, accountId: before.accountId, criteriaVersion: null, before: withoutEvidence(before), after: withoutEvidence(after), personal: { subjectId: before.contactId, data: { before: { evidence: before.evidence }, after: { evidence: after.evidence } } } }], nowIso);
    return after;
  });
  try {
    await ctx.crmFor(portalId).recordConsent(revoked);
  } catch (error) {
    // The store has it; the CRM copy is a mirror and catches up on the next change.
    ctx.logger.warn({ portalId, consentId, code: (error as { code?: string }).code }, 'consent revocation not mirrored to the CRM');
  }
  return revoked;
}

/** The account's CSM, for the notice (a CRM that cannot answer now means no notice, never no revocation). */
async function ownerForConsent(ctx: AppContext, portalId: string, consentId: string): Promise<Owner | null> {
  const consent = await ctx.store.consents.get(portalId, consentId);
  if (!consent || !PUBLISHING_ASK_TYPES.includes(consent.scope)) return null;
  try {
    const signals = await ctx.crmFor(portalId).getAccount(consent.accountId);
    const ownerId = signals?.account.ownerId;
    return ownerId ? (signals.owner ?? { ownerId, name: ownerId, email: null }) : null;
  } catch (error) {
    ctx.logger.warn({ portalId, consentId, code: (error as { code?: string }).code }, 'consent revocation: the CSM could not be read from the CRM, no notice');
    return null;
  }
}

async function mirror(ctx: AppContext, portalId: string, keys: string[]) {
  const relay = await relayOutbox(applyDepsOf(ctx, portalId), { onlyKeys: keys });
  if (relay.stoppedBy) ctx.logger.warn({ portalId, code: relay.stoppedBy.code }, 'CRM mirror deferred');
}

const withoutEvidence = ({ evidence: _evidence, ...rest }: Consent) => rest;
