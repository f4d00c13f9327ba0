import { plusMonths } from './calendar';
import type { Criteria } from './criteria';
import type { Account, Contact, IsoDate, NpsResponse, Reason } from './types';

// Eligibility gates for an automatic ask. Each failed gate is one reason; an empty list
// means the gate passed.

export function latestNps(responses: NpsResponse[], contactId: string): NpsResponse | null {
  let latest: NpsResponse | null = null;
  for (const r of responses) {
    if (r.contactId !== contactId) continue;
    if (!latest || r.date > latest.date) latest = r;
  }
  return latest;
}

export function accountGateReasons(account: Account, criteria: Criteria, asOf: IsoDate): Reason[] {
  const { minHealth, minTenureMonths, requireOwner } = criteria.eligibility;
  const reasons: Reason[] = [];

  if (account.healthScore === null) {
    reasons.push({ code: 'HEALTH_MISSING', detail: 'the account has no health score' });
  } else if (account.healthScore < minHealth) {
    reasons.push({ code: 'HEALTH_BELOW_MIN', detail: `health ${account.healthScore} is below ${minHealth}` });
  }

  if (account.customerSince === null) {
    reasons.push({ code: 'TENURE_UNKNOWN', detail: 'the account has no customer-since date' });
  } else {
    // "More than N months": a customer exactly N months old on the evaluation date waits a day.
    const eligibleAfter = plusMonths(account.customerSince, minTenureMonths);
    if (!(asOf > eligibleAfter)) {
      reasons.push({
        code: 'TENURE_TOO_SHORT',
        detail: `customer since ${account.customerSince}; tenure must exceed ${minTenureMonths} months (after ${eligibleAfter})`,
      });
    }
  }

  if (requireOwner && !account.ownerId) {
    reasons.push({ code: 'NO_OWNER', detail: 'the account has no owning CSM' });
  }
  return reasons;
}

export function contactGateReasons(contact: Contact, responses: NpsResponse[], criteria: Criteria, asOf: IsoDate): Reason[] {
  const { minNps, npsMaxAgeMonths } = criteria.eligibility;
  const reasons: Reason[] = [];
  const nps = latestNps(responses, contact.contactId);
  if (!nps) {
    reasons.push({ code: 'NPS_MISSING', detail: `contact ${contact.contactId} has no NPS response` });
  } else {
    const oldestAccepted = plusMonths(asOf, -npsMaxAgeMonths);
    if (nps.date < oldestAccepted) {
      reasons.push({ code: 'NPS_STALE', detail: `latest NPS is from ${nps.date}, older than ${npsMaxAgeMonths} months` });
    }
    if (nps.score < minNps) {
      reasons.push({ code: 'NPS_BELOW_MIN', detail: `latest NPS ${nps.score} (${nps.date}) is below ${minNps}` });
    }
  }
  if (contact.doNotContact) {
    reasons.push({ code: 'DO_NOT_CONTACT', detail: `contact ${contact.contactId} is marked do-not-contact` });
  }
  return reasons;
}
