import { askedOn } from './ask-history';
import { snapshotAsOf } from './as-of';
import { activeConsent } from './consent';
import type { Criteria } from './criteria';
import { accountGateReasons, contactGateReasons } from './eligibility';
import { accountAskCap, contactReferenceCallCap } from './fatigue';
import { recentAskReasons, sensitivityReasons } from './handoff';
import type { Advocate, Unavailable } from './reference-match';
import { scoreReadiness } from './score-readiness';
import { ASK_TYPES, type AccountSnapshot, type IsoDate } from './types';

// The advocates of one account, as the reference matcher sees them: every contact with the
// account's attributes, readiness, last use, and the first reason (if any) it cannot be asked
// for a reference now. The same gates, hand-offs and caps as the engine's own asks.

// A scan's proposal the CSM has not sent has not reached the customer: it does not keep the
// advocate from a reference request, which goes to the same CSM, who then decides between the
// two. A pending reference request from another deal does: two reps must not pile up on one.
const unsentProposalsAside = (s: AccountSnapshot): AccountSnapshot => ({ ...s, asks: s.asks.filter((k) => !(k.status === 'proposed' && k.dealId === null)) });

function unavailable(snapshot: AccountSnapshot, contactId: string, criteria: Criteria, asOf: IsoDate): Unavailable | null {
  const contact = snapshot.contacts.find((c) => c.contactId === contactId)!;
  if (contact.doNotContact) return { code: 'DO_NOT_CONTACT', detail: 'marked do-not-contact', availableOn: null };
  const gates = [...accountGateReasons(snapshot.account, criteria, asOf), ...contactGateReasons(contact, snapshot.npsResponses, criteria, asOf)];
  if (gates.length) return { code: 'NOT_ELIGIBLE', detail: gates.map((g) => g.code).join(', '), availableOn: null };
  const held = [...(criteria.handoff.strategicAccount && snapshot.account.strategic ? [{ code: 'STRATEGIC_ACCOUNT' }] : []), ...sensitivityReasons(snapshot, criteria, asOf), ...recentAskReasons(unsentProposalsAside(snapshot), criteria, asOf)];
  if (held.length) return { code: 'HANDOFF_CONDITION', detail: [...new Set(held.map((h) => h.code))].join(', '), availableOn: null };
  const caps = [accountAskCap(snapshot.asks, criteria, asOf), contactReferenceCallCap(snapshot.asks, contactId, criteria, asOf)].filter((c) => c.cappedUntil);
  if (caps.length) {
    const until = caps.map((c) => c.cappedUntil!).sort().at(-1)!;
    return { code: 'FATIGUE_CAP', detail: `at the ask cap until ${until}`, availableOn: until };
  }
  return null;
}

export function advocatesOf(full: AccountSnapshot, criteria: Criteria, asOf: IsoDate): Advocate[] {
  const snapshot = snapshotAsOf(full, asOf);
  const a = snapshot.account;
  return snapshot.contacts.map((contact) => {
    const used = snapshot.asks
      .filter((k) => k.contactId === contact.contactId)
      .map(askedOn)
      .filter((d): d is string => d !== null)
      .sort()
      .at(-1);
    return {
      contactId: contact.contactId,
      contactName: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.contactId,
      accountId: a.accountId,
      accountName: a.name,
      attributes: {
        industry: a.industry ? [a.industry] : [],
        sizeBand: a.sizeBand ? [a.sizeBand] : [],
        region: a.region ? [a.region] : [],
        product: a.products,
        useCase: a.useCases ?? [],
        competitor: a.competitorsReplaced ?? [],
        language: a.languages ?? [],
      },
      readiness: scoreReadiness(snapshot, contact, criteria, asOf).score,
      lastUsedOn: used ?? null,
      unavailable: unavailable(snapshot, contact.contactId, criteria, asOf),
      consentedTo: ASK_TYPES.filter((t) => activeConsent(snapshot.consents, a.accountId, contact.contactId, t, asOf) !== null),
    };
  });
}
