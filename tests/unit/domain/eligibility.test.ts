import { evaluateAccount } from '../../../backend/src/domain/evaluate-account';
import { buildContact, buildNps, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

const criteria = defaultCriteria();
const codes = (s: ReturnType<typeof buildSnapshot>, asOf = TODAY) => evaluateAccount(s, criteria, asOf).reasons.map((r) => r.code);

describe('eligibility gates', () => {
  test('when every gate passes and nothing holds back, then the decision is propose', () => {
    const e = evaluateAccount(buildSnapshot(), criteria, TODAY);
    expect(e.decision).toBe('propose');
    expect(e.contactId).toBe('con-1');
    expect(e.criteriaVersion).toBe('2026-11-01.1');
  });

  test('when the latest NPS is 8, then not_ready with NPS_BELOW_MIN; when it is 9, then propose', () => {
    const e8 = evaluateAccount(buildSnapshot({ npsResponses: [buildNps({ score: 8 })] }), criteria, TODAY);
    expect(e8.decision).toBe('not_ready');
    expect(e8.reasons.map((r) => r.code)).toEqual(['NPS_BELOW_MIN']);
    expect(evaluateAccount(buildSnapshot({ npsResponses: [buildNps({ score: 9 })] }), criteria, TODAY).decision).toBe('propose');
  });

  test('when an older 10 is followed by a newer 8, then the latest (8) decides', () => {
    const s = buildSnapshot({ npsResponses: [buildNps({ score: 10, date: '2026-03-01' }), buildNps({ score: 8, date: '2026-10-01' })] });
    expect(codes(s)).toEqual(['NPS_BELOW_MIN']);
  });

  test('when the latest NPS is exactly 12 months old, then it counts; a day older, then NPS_STALE', () => {
    expect(codes(buildSnapshot({ npsResponses: [buildNps({ date: '2025-11-24' })] }))).not.toContain('NPS_STALE');
    expect(codes(buildSnapshot({ npsResponses: [buildNps({ date: '2025-11-23' })] }))).toEqual(['NPS_STALE']);
  });

  test('when the contact has no NPS response, then NPS_MISSING', () => {
    expect(codes(buildSnapshot({ npsResponses: [] }))).toEqual(['NPS_MISSING']);
  });

  test('when health is 79, then HEALTH_BELOW_MIN; when it is 80, then eligible', () => {
    expect(codes(buildSnapshot({ account: { healthScore: 79 } }))).toEqual(['HEALTH_BELOW_MIN']);
    expect(evaluateAccount(buildSnapshot({ account: { healthScore: 80 } }), criteria, TODAY).decision).toBe('propose');
  });

  test('when the health score is missing, then HEALTH_MISSING, not a silent zero', () => {
    expect(codes(buildSnapshot({ account: { healthScore: null } }))).toEqual(['HEALTH_MISSING']);
  });

  test('when tenure is exactly 6 months on the evaluation date, then TENURE_TOO_SHORT; a day more, then eligible', () => {
    expect(codes(buildSnapshot({ account: { customerSince: '2026-05-24' } }))).toEqual(['TENURE_TOO_SHORT']);
    expect(evaluateAccount(buildSnapshot({ account: { customerSince: '2026-05-23' } }), criteria, TODAY).decision).toBe('propose');
  });

  test('when the customer-since date is unknown, then TENURE_UNKNOWN', () => {
    expect(codes(buildSnapshot({ account: { customerSince: null } }))).toEqual(['TENURE_UNKNOWN']);
  });

  test('when the contact is do-not-contact, then DO_NOT_CONTACT', () => {
    expect(codes(buildSnapshot({ contacts: [buildContact({ doNotContact: true })] }))).toEqual(['DO_NOT_CONTACT']);
  });

  test('when the account has no owning CSM, then NO_OWNER', () => {
    expect(codes(buildSnapshot({ account: { ownerId: null }, owner: null }))).toEqual(['NO_OWNER']);
  });

  test('when the account has no contacts, then NO_CONTACT and no readiness', () => {
    const e = evaluateAccount(buildSnapshot({ contacts: [], npsResponses: [] }), criteria, TODAY);
    expect(e.reasons.map((r) => r.code)).toEqual(['NO_CONTACT']);
    expect(e.readiness).toBeNull();
  });

  test('when several gates fail, then every failed gate is listed', () => {
    const s = buildSnapshot({
      account: { healthScore: 60, customerSince: '2026-10-01', ownerId: null },
      contacts: [buildContact({ doNotContact: true })],
      npsResponses: [buildNps({ score: 7, date: '2025-01-01' })],
    });
    expect(codes(s).sort()).toEqual(['DO_NOT_CONTACT', 'HEALTH_BELOW_MIN', 'NO_OWNER', 'NPS_BELOW_MIN', 'NPS_STALE', 'TENURE_TOO_SHORT']);
  });

  test('when gates fail and hand-off conditions hold too, then not_ready wins and lists only the gates', () => {
    const s = buildSnapshot({ account: { healthScore: 70, strategic: true } });
    const e = evaluateAccount(s, criteria, TODAY);
    expect(e.decision).toBe('not_ready');
    expect(e.reasons.map((r) => r.code)).toEqual(['HEALTH_BELOW_MIN']);
  });

  test('when one contact fails and another passes, then the eligible contact is chosen', () => {
    const s = buildSnapshot({
      contacts: [buildContact({ contactId: 'con-1', doNotContact: true }), buildContact({ contactId: 'con-2', seniority: 'manager' })],
      npsResponses: [buildNps({ contactId: 'con-1' }), buildNps({ contactId: 'con-2', score: 9 })],
    });
    const e = evaluateAccount(s, criteria, TODAY);
    expect(e.decision).toBe('propose');
    expect(e.contactId).toBe('con-2');
  });

  test('when responses are dated after the evaluation date, then they are ignored', () => {
    const s = buildSnapshot({ npsResponses: [buildNps({ score: 6, date: '2026-01-10' }), buildNps({ score: 10, date: '2026-12-01' })] });
    expect(codes(s)).toEqual(['NPS_BELOW_MIN']);
  });
});
