import type { AppContext } from './context';
import { DomainError } from '../domain/errors';
import { latestNps } from '../domain/eligibility';
import { accountAskCap, contactReferenceCallCap, noResponsePause, noResponsePauseReason } from '../domain/fatigue';
import { toAskView } from './ask-view';
import { loadSnapshot, today } from './load-snapshot';
import type { ContactAdvocateView } from './views';

/** One contact as an advocate: latest NPS, asks, caps left, do-not-contact. */
export async function contactAdvocate(ctx: AppContext, portalId: string, contactId: string): Promise<ContactAdvocateView> {
  const crm = ctx.crmFor(portalId);
  const accountId = (await crm.accountIdOfContact?.(contactId)) ?? null;
  if (!accountId) throw new DomainError('CONTACT_NOT_FOUND', `no contact ${contactId} (with an account) in this portal`, { contactId });
  const { snapshot, asks } = await loadSnapshot(ctx, portalId, accountId);
  const contact = snapshot.contacts.find((c) => c.contactId === contactId);
  if (!contact) throw new DomainError('CONTACT_NOT_FOUND', `no contact ${contactId} in this portal`, { contactId });
  const day = today(ctx);
  const mine = asks.filter((a) => a.contactId === contactId).sort((a, b) => b.proposedAt.localeCompare(a.proposedAt));
  const nps = latestNps(snapshot.npsResponses, contactId);
  const accountCap = accountAskCap(asks, ctx.criteria, day);
  const refCap = contactReferenceCallCap(asks, contactId, ctx.criteria, day);
  const pause = noResponsePause(asks, contactId, ctx.criteria, day);
  return {
    contact: {
      contactId,
      accountId,
      name: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contactId,
      title: contact.title,
      seniority: contact.seniority,
      doNotContact: contact.doNotContact,
    },
    latestNps: nps ? { score: nps.score, date: nps.date } : null,
    lastAsk: mine[0] ? toAskView(mine[0], snapshot.contacts) : null,
    asks: mine.map((a) => toAskView(a, snapshot.contacts)),
    caps: {
      accountAsks: { used: accountCap.used, max: accountCap.max, availableOn: accountCap.cappedUntil },
      referenceCalls: { used: refCap.used, max: refCap.max, availableOn: refCap.cappedUntil },
    },
    paused: pause ? { until: pause.until, reason: noResponsePauseReason(asks, contactId, ctx.criteria, day)!.detail } : null,
    consents: snapshot.consents.filter((c) => c.contactId === contactId || c.contactId === null),
  };
}

