import { askedOn } from './ask-history';
import { snapshotAsOf } from './as-of';
import { DATE_RANGE, dayOf, daysBetween, plusDays, plusMonths } from './calendar';
import type { Criteria } from './criteria';
import { latestNps } from './eligibility';
import { handoffTaskDue, type Evaluation } from './evaluate-account';
import { noResponsePause } from './fatigue';
import { pointTenths, scoreReadiness, tenureNormalized } from './score-readiness';
import type { AccountSnapshot, IsoDate } from './types';

// Until when a decision holds with no new data. Some rules read the calendar: tenure crossing
// the gate (and the tenure points crossing a band or a rung's readiness), an NPS ageing past
// its limit, health readings and detractor answers leaving their windows, a renewal entering
// or leaving its window, an ask's cooldown, decline cooldown, no-response pause and fatigue
// caps ending, completed advocacy leaving its 24-month count, a consent expiring, a hand-off
// task's cooldown ending, and data dated after today becoming visible. Each gives the first
// day it could change the outcome; the decision holds until the earliest of them. Every day
// here is a day a rule could change something, never later (a day too early only costs one
// re-evaluation): tests/unit/domain/decision-holds.test.ts evaluates every day before it.

/** What a re-evaluation that changes nothing else must reproduce: the decision as acted on. */
export function decisionKey(evaluation: Evaluation): string {
  const codes = [...new Set(evaluation.reasons.map((r) => r.code))].sort();
  const skipped = [...new Set(evaluation.skippedAsks.map((s) => `${s.askType}:${s.code}`))].sort();
  return [evaluation.decision, evaluation.askType ?? '-', evaluation.contactId ?? '-', evaluation.ownerMustAct ? 'act' : 'wait', evaluation.readiness?.band ?? '-', codes.join(','), skipped.join(',')].join('|');
}

/** The first day on or after `from` where `holds` (false, then true for good) is true; null if never. */
export function firstDayWhere(from: IsoDate, holds: (day: IsoDate) => boolean): IsoDate | null {
  if (holds(from)) return from;
  let low = 0; // offset known false
  let step = 1;
  let high: number | null = null;
  while (high === null) {
    const day = plusDays(from, low + step);
    if (day > DATE_RANGE.to) return null;
    if (holds(day)) high = low + step;
    else {
      low += step;
      step *= 2;
    }
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (holds(plusDays(from, mid))) high = mid;
    else low = mid;
  }
  return plusDays(from, high);
}

/** The first day a date counted in a window of `months` before the evaluation day is no longer counted (`inWindow` as the rule writes it). */
function leavesMonthWindow(from: IsoDate, day: IsoDate, months: number, inWindow: (day: IsoDate, windowStart: IsoDate) => boolean): IsoDate | null {
  return firstDayWhere(from, (d) => !inWindow(day, plusMonths(d, -months)));
}

export interface HoldsUntilOptions {
  /** The day the account's last hand-off task was raised, after this evaluation's own plan. */
  lastHandoffTaskOn?: IsoDate | null;
}

/**
 * The first day after `asOf` on which a date-driven rule could change the decision (or what
 * is written back for it), given the same data; null when no rule of the calendar can.
 */
