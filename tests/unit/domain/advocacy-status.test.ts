import { advocacyStatus, lastAskDate } from '../../../backend/src/domain/advocacy-status';
import { snapshotAsOf } from '../../../backend/src/domain/as-of';
import { evaluateAccount } from '../../../backend/src/domain/evaluate-account';
import { buildAsk, buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

describe('write-back status and as-of snapshots', () => {
  const criteria = defaultCriteria();

  it('when an advocate accepted within the year, then the account status is active_advocate', () => {
    const snap = buildSnapshot({ asks: [buildAsk({ completedAt: '2026-06-20T10:00:00.000Z', acceptedAt: '2026-06-05T10:00:00.000Z', sentAt: '2026-06-02T10:00:00.000Z' })] });
    expect(advocacyStatus(evaluateAccount(snap, criteria, TODAY), snap.asks, TODAY)).toBe('active_advocate');
  });

  it('when only an old completion exists and the engine proposes, then the status is candidate', () => {
    const snap = buildSnapshot({ asks: [buildAsk()] }); // completed 2025-06-20, more than 12 months ago
    const evaluation = evaluateAccount(snap, criteria, TODAY);
    expect(evaluation.decision).toBe('propose');
    expect(advocacyStatus(evaluation, snap.asks, TODAY)).toBe('candidate');
    expect(lastAskDate(snap.asks)).toBe('2025-06-02');
  });

  it('when an ask is sent and awaiting an answer, then the status is asked', () => {
    const ask = buildAsk({ status: 'sent', proposedAt: '2026-11-01T10:00:00.000Z', sentAt: '2026-11-02T10:00:00.000Z', acceptedAt: null, completedAt: null });
    const snap = buildSnapshot({ asks: [ask] });
    expect(advocacyStatus(evaluateAccount(snap, criteria, TODAY), snap.asks, TODAY)).toBe('asked');
  });

  it('when the scan\'s proposal is still open on a later day, then the status stays candidate, not the hand-off its own conflict reads as', () => {
    const proposal = buildAsk({ status: 'proposed', proposedAt: '2026-11-20T06:00:00.000Z', sentAt: null, acceptedAt: null, completedAt: null });
    const snap = buildSnapshot({ asks: [proposal] });
    const evaluation = evaluateAccount(snap, criteria, TODAY);
    expect(evaluation.decision).toBe('handoff');
    expect(advocacyStatus(evaluation, snap.asks, TODAY)).toBe('candidate');
    const request = { ...proposal, dealId: 'deal-1' };
    expect(advocacyStatus(evaluateAccount(buildSnapshot({ asks: [request] }), criteria, TODAY), [request], TODAY)).toBe('handoff');
  });

  it('when a past date is evaluated, then the health score is the reading of that time, not today', () => {
    const snap = buildSnapshot({
      account: { healthScore: 90, healthHistory: [{ date: '2026-05-31', score: 62 }, { date: '2026-11-20', score: 90 }] },
    });
    expect(snapshotAsOf(snap, '2026-06-30').account.healthScore).toBe(62);
    expect(snapshotAsOf(snap, TODAY).account.healthScore).toBe(90);
    expect(evaluateAccount(snap, criteria, '2026-06-30').reasons.map((r) => r.code)).toContain('HEALTH_BELOW_MIN');
  });
});
