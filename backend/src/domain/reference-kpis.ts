import { dayOf, monthEnd, monthsEndingAt, plusMonths } from './calendar';
import { median, rate } from './kpis';
import { businessDaysBetween, DEFAULT_SERVICE_LEVELS, overdue, REQUEST_STAGE, type ServiceLevels } from './service-levels';
import type { Ask, IsoDate } from './types';

// What references do for sales: revenue they influenced, win rates with and without one,
// whether requests met their service levels, and how the load spreads across advocates.
//
// Attribution: a won deal is reference-influenced when a reference ask linked to it was
// completed on or before the day it closed. A reference completed after the close cannot
// have helped win it, so it does not count.

export interface ClosedDeal {
  dealId: string;
  amount: number | null;
  stage: 'won' | 'lost';
  closeDate: IsoDate;
}

export interface ReferenceMonth {
  month: string;
  withReference: { won: number; lost: number; winRate: number | null };
  withoutReference: { won: number; lost: number; winRate: number | null };
  /** Sum of the amounts of won deals with a completed reference, closed that month. */
  influencedRevenue: number;
  influencedDeals: number;
}

export interface ReferenceKpis {
  asOf: IsoDate;
  months: ReferenceMonth[];
  influencedRevenue: number;
  winRate: { withReference: number | null; withoutReference: number | null };
  serviceLevels: {
    csmDecisionBusinessDays: number;
    fulfilmentBusinessDays: number;
    /** Requests made in the window. */
    requests: number;
    /** Of those the CSM has decided on, decided within the service level. */
    decided: number;
    decidedInTime: number;
    /** Of those completed, completed within the fulfilment service level. */
    fulfilled: number;
    fulfilledInTime: number;
    /** Open requests past a service level today. */
    overdueNow: number;
  };
  /** Reference asks per advocate over the last 12 months, busiest first. */
  loadPerAdvocate: Array<{ contactId: string | null; accountId: string; requests: number; completed: number }>;
  /** Distinct advocates asked for references in the last 12 months, and the most any one was asked. */
  load: { advocates: number; maxRequests: number; medianRequests: number | null };
}

/** Reference asks are the asks linked to a deal. */
export const isReferenceAsk = (a: Ask) => a.dealId !== null;


/** Deals whose reference was completed by the day they closed. */
export function referencedDeals(deals: ClosedDeal[], asks: Ask[]): Set<string> {
  const completedOn = new Map<string, IsoDate>();
  for (const a of asks) {
    if (!isReferenceAsk(a) || !a.completedAt) continue;
    const d = dayOf(a.completedAt);
    const prev = completedOn.get(a.dealId!);
    if (!prev || d < prev) completedOn.set(a.dealId!, d);
  }
  return new Set(deals.filter((d) => (completedOn.get(d.dealId) ?? '9999-12-31') <= d.closeDate).map((d) => d.dealId));
}


export function computeReferenceKpis(input: { asOf: IsoDate; monthCount: number; deals: ClosedDeal[]; asks: Ask[]; levels?: ServiceLevels }): ReferenceKpis {
  const { asOf } = input;
  const levels = input.levels ?? DEFAULT_SERVICE_LEVELS;
  const monthKeys = monthsEndingAt(asOf, input.monthCount);
  const windowStart = `${monthKeys[0]}-01`;
  const deals = input.deals.filter((d) => d.closeDate >= windowStart && d.closeDate <= asOf);
  const referenced = referencedDeals(deals, input.asks);

  const months: ReferenceMonth[] = monthKeys.map((month) => {
    const end = month === asOf.slice(0, 7) ? asOf : monthEnd(`${month}-01`);
    const inMonth = deals.filter((d) => d.closeDate.startsWith(month) && d.closeDate <= end);
    const withRef = inMonth.filter((d) => referenced.has(d.dealId));
    const without = inMonth.filter((d) => !referenced.has(d.dealId));
    const won = (ds: ClosedDeal[]) => ds.filter((d) => d.stage === 'won');
    const influenced = won(withRef);
    return {
      month,
      withReference: { won: influenced.length, lost: withRef.length - influenced.length, winRate: rate(influenced.length, withRef.length) },
      withoutReference: { won: won(without).length, lost: without.length - won(without).length, winRate: rate(won(without).length, without.length) },
      influencedRevenue: influenced.reduce((sum, d) => sum + (d.amount ?? 0), 0),
      influencedDeals: influenced.length,
    };
  });
  const total = (pick: (m: ReferenceMonth) => { won: number; lost: number }) => {
    const won = months.reduce((s, m) => s + pick(m).won, 0);
    const lost = months.reduce((s, m) => s + pick(m).lost, 0);
    return rate(won, won + lost);
  };

  const requests = input.asks.filter((a) => isReferenceAsk(a) && dayOf(a.proposedAt) >= windowStart && dayOf(a.proposedAt) <= asOf);
  let decided = 0;
  let decidedInTime = 0;
  let fulfilled = 0;
  let fulfilledInTime = 0;
  let overdueNow = 0;
  for (const a of requests) {
    const requestedOn = dayOf(a.proposedAt);
    // The CSM decides by approving (sent) or declining/cancelling the request.
    const decision = a.sentAt ?? a.declinedAt ?? a.cancelledAt;
    if (decision && dayOf(decision) <= asOf) {
      decided++;
      if (businessDaysBetween(requestedOn, dayOf(decision)) <= levels.csmDecisionBusinessDays) decidedInTime++;
    }
    if (a.completedAt && dayOf(a.completedAt) <= asOf) {
      fulfilled++;
      if (businessDaysBetween(requestedOn, dayOf(a.completedAt)) <= levels.fulfilmentBusinessDays) fulfilledInTime++;
    }
    if (overdue(REQUEST_STAGE[a.status], a.proposedAt, asOf, levels)) overdueNow++;
  }

  const loadSince = plusMonths(asOf, -12);
  const load = new Map<string, { contactId: string | null; accountId: string; requests: number; completed: number }>();
  for (const a of input.asks) {
    if (!isReferenceAsk(a) || dayOf(a.proposedAt) <= loadSince || dayOf(a.proposedAt) > asOf) continue;
    const key = a.contactId ?? `account:${a.accountId}`;
    const row = load.get(key) ?? load.set(key, { contactId: a.contactId, accountId: a.accountId, requests: 0, completed: 0 }).get(key)!;
    row.requests++;
    if (a.completedAt && dayOf(a.completedAt) <= asOf) row.completed++;
  }
  const loadPerAdvocate = [...load.values()].sort((x, y) => y.requests - x.requests || (x.contactId ?? '').localeCompare(y.contactId ?? ''));

  return {
    asOf,
    months,
    influencedRevenue: months.reduce((s, m) => s + m.influencedRevenue, 0),
    winRate: { withReference: total((m) => m.withReference), withoutReference: total((m) => m.withoutReference) },
    serviceLevels: { ...levels, requests: requests.length, decided, decidedInTime, fulfilled, fulfilledInTime, overdueNow },
    loadPerAdvocate,
    load: { advocates: loadPerAdvocate.length, maxRequests: loadPerAdvocate[0]?.requests ?? 0, medianRequests: median(loadPerAdvocate.map((r) => r.requests)) },
  };
}
