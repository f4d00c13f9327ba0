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
