import { askedOn, statusOn } from './ask-history';
import { dayOf, daysBetween, monthEnd, monthsEndingAt, plusMonths } from './calendar';
import { ASK_STATUSES, ASK_TYPES, type Ask, type AskStatus, type AskType, type IsoDate } from './types';

// Program KPIs, rebuilt for any past month from the asks' step timestamps and the logged
// evaluations, so the pipeline of March is the same whether it is asked for in April or in
// December.

export interface PipelineMonth {
  month: string;
  /** Evaluated eligible that month, not yet asked. */
  eligible: number;
  /** An ask sent and awaiting an answer at month end. */
  asked: number;
  /** Accepted or completed an ask in the 12 months to month end. */
  active: number;
  /** Distinct advocates in the pipeline (each counted once, at its furthest stage). */
  size: number;
  /** Change in size from the previous month; null for the first month shown. */
  change: number | null;
  sent: number;
  accepted: number;
  /** accepted / sent for asks sent that month; null when none were sent. */
  activationRate: number | null;
}

export interface KpiReport {
  asOf: IsoDate;
  months: PipelineMonth[];
  activationRate: { sent: number; accepted: number; rate: number | null };
  acceptanceByAskType: Array<{ askType: AskType; sent: number; accepted: number; rate: number | null }>;
  timeToReference: { accounts: number; medianDays: number | null; meanDays: number | null };
  asksByOutcome: Record<AskStatus, number>;
}

export interface KpiInput {
  asOf: IsoDate;
  monthCount: number;
  asks: Ask[];
  /** Advocate keys (see advocateKey) evaluated eligible, per month YYYY-MM. */
  eligibleByMonth: Record<string, string[]>;
  customerSince: Record<string, IsoDate | null>;
}

export function advocateKey(accountId: string, contactId: string | null): string {
  return contactId ?? `account:${accountId}`;
}

/** num / den to three decimals; null when there is nothing to divide by. */
export const rate = (num: number, den: number) => (den === 0 ? null : Math.round((num / den) * 1000) / 1000);

function stageAt(asks: Ask[], end: IsoDate): Map<string, 'asked' | 'active'> {
  const activeSince = plusMonths(end, -12);
  const stages = new Map<string, 'asked' | 'active'>();
  for (const ask of asks) {
    const key = advocateKey(ask.accountId, ask.contactId);
    const status = statusOn(ask, end);
    const lastYes = ask.completedAt ?? ask.acceptedAt;
    if ((status === 'accepted' || status === 'completed') && lastYes && dayOf(lastYes) > activeSince) {
      stages.set(key, 'active');
    } else if (status === 'sent' && stages.get(key) !== 'active') {
      stages.set(key, 'asked');
    }
  }
  return stages;
}

function pipelineMonth(month: string, input: KpiInput): Omit<PipelineMonth, 'change'> {
  const end = month === input.asOf.slice(0, 7) ? input.asOf : monthEnd(`${month}-01`);
  const stages = stageAt(input.asks, end);
  let asked = 0;
  let active = 0;
  for (const s of stages.values()) (s === 'active' ? active++ : asked++);
  const eligible = new Set((input.eligibleByMonth[month] ?? []).filter((k) => !stages.has(k))).size;

  const sentThatMonth = input.asks.filter((a) => askedOn(a)?.startsWith(month) && askedOn(a)! <= end);
  const accepted = sentThatMonth.filter((a) => a.acceptedAt && dayOf(a.acceptedAt) <= input.asOf).length;
  return {
    month,
    eligible,
    asked,
    active,
    size: eligible + asked + active,
    sent: sentThatMonth.length,
    accepted,
    activationRate: rate(accepted, sentThatMonth.length),
  };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function computeKpis(input: KpiInput): KpiReport {
  const monthKeys = monthsEndingAt(input.asOf, input.monthCount);
  const months: PipelineMonth[] = [];
  for (const m of monthKeys) {
    const row = pipelineMonth(m, input);
    const prev = months[months.length - 1];
    months.push({ ...row, change: prev ? row.size - prev.size : null });
  }

  const windowStart = `${monthKeys[0]}-01`;
  const inWindow = input.asks.filter((a) => {
    const d = askedOn(a);
    return d !== null && d >= windowStart && d <= input.asOf;
  });
  const acceptedIn = (asks: Ask[]) => asks.filter((a) => a.acceptedAt && dayOf(a.acceptedAt) <= input.asOf).length;

  const acceptanceByAskType = ASK_TYPES.map((askType) => {
    const sent = inWindow.filter((a) => a.askType === askType);
    const accepted = acceptedIn(sent);
    return { askType, sent: sent.length, accepted, rate: rate(accepted, sent.length) };
  });

  const firstReference = new Map<string, IsoDate>();
  for (const a of input.asks) {
    if (a.askType !== 'reference_call' || !a.completedAt || dayOf(a.completedAt) > input.asOf) continue;
    const d = dayOf(a.completedAt);
    const prev = firstReference.get(a.accountId);
    if (!prev || d < prev) firstReference.set(a.accountId, d);
  }
  const ttr: number[] = [];
  for (const [accountId, day] of firstReference) {
    const since = input.customerSince[accountId];
    if (since && since <= day) ttr.push(daysBetween(since, day));
  }

  const asksByOutcome = Object.fromEntries(ASK_STATUSES.map((s) => [s, 0])) as Record<AskStatus, number>;
  for (const a of input.asks) {
    if (dayOf(a.proposedAt) < windowStart) continue;
    const s = statusOn(a, input.asOf);
    if (s) asksByOutcome[s]++;
  }

  const accepted = acceptedIn(inWindow);
  return {
    asOf: input.asOf,
    months,
    activationRate: { sent: inWindow.length, accepted, rate: rate(accepted, inWindow.length) },
    acceptanceByAskType,
    timeToReference: {
      accounts: ttr.length,
      medianDays: median(ttr),
      meanDays: ttr.length ? Math.round(ttr.reduce((a, b) => a + b, 0) / ttr.length) : null,
    },
    asksByOutcome,
  };
}
