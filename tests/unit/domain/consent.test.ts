import { dayOf } from '../../../backend/src/domain/calendar';
import { activeConsent, grantConsent, revokeConsentOn } from '../../../backend/src/domain/consent';
import { DomainError } from '../../../backend/src/domain/errors';
import { PUBLISHING_ASK_TYPES } from '../../../backend/src/domain/types';

const base = { consentId: 'consent-1', accountId: 'acc-1', contactId: 'con-1', scope: 'quote' as const, evidence: 'email of 20 November' };

describe('consent dates', () => {
  it('when a consent is recorded without a date, then it is granted today, with no expiry and not revoked', () => {
    expect(grantConsent(base, '2026-11-24')).toEqual({ ...base, grantedOn: '2026-11-24', expiresOn: null, revokedOn: null });
  });

  it('when the evidence dates the consent earlier, then that day is kept with its expiry', () => {
    expect(grantConsent({ ...base, grantedOn: '2026-11-20', expiresOn: '2027-11-20' }, '2026-11-24')).toMatchObject({ grantedOn: '2026-11-20', expiresOn: '2027-11-20' });
  });

  it('when a consent is dated after today, then it is refused with CONSENT_IN_FUTURE naming both days', () => {
    const refused = (() => {
      try {
        grantConsent({ ...base, grantedOn: '2026-11-25' }, '2026-11-24');
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'CONSENT_IN_FUTURE', message: 'consent cannot be granted on 2026-11-25, after today (2026-11-24)' });
  });

  it('when a consent is revoked, then it is revoked today; revoked again later, it keeps its first day', () => {
    const granted = grantConsent(base, '2026-11-01');
    const revoked = revokeConsentOn(granted, '2026-11-24');
    expect(revoked.revokedOn).toBe('2026-11-24');
    expect(revokeConsentOn(revoked, '2026-12-01')).toBe(revoked);
    expect(activeConsent([revoked], 'acc-1', 'con-1', 'quote', '2026-11-23')).toEqual(revoked);
    expect(activeConsent([revoked], 'acc-1', 'con-1', 'quote', '2026-11-24')).toBeNull();
  });
});

describe('the day of a moment', () => {
  it('when given a Date, an ISO timestamp or an ISO date, then it is the UTC calendar day', () => {
    expect(dayOf(new Date('2026-11-24T23:59:59.999Z'))).toBe('2026-11-24');
    expect(dayOf('2026-11-24T23:30:00-02:00')).toBe('2026-11-25');
    expect(dayOf('2026-11-24')).toBe('2026-11-24');
  });
});

describe('publishing ask types', () => {
  it('when an ask publishes the customer\'s name or brand, then it is one of the one list: quote, review, logo, case study, speaking', () => {
    expect(PUBLISHING_ASK_TYPES).toEqual(['quote', 'review', 'logo', 'case_study', 'speaking']);
  });
});
