import type { Criteria } from './criteria';
import { accountGateReasons, contactGateReasons } from './eligibility';
import { accountAskCap, contactReferenceCallCap, noResponsePause } from './fatigue';
import { recentAskReasons, sensitivityReasons } from './handoff';
import { MATCH_ATTRIBUTES, type Advocate, type ReferenceNeed, type Unavailable } from './reference-types';
import { PUBLISHING_ASK_TYPES, type AccountSnapshot, type AskType, type IsoDate } from './types';

// Who may be asked for a reference, in one place: the matcher offers only those who may, and a
// request for anyone else is refused with the reason. An advocate may be asked when they are
// not at the deal's own company, pass the engine's own gates, hand-offs and caps for their
// account (worked out when the index is built, and again on fresh data for a request), have a
// consent on file for a publishing ask, share something with the need, and their account has an
// owning CSM to approve the request.

// A scan's proposal the CSM has not sent has not reached the customer: it does not keep the
// advocate from a reference request, which goes to the same CSM, who then decides between the
// two. A pending reference request from another deal does: two reps must not pile up on one.
const unsentProposalsAside = (s: AccountSnapshot): AccountSnapshot => ({ ...s, asks: s.asks.filter((k) => !(k.status === 'proposed' && k.dealId === null)) });

/** The first reason (if any) this contact cannot be asked for a reference now: the engine's own gates, hand-offs and caps. */
export function unavailableNow(snapshot: AccountSnapshot, contactId: string, criteria: Criteria, asOf: IsoDate): Unavailable | null {
  const contact = snapshot.contacts.find((c) => c.contactId === contactId)!;
  if (contact.doNotContact) return { code: 'DO_NOT_CONTACT', detail: 'marked do-not-contact', availableOn: null };
  const gates = [...accountGateReasons(snapshot.account, criteria, asOf), ...contactGateReasons(contact, snapshot.npsResponses, criteria, asOf)];
  if (gates.length) return { code: 'NOT_ELIGIBLE', detail: gates.map((g) => g.code).join(', '), availableOn: null };
  const paused = noResponsePause(snapshot.asks, contactId, criteria, asOf);
  if (paused) return { code: 'PAUSED_NO_RESPONSE', detail: `did not answer ${paused.askIds.length} asks in a row; paused until ${paused.until}`, availableOn: paused.until };
  const held = [...(criteria.handoff.strategicAccount && snapshot.account.strategic ? [{ code: 'STRATEGIC_ACCOUNT' }] : []), ...sensitivityReasons(snapshot, criteria, asOf), ...recentAskReasons(unsentProposalsAside(snapshot), criteria, asOf)];
  if (held.length) return { code: 'HANDOFF_CONDITION', detail: [...new Set(held.map((h) => h.code))].join(', '), availableOn: null };
  const caps = [accountAskCap(snapshot.asks, criteria, asOf), contactReferenceCallCap(snapshot.asks, contactId, criteria, asOf)].filter((c) => c.cappedUntil);
  if (caps.length) {
    const until = caps.map((c) => c.cappedUntil!).sort().at(-1)!;
    return { code: 'FATIGUE_CAP', detail: `at the ask cap until ${until}`, availableOn: until };
  }
  return null;
}

/** Why this advocate cannot be asked for this ask type now (null when it can). */
export function advocateUnavailableFor(a: Advocate, askType: AskType): Unavailable | null {
  if (a.unavailable) return a.unavailable;
  if (PUBLISHING_ASK_TYPES.includes(askType) && !a.consentedTo.includes(askType)) return { code: 'NO_CONSENT', detail: `no consent on file for a ${askType}`, availableOn: null };
  return null;
}

/** The deal's own company cannot be its own reference. */
export const isDealsOwnCompany = (a: { accountId: string }, dealAccountId: string | null | undefined): boolean => !!dealAccountId && a.accountId === dealAccountId;

const norm = (v: string) => v.trim().toLowerCase();

/** Whether the advocate matches the need on at least one attribute the need names. */
export const sharesSomethingWith = (a: Advocate, need: ReferenceNeed): boolean =>
  MATCH_ATTRIBUTES.some((k) => {
    const want = need[k];
    return !!want && a.attributes[k].some((v) => norm(v) === norm(want));
  });

export interface ReferenceRefusal {
  message: string;
  details: Record<string, unknown>;
}

/** The advocate as the reference index has it; undefined when the index has no such advocate. */
export interface IndexedCandidate {
  contactId: string;
  indexed: Advocate | undefined;
}

/** The same advocate on fresh data: the account as the CRM has it now (null: gone), its asks and consents as stored now. */
export interface FreshCandidate extends IndexedCandidate {
  fresh: { account: { accountId: string; name: string; ownerId: string | null } | null; advocate: Advocate | undefined };
}

export type ReferenceCheck = { refused: ReferenceRefusal } | { readFresh: Advocate } | { advocate: Advocate; ownerId: string };

/**
 * Whether this contact may be asked for a reference for this need. On the index alone it says
 * what the index can tell (refused, or read this advocate's account afresh); on fresh data it
 * decides: refused with the first reason, or the advocate and the CSM who approves.
 */
export function referenceCheck(candidate: FreshCandidate, need: ReferenceNeed, dealAccountId: string | null): { refused: ReferenceRefusal } | { advocate: Advocate; ownerId: string };
export function referenceCheck(candidate: IndexedCandidate, need: ReferenceNeed, dealAccountId: string | null): { refused: ReferenceRefusal } | { readFresh: Advocate };
export function referenceCheck(candidate: IndexedCandidate | FreshCandidate, need: ReferenceNeed, dealAccountId: string | null): ReferenceCheck {
  const { contactId, indexed } = candidate;
  const refused = (message: string, details: Record<string, unknown> = { contactId }) => ({ refused: { message, details } });
  if (!indexed) return refused(`contact ${contactId} is not an advocate in this portal`);
  if (isDealsOwnCompany(indexed, dealAccountId)) return refused(`contact ${contactId} works at the deal's own company, which cannot be its own reference`);
  if (!('fresh' in candidate)) return { readFresh: indexed };
  const { account, advocate } = candidate.fresh;
  if (!account) return refused(`the advocate's account ${indexed.accountId} is no longer in the CRM`);
  if (!advocate) return refused(`contact ${contactId} is no longer at ${account.name}`);
  const unavailable = advocateUnavailableFor(advocate, need.askType);
  if (unavailable) return refused(`contact ${contactId} cannot be asked for this reference now: ${unavailable.detail}`, { contactId, unavailable });
  if (!sharesSomethingWith(advocate, need)) return refused(`contact ${contactId} shares nothing with this need`);
  if (!account.ownerId) return refused(`the advocate's account has no owning CSM to approve the request`, { accountId: advocate.accountId });
  return { advocate, ownerId: account.ownerId };
}
