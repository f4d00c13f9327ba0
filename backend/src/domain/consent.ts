import { DomainError } from './errors';
import type { AskType, Consent, IsoDate } from './types';

// A consent covers one scope (an ask type) for a contact, or for the whole account when it
// names no contact.

function covers(consent: Consent, accountId: string, contactId: string | null, scope: AskType): boolean {
  return (
    consent.scope === scope &&
    consent.accountId === accountId &&
    (consent.contactId === null || consent.contactId === contactId)
  );
}

export function activeConsent(
  consents: Consent[],
  accountId: string,
  contactId: string | null,
  scope: AskType,
  on: IsoDate,
): Consent | null {
  return (
    consents.find(
      (c) =>
        covers(c, accountId, contactId, scope) &&
        c.grantedOn <= on &&
        (c.expiresOn === null || c.expiresOn >= on) &&
        (c.revokedOn === null || c.revokedOn > on),
    ) ?? null
  );
}

/** A revoked consent blocks new asks of its scope until a newer consent is granted. */
export function revokedConsent(
  consents: Consent[],
  accountId: string,
  contactId: string | null,
  scope: AskType,
  on: IsoDate,
): Consent | null {
  const relevant = consents.filter((c) => covers(c, accountId, contactId, scope) && c.grantedOn <= on);
  const revoked = relevant.filter((c) => c.revokedOn !== null && c.revokedOn <= on);
  if (revoked.length === 0) return null;
  const lastRevoked = revoked.reduce((a, b) => ((b.revokedOn as string) > (a.revokedOn as string) ? b : a));
  const regranted = relevant.some((c) => c.revokedOn === null && c.grantedOn > (lastRevoked.revokedOn as string));
  return regranted ? null : lastRevoked;
}

/**
 * A consent recorded today: granted today unless the evidence dates it earlier; a grant dated
 * after today is refused (evidence cannot come from the future).
 */
export function grantConsent(input: Omit<Consent, 'grantedOn' | 'expiresOn' | 'revokedOn'> & { grantedOn?: IsoDate; expiresOn?: IsoDate | null }, today: IsoDate): Consent {
  const grantedOn = input.grantedOn ?? today;
  if (grantedOn > today) throw new DomainError('CONSENT_IN_FUTURE', `consent cannot be granted on ${grantedOn}, after today (${today})`);
  if (input.expiresOn && input.expiresOn < grantedOn) throw new DomainError('CONSENT_DATES_INCONSISTENT', `consent cannot expire on ${input.expiresOn}, before it was granted (${grantedOn})`, { grantedOn, expiresOn: input.expiresOn });
  return { consentId: input.consentId, accountId: input.accountId, contactId: input.contactId, scope: input.scope, grantedOn, evidence: input.evidence, expiresOn: input.expiresOn ?? null, revokedOn: null };
}

/** The consent revoked today; one revoked before stays revoked on its own day. */
export function revokeConsentOn(consent: Consent, today: IsoDate): Consent {
  return consent.revokedOn ? consent : { ...consent, revokedOn: today };
}
