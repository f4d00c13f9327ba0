import { evaluateAccount } from '../../../backend/src/domain/evaluate-account';
import { at, buildAsk, buildContact, buildNps, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

const criteria = defaultCriteria();
const evaluate = (s: ReturnType<typeof buildSnapshot>) => evaluateAccount(s, criteria, TODAY);
const sentAsk = (id: string, daysAgo: number, extra: Parameters<typeof buildAsk>[0] = {}) =>
  buildAsk({
    askId: id,
    askType: 'review',
    status: 'declined',
    proposedAt: at(TODAY, -daysAgo - 1),
    sentAt: at(TODAY, -daysAgo),
    acceptedAt: null,
    declinedAt: at(TODAY, -daysAgo + 1),
    completedAt: null,
    ...extra,
  });

describe('hand-off conditions', () => {
  test('when the account is flagged strategic, then handoff with STRATEGIC_ACCOUNT and the CSM must act', () => {
    const e = evaluate(buildSnapshot({ account: { strategic: true } }));
    expect(e.decision).toBe('handoff');
    expect(e.reasons.map((r) => r.code)).toEqual(['STRATEGIC_ACCOUNT']);
    expect(e.ownerMustAct).toBe(true);
    expect(e.proposal?.askType).toBe('quote');
  });

  test('when there is an open escalation, then SENSITIVE_RELATIONSHIP', () => {
    const e = evaluate(buildSnapshot({ account: { openEscalations: 2 } }));
    expect(e.decision).toBe('handoff');
    expect(e.reasons).toEqual([{ code: 'SENSITIVE_RELATIONSHIP', detail: '2 open escalation(s)' }]);
  });

  test('when health fell 15 points within 30 days, then SENSITIVE_RELATIONSHIP; 14 points, then not', () => {
    const fell15 = buildSnapshot({ account: { healthScore: 82, healthHistory: [{ date: '2026-11-01', score: 97 }] } });
    expect(evaluate(fell15).reasons.map((r) => r.code)).toEqual(['SENSITIVE_RELATIONSHIP']);
    const fell14 = buildSnapshot({ account: { healthScore: 82, healthHistory: [{ date: '2026-11-01', score: 96 }] } });
    expect(evaluate(fell14).decision).toBe('propose');
  });

  test('when the higher reading is older than 30 days, then the drop does not count', () => {
    const s = buildSnapshot({ account: { healthScore: 82, healthHistory: [{ date: '2026-10-24', score: 99 }] } });
    expect(evaluate(s).decision).toBe('propose');
  });

  test('when the renewal is 60 days away, then SENSITIVE_RELATIONSHIP; 61 days, then not', () => {
    expect(evaluate(buildSnapshot({ account: { renewalDate: '2027-01-23' } })).reasons.map((r) => r.code)).toEqual(['SENSITIVE_RELATIONSHIP']);
    expect(evaluate(buildSnapshot({ account: { renewalDate: '2027-01-24' } })).decision).toBe('propose');
  });

  test('when anyone at the account answered NPS 6 in the last 90 days, then SENSITIVE_RELATIONSHIP', () => {
    const s = buildSnapshot({
      contacts: [buildContact(), buildContact({ contactId: 'con-2' })],
      npsResponses: [buildNps(), buildNps({ contactId: 'con-2', score: 6, date: '2026-10-01' })],
    });
    const e = evaluate(s);
    expect(e.decision).toBe('handoff');
    expect(e.reasons[0].detail).toContain('NPS 6 from contact con-2');
  });

  test('when the detractor answer is 91 days old or scored 7, then it does not hold back', () => {
    const old = buildSnapshot({ contacts: [buildContact(), buildContact({ contactId: 'con-2' })], npsResponses: [buildNps(), buildNps({ contactId: 'con-2', score: 3, date: '2026-08-25' })] });
    expect(evaluate(old).decision).toBe('propose');
    const passive = buildSnapshot({ contacts: [buildContact(), buildContact({ contactId: 'con-2' })], npsResponses: [buildNps(), buildNps({ contactId: 'con-2', score: 7, date: '2026-11-01' })] });
    expect(evaluate(passive).decision).toBe('propose');
  });

  test('when the last ask was sent 59 days ago, then RECENT_ASK_CONFLICT; 61 days ago, then propose', () => {
    const e59 = evaluate(buildSnapshot({ asks: [sentAsk('a1', 59)] }));
    expect(e59.decision).toBe('handoff');
    expect(e59.reasons.map((r) => r.code)).toEqual(['RECENT_ASK_CONFLICT']);
    expect(e59.ownerMustAct).toBe(false);
    expect(evaluate(buildSnapshot({ asks: [sentAsk('a1', 61)] })).decision).toBe('propose');
  });

  test('when an ask is still open, then RECENT_ASK_CONFLICT however old it is', () => {
    const open = buildAsk({ status: 'proposed', proposedAt: at(TODAY, -200), sentAt: null, acceptedAt: null, completedAt: null });
    expect(evaluate(buildSnapshot({ asks: [open] })).reasons.map((r) => r.code)).toEqual(['RECENT_ASK_CONFLICT']);
  });

  test('when an ask was proposed and cancelled without being sent, then it is no conflict', () => {
    const cancelled = buildAsk({ status: 'cancelled', proposedAt: at(TODAY, -10), sentAt: null, acceptedAt: null, completedAt: null, cancelledAt: at(TODAY, -9) });
    expect(evaluate(buildSnapshot({ asks: [cancelled] })).decision).toBe('propose');
  });

  test('when 3 asks were sent in 12 months, then the 4th is allowed; when 4 were, then FATIGUE_CAP blocks the 5th', () => {
    const three = [sentAsk('a1', 300), sentAsk('a2', 200), sentAsk('a3', 100)];
    expect(evaluate(buildSnapshot({ asks: three })).decision).toBe('propose');
    const four = [sentAsk('a0', 340), ...three];
    const e = evaluate(buildSnapshot({ asks: four }));
    expect(e.decision).toBe('handoff');
    expect(e.reasons.map((r) => r.code)).toEqual(['FATIGUE_CAP']);
    expect(e.reasons[0].detail).toContain('next ask possible on 2026-12-19');
  });

  test('when a contact took 2 reference calls this quarter, then only the reference-call ask is held back (REFERENCE_CALL_CAP) and the next rung is proposed; 1, then the reference call', () => {
    // The EMEA reference need asks this contact for reference calls again and again.
    const emea = { account: { region: 'EMEA', sizeBand: 'enterprise' } };
    const call = (id: string, d: number) => sentAsk(id, d, { askType: 'reference_call', status: 'completed', acceptedAt: at(TODAY, -d + 1), declinedAt: null, completedAt: at(TODAY, -d + 2) });
    const one = evaluate(buildSnapshot({ ...emea, asks: [call('c1', 80)] }));
    expect(one.decision).toBe('propose');
    expect(one.askType).toBe('reference_call');
    const two = evaluate(buildSnapshot({ ...emea, asks: [call('c1', 80), call('c2', 70)] }));
    expect(two.decision).toBe('propose');
    expect(two.askType).toBe('quote');
    expect(two.reasons.map((r) => r.code)).toEqual(['LADDER']);
    const held = two.skippedAsks.find((s) => s.code === 'REFERENCE_CALL_CAP')!;
    expect(held.askType).toBe('reference_call');
    expect(held.detail).toContain('contact con-1 had 2 reference calls in the last quarter (cap 2); next on');
  });

  test('when several conditions hold, then every one is listed', () => {
    const s = buildSnapshot({ account: { strategic: true, openEscalations: 1, renewalDate: '2026-12-10' }, asks: [sentAsk('a1', 10)] });
    expect(evaluate(s).reasons.map((r) => r.code)).toEqual(['STRATEGIC_ACCOUNT', 'SENSITIVE_RELATIONSHIP', 'SENSITIVE_RELATIONSHIP', 'RECENT_ASK_CONFLICT']);
  });

  test('when the strategic hand-off is switched off in the criteria, then a strategic account gets an automatic ask', () => {
    const relaxed = defaultCriteria((c) => { c.handoff.strategicAccount = false; });
    expect(evaluateAccount(buildSnapshot({ account: { strategic: true } }), relaxed, TODAY).decision).toBe('propose');
  });
});
