import { computeReferenceKpis, referencedDeals, type ClosedDeal } from '../../../backend/src/domain/reference-kpis';
import { buildAsk, TODAY } from '../../support/builders';

const deal = (dealId: string, stage: 'won' | 'lost', closeDate: string, amount: number | null = 10_000): ClosedDeal => ({ dealId, stage, closeDate, amount });
const ref = (askId: string, dealId: string, extra: Partial<ReturnType<typeof buildAsk>> = {}) =>
  buildAsk({
    askId,
    dealId,
    accountId: 'acc-adv',
    contactId: 'con-adv',
    askType: 'reference_call',
    status: 'completed',
    proposedAt: '2026-10-01T09:00:00.000Z',
    sentAt: '2026-10-02T09:00:00.000Z',
    acceptedAt: '2026-10-03T09:00:00.000Z',
    completedAt: '2026-10-06T09:00:00.000Z',
    ...extra,
  });

describe('reference KPIs', () => {
  it('when a won deal had its reference completed before it closed, then its amount counts as influenced', () => {
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 3, deals: [deal('d1', 'won', '2026-10-20', 50_000)], asks: [ref('r1', 'd1')] });
    expect(k.influencedRevenue).toBe(50_000);
    expect(k.months.find((m) => m.month === '2026-10')).toMatchObject({ influencedRevenue: 50_000, influencedDeals: 1, withReference: { won: 1, lost: 0, winRate: 1 } });
  });

  it('when the reference was completed after the deal closed, then the deal is not influenced', () => {
    const deals = [deal('d1', 'won', '2026-10-05', 50_000)];
    expect(referencedDeals(deals, [ref('r1', 'd1')]).size).toBe(0);
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 3, deals, asks: [ref('r1', 'd1')] });
    expect(k.influencedRevenue).toBe(0);
    expect(k.months.find((m) => m.month === '2026-10')!.withoutReference).toEqual({ won: 1, lost: 0, winRate: 1 });
  });

  it('when a reference was only requested (not completed), then the deal counts as without a reference', () => {
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 3, deals: [deal('d1', 'won', '2026-10-20')], asks: [ref('r1', 'd1', { status: 'accepted', completedAt: null })] });
    expect(k.influencedRevenue).toBe(0);
    expect(k.winRate).toEqual({ withReference: null, withoutReference: 1 });
  });

  it('when deals close with and without references, then win rates are computed per group and month', () => {
    const deals = [deal('d1', 'won', '2026-10-20'), deal('d2', 'lost', '2026-10-21'), deal('d3', 'won', '2026-10-22'), deal('d4', 'lost', '2026-11-02'), deal('d5', 'lost', '2026-11-03')];
    const asks = [ref('r1', 'd1'), ref('r2', 'd2')];
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 2, deals, asks });
    expect(k.months).toEqual([
      { month: '2026-10', withReference: { won: 1, lost: 1, winRate: 0.5 }, withoutReference: { won: 1, lost: 0, winRate: 1 }, influencedRevenue: 10_000, influencedDeals: 1 },
      { month: '2026-11', withReference: { won: 0, lost: 0, winRate: null }, withoutReference: { won: 0, lost: 2, winRate: 0 }, influencedRevenue: 0, influencedDeals: 0 },
    ]);
    expect(k.winRate).toEqual({ withReference: 0.5, withoutReference: 0.333 });
  });

  it('when a deal closed before the window, then it is left out', () => {
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 1, deals: [deal('d1', 'won', '2026-10-20')], asks: [ref('r1', 'd1')] });
    expect(k.influencedRevenue).toBe(0);
    expect(k.months).toHaveLength(1);
  });

  it('when requests are decided and fulfilled, then service levels count business days (a weekend does not count)', () => {
    // Requested Friday 2026-10-02; approved Tuesday 10-06 = 2 business days (in time);
    // completed Friday 10-09 = 5 business days (in time).
    const inTime = ref('r1', 'd1', { proposedAt: '2026-10-02T09:00:00.000Z', sentAt: '2026-10-06T09:00:00.000Z', acceptedAt: '2026-10-07T09:00:00.000Z', completedAt: '2026-10-09T09:00:00.000Z' });
    // Requested Friday; approved Wednesday = 3 business days (late); completed the Monday after = 6 (late).
    const late = ref('r2', 'd2', { proposedAt: '2026-10-02T09:00:00.000Z', sentAt: '2026-10-07T09:00:00.000Z', acceptedAt: '2026-10-08T09:00:00.000Z', completedAt: '2026-10-12T09:00:00.000Z' });
    // Still awaiting the CSM since Monday 2026-11-16: past 2 business days on 11-24.
    const waiting = ref('r3', 'd3', { status: 'proposed', proposedAt: '2026-11-16T09:00:00.000Z', sentAt: null, acceptedAt: null, completedAt: null });
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 3, deals: [], asks: [inTime, late, waiting] });
    expect(k.serviceLevels).toMatchObject({ requests: 3, decided: 2, decidedInTime: 1, fulfilled: 2, fulfilledInTime: 1, overdueNow: 1 });
  });

  it('when one advocate is asked again and again, then the load shows it first', () => {
    const asks = [
      ref('r1', 'd1', { contactId: 'con-busy' }),
      ref('r2', 'd2', { contactId: 'con-busy' }),
      ref('r3', 'd3', { contactId: 'con-busy', status: 'declined', completedAt: null, acceptedAt: null, declinedAt: '2026-10-03T09:00:00.000Z' }),
      ref('r4', 'd4', { contactId: 'con-once' }),
      // Not a reference (no deal) and older than 12 months: neither counts.
      buildAsk({ askId: 'q1', contactId: 'con-once', dealId: null }),
      ref('r5', 'd5', { contactId: 'con-old', proposedAt: '2025-10-01T09:00:00.000Z' }),
    ];
    const k = computeReferenceKpis({ asOf: TODAY, monthCount: 6, deals: [], asks });
    expect(k.loadPerAdvocate).toEqual([
      { contactId: 'con-busy', accountId: 'acc-adv', requests: 3, completed: 2 },
      { contactId: 'con-once', accountId: 'acc-adv', requests: 1, completed: 1 },
    ]);
    expect(k.load).toEqual({ advocates: 2, maxRequests: 3, medianRequests: 2 });
  });
});
