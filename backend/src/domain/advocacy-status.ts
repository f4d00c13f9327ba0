import { askedOn, isOpenOn } from './ask-history';
import { dayOf, plusMonths } from './calendar';
import type { Evaluation } from './evaluate-account';
import type { Ask, IsoDate } from './types';

// The one-word status the app writes back on the CRM account, so CRM lists, reports and
// workflows can use it: furthest stage first.

export type AdvocacyStatus = 'active_advocate' | 'asked' | 'handoff' | 'candidate' | 'not_ready';

export function advocacyStatus(evaluation: Evaluation, asks: Ask[], asOf: IsoDate): AdvocacyStatus {
  const yearAgo = plusMonths(asOf, -12);
  const active = asks.some((a) => {
    const yes = a.completedAt ?? a.acceptedAt;
    return yes !== null && dayOf(yes) > yearAgo && dayOf(yes) <= asOf && a.status !== 'cancelled';
  });
  if (active) return 'active_advocate';
  if (asks.some((a) => a.sentAt && isOpenOn(a, asOf))) return 'asked';
  // The account's own proposal, not yet sent, is what a CSM's "proposed asks" list is for: it
  // stays a candidate on the days after the scan proposed it (when the evaluation, seeing the
  // open ask, would read it as a conflict and hand it off).
  if (asks.some((a) => a.dealId === null && a.status === 'proposed' && isOpenOn(a, asOf))) return 'candidate';
  if (evaluation.decision === 'handoff') return 'handoff';
  if (evaluation.decision === 'propose') return 'candidate';
  return 'not_ready';
}

export function lastAskDate(asks: Ask[]): IsoDate | null {
  let last: IsoDate | null = null;
  for (const a of asks) {
    const d = askedOn(a);
    if (d && (!last || d > last)) last = d;
  }
  return last;
}
