import { statusOn } from '../../../backend/src/domain/ask-history';
import { transitionAsk, TRANSITIONS } from '../../../backend/src/domain/ask-lifecycle';
import { DomainError } from '../../../backend/src/domain/errors';
import { ASK_STATUSES, type AskStatus, type AskType } from '../../../backend/src/domain/types';
import { buildAsk, buildConsent } from '../../support/builders';

const fresh = (status: AskStatus, askType: AskType = 'quote') =>
  buildAsk({ status, askType, sentAt: null, acceptedAt: null, completedAt: null });
const NOW = '2026-11-24T12:00:00.000Z';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'UNEXPECTED';
  }
}

describe('ask lifecycle', () => {
  test('when an ask goes proposed -> sent -> accepted -> completed with consent, then each step is timestamped', () => {
    const consents = [buildConsent({ grantedOn: '2026-11-01' })];
    let ask = fresh('proposed');
    ask = transitionAsk(ask, 'sent', '2026-11-02T10:00:00.000Z', []);
    ask = transitionAsk(ask, 'accepted', '2026-11-05T10:00:00.000Z', []);
    ask = transitionAsk(ask, 'completed', NOW, consents);
    expect(ask).toMatchObject({ status: 'completed', sentAt: '2026-11-02T10:00:00.000Z', acceptedAt: '2026-11-05T10:00:00.000Z', completedAt: NOW });
  });

  test.each(
    ASK_STATUSES.flatMap((from) => ASK_STATUSES.filter((to) => !TRANSITIONS[from].includes(to)).map((to) => [from, to] as const)),
  )('when an ask moves from %s to %s, then INVALID_TRANSITION', (from, to) => {
    expect(codeOf(() => transitionAsk(fresh(from), to, NOW, []))).toBe('INVALID_TRANSITION');
  });

  test('when a refused transition is attempted, then the message names the allowed moves', () => {
    expect(() => transitionAsk(fresh('proposed'), 'completed', NOW, [])).toThrow('ask ask-1 is proposed; it can move to sent, cancelled, not completed');
    expect(() => transitionAsk(fresh('declined'), 'sent', NOW, [])).toThrow('nothing (final)');
  });

  test.each(['quote', 'review', 'logo', 'case_study', 'speaking'] as const)(
    'when a %s is completed without consent, then CONSENT_REQUIRED and the ask is unchanged',
    (type) => {
      const ask = fresh('accepted', type);
      expect(codeOf(() => transitionAsk(ask, 'completed', NOW, []))).toBe('CONSENT_REQUIRED');
      expect(ask.status).toBe('accepted');
    },
  );

  test('when a reference call or advisory seat is completed, then no consent record is needed', () => {
    expect(transitionAsk(fresh('accepted', 'reference_call'), 'completed', NOW, []).status).toBe('completed');
    expect(transitionAsk(fresh('accepted', 'advisory_board'), 'completed', NOW, []).status).toBe('completed');
  });

  test('when the consent is for another scope, expired or revoked, then completion is refused', () => {
    const ask = fresh('accepted', 'case_study');
    const others = [
      buildConsent({ scope: 'quote' }),
      buildConsent({ scope: 'case_study', expiresOn: '2026-11-23' }),
      buildConsent({ scope: 'case_study', revokedOn: '2026-11-20' }),
      buildConsent({ scope: 'case_study', contactId: 'someone-else' }),
      buildConsent({ scope: 'case_study', grantedOn: '2026-11-25' }),
    ];
    for (const c of others) expect(codeOf(() => transitionAsk(ask, 'completed', NOW, [c]))).toBe('CONSENT_REQUIRED');
  });

  test('when an account-wide logo consent exists, then any contact can complete the logo ask', () => {
    const ask = fresh('accepted', 'logo');
    expect(transitionAsk(ask, 'completed', NOW, [buildConsent({ scope: 'logo', contactId: null })]).status).toBe('completed');
  });

  test('when the status on a past day is asked for, then it is rebuilt from the step timestamps', () => {
    const ask = buildAsk();
    expect(statusOn(ask, '2025-05-31')).toBeNull();
    expect(statusOn(ask, '2025-06-01')).toBe('proposed');
    expect(statusOn(ask, '2025-06-03')).toBe('sent');
    expect(statusOn(ask, '2025-06-10')).toBe('accepted');
    expect(statusOn(ask, '2025-06-20')).toBe('completed');
  });
});
