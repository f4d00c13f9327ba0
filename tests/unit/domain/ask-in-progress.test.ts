import { decideBesideAskInProgress } from '../../../backend/src/domain/ask-in-progress';
import { buildAsk, buildSnapshot, defaultCriteria, TODAY, at } from '../../support/builders';

// The account's own open proposal is the decision being carried out, not a conflict with it.

const criteria = defaultCriteria();

describe('the decision beside the ask in progress', () => {
  it('when the account has its own proposal open, then it is the ask in progress and the account still reads propose', () => {
    const proposal = buildAsk({ askId: 'ask-p', status: 'proposed', proposedAt: at(TODAY, -2), sentAt: null, acceptedAt: null, completedAt: null });
    const { evaluation, inProgress } = decideBesideAskInProgress(buildSnapshot({ asks: [proposal] }), criteria, TODAY);
    expect(evaluation.decision).toBe('propose');
    expect(evaluation.reasons.map((r) => r.code)).not.toContain('RECENT_ASK_CONFLICT');
    expect(inProgress).toEqual({ ask: proposal, ageDays: 2, next: ['sent', 'cancelled'] });
  });

  it('when the ask was sent, then another ask would conflict with it: the account is handed off and the ask waits, aged from when it was sent', () => {
    const sent = buildAsk({ askId: 'ask-s', status: 'sent', proposedAt: at(TODAY, -9), sentAt: at(TODAY, -5), acceptedAt: null, completedAt: null });
    const { evaluation, inProgress } = decideBesideAskInProgress(buildSnapshot({ asks: [sent] }), criteria, TODAY);
    expect(evaluation.decision).toBe('handoff');
    expect(evaluation.reasons[0]).toMatchObject({ code: 'RECENT_ASK_CONFLICT', detail: expect.stringContaining('ask-s (sent)') });
    expect(inProgress).toMatchObject({ ageDays: 5, next: ['accepted', 'declined', 'no_response', 'cancelled'] });
  });

  it('when a deal\'s reference request is the only open ask, then it is not the account\'s ask in progress', () => {
    const request = buildAsk({ askId: 'ask-r', dealId: 'deal-1', status: 'proposed', proposedAt: at(TODAY, -1), sentAt: null, acceptedAt: null, completedAt: null });
    const { evaluation, inProgress } = decideBesideAskInProgress(buildSnapshot({ asks: [request] }), criteria, TODAY);
    expect(inProgress).toBeNull();
    expect(evaluation.decision).toBe('handoff');
  });

  it('when nothing is open, then there is no ask in progress and the decision is the plain one', () => {
    const { evaluation, inProgress } = decideBesideAskInProgress(buildSnapshot(), criteria, TODAY);
    expect(inProgress).toBeNull();
    expect(evaluation.decision).toBe('propose');
  });
});
