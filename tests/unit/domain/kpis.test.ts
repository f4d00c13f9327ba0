import { advocateKey, computeKpis } from '../../../backend/src/domain/kpis';
import { buildAsk, TODAY } from '../../support/builders';

const sentAsk = (id: string, contactId: string, sentOn: string, extra: Partial<ReturnType<typeof buildAsk>> = {}) =>
  buildAsk({
    askId: id,
    accountId: `acc-${contactId}`,
    contactId,
    askType: 'quote',
    status: 'sent',
    proposedAt: `${sentOn}T08:00:00.000Z`,
    sentAt: `${sentOn}T09:00:00.000Z`,
    acceptedAt: null,
    completedAt: null,
    ...extra,
  });

describe('KPIs', () => {
  it('when asks move through the months, then each month counts advocates at their furthest stage and the change', () => {
    const asks = [
      sentAsk('a1', 'c1', '2026-09-10', { status: 'completed', acceptedAt: '2026-09-15T10:00:00.000Z', completedAt: '2026-10-05T10:00:00.000Z' }),
      sentAsk('a2', 'c2', '2026-10-20'),
    ];
    const report = computeKpis({
      asOf: TODAY,
      monthCount: 3,
      asks,
      eligibleByMonth: { '2026-09': ['c1', 'c3'], '2026-10': ['c3', 'c4'], '2026-11': ['c3', 'c4', 'c5', 'c2'] },
      customerSince: {},
    });
    expect(report.months.map(({ month, eligible, asked, active, size, change }) => ({ month, eligible, asked, active, size, change }))).toEqual([
      // c1 accepted in September: active; c3 eligible.
      { month: '2026-09', eligible: 1, asked: 0, active: 1, size: 2, change: null },
      { month: '2026-10', eligible: 2, asked: 1, active: 1, size: 4, change: 2 },
      // c2 is eligible again but already asked: counted once, as asked.
      { month: '2026-11', eligible: 3, asked: 1, active: 1, size: 5, change: 1 },
    ]);
  });

  it('when a past month is computed later, then asks answered after that month do not change it', () => {
    const asks = [sentAsk('a1', 'c1', '2026-09-10', { status: 'accepted', acceptedAt: '2026-10-02T10:00:00.000Z' })];
    const report = computeKpis({ asOf: TODAY, monthCount: 3, asks, eligibleByMonth: {}, customerSince: {} });
    expect(report.months[0]).toMatchObject({ month: '2026-09', asked: 1, active: 0 });
    expect(report.months[1]).toMatchObject({ month: '2026-10', asked: 0, active: 1 });
  });

  it('when asks were sent and some accepted, then activation and acceptance by type are accepted / sent', () => {
    const asks = [
      sentAsk('a1', 'c1', '2026-10-01', { status: 'accepted', acceptedAt: '2026-10-03T10:00:00.000Z' }),
      sentAsk('a2', 'c2', '2026-10-02', { status: 'declined', declinedAt: '2026-10-04T10:00:00.000Z' }),
      sentAsk('a3', 'c3', '2026-10-03', { askType: 'reference_call' }),
      sentAsk('a4', 'c4', '2026-11-01', { askType: 'reference_call', status: 'accepted', acceptedAt: '2026-11-02T10:00:00.000Z' }),
    ];
    const report = computeKpis({ asOf: TODAY, monthCount: 2, asks, eligibleByMonth: {}, customerSince: {} });
    expect(report.activationRate).toEqual({ sent: 4, accepted: 2, rate: 0.5 });
    expect(report.acceptanceByAskType.find((r) => r.askType === 'quote')).toEqual({ askType: 'quote', sent: 2, accepted: 1, rate: 0.5 });
    expect(report.acceptanceByAskType.find((r) => r.askType === 'logo')).toEqual({ askType: 'logo', sent: 0, accepted: 0, rate: null });
    expect(report.asksByOutcome).toMatchObject({ accepted: 2, declined: 1, sent: 1, completed: 0 });
  });

  it('when references were completed, then time-to-reference is days from customer start to the first one', () => {
    const ref = (id: string, account: string, completed: string) =>
      buildAsk({ askId: id, accountId: account, askType: 'reference_call', completedAt: `${completed}T10:00:00.000Z` });
    const report = computeKpis({
      asOf: TODAY,
      monthCount: 1,
      asks: [ref('r1', 'a', '2026-03-01'), ref('r2', 'a', '2026-01-31'), ref('r3', 'b', '2026-06-01'), ref('r4', 'c', '2027-01-01')],
      eligibleByMonth: {},
      customerSince: { a: '2026-01-01', b: '2026-01-01', c: '2026-01-01' },
    });
    // a: 30 days (its first reference), b: 151 days; c's is after asOf and does not count.
    expect(report.timeToReference).toEqual({ accounts: 2, medianDays: 90.5, meanDays: 91 });
  });

  it('when an ask has no contact, then the account stands for the advocate', () => {
    expect(advocateKey('acc-9', null)).toBe('account:acc-9');
    expect(advocateKey('acc-9', 'con-1')).toBe('con-1');
  });
});
