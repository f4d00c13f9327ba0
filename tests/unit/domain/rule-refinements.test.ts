import { advocatesOf } from '../../../backend/src/domain/reference-advocates';
import { evaluateAccount } from '../../../backend/src/domain/evaluate-account';
import { noResponsePause } from '../../../backend/src/domain/fatigue';
import type { Ask } from '../../../backend/src/domain/types';
import { at, buildAsk, buildContact, buildNps, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

// Two refinements of the fatigue rules (README, Program criteria): the per-contact reference-
// call cap closes reference calls only, and two unanswered asks in a row pause the contact.

const criteria = defaultCriteria();

const referenceCall = (id: string, daysAgo: number, contactId = 'con-1'): Ask =>
  buildAsk({ askId: id, contactId, askType: 'reference_call', status: 'completed', proposedAt: at(TODAY, -daysAgo - 1), sentAt: at(TODAY, -daysAgo), acceptedAt: at(TODAY, -daysAgo + 1), completedAt: at(TODAY, -daysAgo + 2) });

/** An ask sent `daysAgo` and closed as the customer answered it (or did not). */
const answered = (id: string, daysAgo: number, status: 'no_response' | 'declined' | 'accepted', contactId = 'con-1', askType: Ask['askType'] = 'review'): Ask =>
  buildAsk({
    askId: id,
    contactId,
    askType,
    status,
    proposedAt: at(TODAY, -daysAgo - 1),
    sentAt: at(TODAY, -daysAgo),
    acceptedAt: status === 'accepted' ? at(TODAY, -daysAgo + 5) : null,
    declinedAt: status === 'declined' ? at(TODAY, -daysAgo + 5) : null,
    noResponseAt: status === 'no_response' ? at(TODAY, -daysAgo + 14) : null,
    completedAt: null,
  });

describe('the reference-call cap closes reference calls only', () => {
  test('when a contact at the reference-call cap is the best candidate, then the account is not handed off: the ladder proposes the quote', () => {
    const e = evaluateAccount(buildSnapshot({ asks: [referenceCall('r1', 85), referenceCall('r2', 70)] }), criteria, TODAY);
    expect(e.decision).toBe('propose');
    expect(e.askType).toBe('quote');
    expect(e.reasons.map((r) => r.code)).not.toContain('FATIGUE_CAP');
  });

  test('when the contact is at the reference-call cap, then a reference request cannot pick them, with the day they free up', () => {
    const [a] = advocatesOf(buildSnapshot({ asks: [referenceCall('r1', 85), referenceCall('r2', 70)] }), criteria, TODAY);
    expect(a.unavailable).toEqual({ code: 'FATIGUE_CAP', detail: 'at the ask cap until 2026-11-30', availableOn: '2026-11-30' });
  });

  test('when the account itself is at its 4-asks-a-year cap, then that is still a hand-off for every ask', () => {
    const asks = [answered('a1', 300, 'declined'), answered('a2', 200, 'declined'), answered('a3', 150, 'accepted'), answered('a4', 100, 'declined')];
    expect(evaluateAccount(buildSnapshot({ asks }), criteria, TODAY).reasons.map((r) => r.code)).toContain('FATIGUE_CAP');
  });
});

describe('two unanswered asks in a row pause the contact', () => {
  test('when the last two asks got no_response, then the contact is paused for the decline cooldown (12 months from the second silence, 2026-08-30) and shown as PAUSED_NO_RESPONSE', () => {
    const asks = [answered('q1', 200, 'no_response', 'con-1', 'quote'), answered('v1', 100, 'no_response', 'con-1', 'review')];
    const e = evaluateAccount(buildSnapshot({ asks }), criteria, TODAY);
    expect(e.decision).toBe('not_ready');
    const pause = e.reasons.find((r) => r.code === 'PAUSED_NO_RESPONSE')!;
    expect(pause.detail).toBe('contact con-1 did not answer 2 asks in a row (q1, v1); paused until 2027-08-30 (the decline cooldown, 12 months)');
    expect(noResponsePause(asks, 'con-1', criteria, TODAY)).toEqual({ until: '2027-08-30', askIds: ['q1', 'v1'] });
    expect(noResponsePause(asks, 'con-1', criteria, '2027-08-30')).toBeNull();
  });

  test('when one no_response is followed by an answer, or only one ask went unanswered, then no pause', () => {
    const brokenRun = [answered('q1', 300, 'no_response'), answered('v1', 200, 'accepted'), answered('l1', 100, 'no_response')];
    expect(noResponsePause(brokenRun, 'con-1', criteria, TODAY)).toBeNull();
    expect(noResponsePause([answered('q1', 100, 'no_response')], 'con-1', criteria, TODAY)).toBeNull();
  });

  test('when the silences were another contact\'s, then this contact is not paused, and a paused contact leaves the ask to a colleague', () => {
    const other = buildContact({ contactId: 'con-2', firstName: 'Lee' });
    const asks = [answered('q1', 200, 'no_response', 'con-1'), answered('v1', 100, 'no_response', 'con-1')];
    const snapshot = buildSnapshot({ contacts: [buildContact(), other], npsResponses: [buildNps(), buildNps({ contactId: 'con-2', score: 9 })], asks });
    expect(noResponsePause(asks, 'con-2', criteria, TODAY)).toBeNull();
    const e = evaluateAccount(snapshot, criteria, TODAY);
    // con-1 is paused; con-2 passes the gates. The account still waits for its 60-day cooldown.
    expect(e.contactId).toBe('con-2');
  });

  test('when a paused contact is looked up for a reference request, then it is unavailable until the pause ends', () => {
    const asks = [answered('q1', 200, 'no_response'), answered('v1', 100, 'no_response')];
    const [a] = advocatesOf(buildSnapshot({ asks }), criteria, TODAY);
    expect(a.unavailable).toEqual({ code: 'PAUSED_NO_RESPONSE', detail: 'did not answer 2 asks in a row; paused until 2027-08-30', availableOn: '2027-08-30' });
  });
});
