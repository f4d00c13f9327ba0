import { askedOn } from './ask-history';
import { snapshotAsOf } from './as-of';
import { activeConsent } from './consent';
import type { Criteria } from './criteria';
import { unavailableNow } from './reference-eligibility';
import type { Advocate } from './reference-types';
import { scoreReadiness } from './score-readiness';
import { ASK_TYPES, type AccountSnapshot, type IsoDate } from './types';

// The advocates of one account, as the reference matcher sees them: every contact with the
// account's attributes, readiness, last use, and the first reason (if any) it cannot be asked
// for a reference now (reference-eligibility.ts decides that).

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
      unavailable: unavailableNow(snapshot, contact.contactId, criteria, asOf),
      consentedTo: ASK_TYPES.filter((t) => activeConsent(snapshot.consents, a.accountId, contact.contactId, t, asOf) !== null),
    };
  });
}