export function decisionHoldsUntil(fullSnapshot: AccountSnapshot, criteria: Criteria, asOf: IsoDate, evaluation: Evaluation, options: HoldsUntilOptions = {}): IsoDate | null {
  const next = plusDays(asOf, 1);
  const days: Array<IsoDate | null> = [];
  const later = (day: IsoDate | null) => {
    if (day && day > asOf) days.push(day);
  };

  // Data dated after today becomes visible on its day (snapshotAsOf hides it until then).
  const raw = fullSnapshot;
  for (const p of raw.account.healthHistory) later(p.date);
  for (const r of raw.npsResponses) later(r.date);
  for (const a of raw.asks) for (const at of [a.proposedAt, a.sentAt, a.acceptedAt, a.declinedAt, a.noResponseAt, a.completedAt, a.cancelledAt]) if (at) later(dayOf(at));
  for (const c of raw.consents) {
    later(c.grantedOn);
    if (c.revokedOn) later(c.revokedOn);
    if (c.expiresOn) later(plusDays(c.expiresOn, 1));
  }

  const s = snapshotAsOf(raw, asOf);
  const { account } = s;
  const { eligibility, handoff, ladder } = criteria;

  if (account.customerSince) {
    later(account.customerSince);
    // Tenure gate: "more than N months", so eligible the day after the N-month anniversary.
    const eligibleAfter = plusMonths(account.customerSince, eligibility.minTenureMonths);
    if (asOf <= eligibleAfter) later(plusDays(eligibleAfter, 1));
    // Tenure points grow until full marks; a score crossing a band or a rung's minimum changes what is shown or proposed.
    const since = account.customerSince;
    const weight = criteria.readiness.weights.tenure;
    const tenureNow = pointTenths(weight, tenureNormalized(since, criteria, asOf));
    if (tenureNow < pointTenths(weight, 1)) {
      const thresholds = [criteria.bands.green, criteria.bands.amber, ...Object.values(ladder.minReadiness)];
      for (const contact of s.contacts) {
        const other = Math.round(scoreReadiness(s, contact, criteria, asOf).score * 10) - tenureNow;
        for (const t of thresholds) {
          if ((other + tenureNow) / 10 >= t) continue;
          later(firstDayWhere(next, (d) => (other + pointTenths(weight, tenureNormalized(since, criteria, d))) / 10 >= t));
        }
      }
    }
  }

  for (const contact of s.contacts) {
    const nps = latestNps(s.npsResponses, contact.contactId);
    if (nps && !(nps.date < plusMonths(asOf, -eligibility.npsMaxAgeMonths))) {
      later(firstDayWhere(next, (d) => nps.date < plusMonths(d, -eligibility.npsMaxAgeMonths)));
    }
    later(noResponsePause(s.asks, contact.contactId, criteria, asOf)?.until ?? null);
  }

  const sens = handoff.sensitivity;
  for (const p of s.account.healthHistory) if (daysBetween(p.date, asOf) <= sens.healthDropWindowDays) later(plusDays(p.date, sens.healthDropWindowDays + 1));
  if (account.renewalDate && account.renewalDate >= asOf) {
    later(plusDays(account.renewalDate, -sens.renewalWithinDays));
    later(plusDays(account.renewalDate, 1));
  }
  for (const r of s.npsResponses) if (r.score <= sens.detractorMaxScore && daysBetween(r.date, asOf) <= sens.detractorWindowDays) later(plusDays(r.date, sens.detractorWindowDays + 1));

  for (const a of s.asks) {
    const asked = askedOn(a);
    if (asked && asked <= asOf) {
      if (daysBetween(asked, asOf) < handoff.recentAskCooldownDays) later(plusDays(asked, handoff.recentAskCooldownDays));
      // Rolling caps count an ask while it is after the window's (exclusive) start.
      if (asked > plusMonths(asOf, -12)) later(leavesMonthWindow(next, asked, 12, (day, start) => day > start));
      if (a.askType === 'reference_call' && asked > plusMonths(asOf, -3)) later(leavesMonthWindow(next, asked, 3, (day, start) => day > start));
    }
    if (a.declinedAt) {
      const declined = dayOf(a.declinedAt);
      if (declined > plusMonths(asOf, -ladder.declineCooldownMonths)) later(leavesMonthWindow(next, declined, ladder.declineCooldownMonths, (day, start) => day > start));
    }
    if (a.status === 'completed' && a.completedAt) {
      const completed = dayOf(a.completedAt);
      if (completed >= plusMonths(asOf, -24)) later(leavesMonthWindow(next, completed, 24, (day, start) => day >= start));
    }
    // The written-back status counts an accept or completion for 12 months (advocacy-status.ts).
    const yes = a.completedAt ?? a.acceptedAt;
    if (yes && dayOf(yes) > plusMonths(asOf, -12)) later(leavesMonthWindow(next, dayOf(yes), 12, (day, start) => day > start));
  }

  // A hand-off the CSM must act on raises a task again once the task cooldown has passed.
  if (evaluation.decision === 'handoff' && evaluation.ownerMustAct) {
    const last = handoffTaskDue(evaluation, options.lastHandoffTaskOn ?? null, criteria) ? asOf : (options.lastHandoffTaskOn ?? null);
    if (last) later(plusDays(last, handoff.taskCooldownDays));
  }

  let earliest: IsoDate | null = null;
  for (const d of days) if (d && (earliest === null || d < earliest)) earliest = d;
  return earliest;
}
