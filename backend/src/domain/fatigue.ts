import { askedOn } from './ask-history';
import { dayOf, plusMonths } from './calendar';
import type { Criteria } from './criteria';
import type { Ask, IsoDate, Reason } from './types';

// Fatigue caps over rolling windows: an ask counts from the day it was sent until the
// window has rolled past it, so "capped until" is the day the oldest counted ask drops out.

export interface CapState {
  used: number;
  max: number;
  /** First day a new ask fits under the cap again; null when it fits today. */
  cappedUntil: IsoDate | null;
}

function capState(askDays: IsoDate[], max: number, windowMonths: number, asOf: IsoDate): CapState {
  const windowStart = plusMonths(asOf, -windowMonths); // exclusive
  const inWindow = askDays.filter((d) => d > windowStart && d <= asOf).sort();
  if (inWindow.length < max) return { used: inWindow.length, max, cappedUntil: null };
  // The cap frees once enough of the oldest asks have left the window.
  const freeing = inWindow[inWindow.length - max];
  return { used: inWindow.length, max, cappedUntil: plusMonths(freeing, windowMonths) };
}

export function accountAskCap(asks: Ask[], criteria: Criteria, asOf: IsoDate): CapState {
  const days = asks.map(askedOn).filter((d): d is IsoDate => d !== null);
  return capState(days, criteria.handoff.fatigue.maxAsksPerAccountPer12Months, 12, asOf);
}

export function contactReferenceCallCap(asks: Ask[], contactId: string, criteria: Criteria, asOf: IsoDate): CapState {
  const days = asks
    .filter((a) => a.contactId === contactId && a.askType === 'reference_call')
    .map(askedOn)
    .filter((d): d is IsoDate => d !== null);
  return capState(days, criteria.handoff.fatigue.maxReferenceCallsPerContactPerQuarter, 3, asOf);
}

/** Why this contact cannot be asked for a reference call now (its quarterly cap), or null. */
export function referenceCallCapReason(asks: Ask[], contactId: string, criteria: Criteria, asOf: IsoDate): Reason | null {
  const calls = contactReferenceCallCap(asks, contactId, criteria, asOf);
  if (!calls.cappedUntil) return null;
  return { code: 'REFERENCE_CALL_CAP', detail: `contact ${contactId} had ${calls.used} reference calls in the last quarter (cap ${calls.max}); next on ${calls.cappedUntil}` };
}

export const UNANSWERED_IN_A_ROW = 2;

/**
 * A contact who let the last two asks go unanswered (no_response, with no answer between) is
 * paused as long as a decline would pause that ask: silence twice is an answer too. Asks still
 * waiting for an answer, and asks the CSM cancelled, neither count nor break the run.
 */
export function noResponsePause(asks: Ask[], contactId: string, criteria: Criteria, asOf: IsoDate): { until: IsoDate; askIds: string[] } | null {
  const resolved = asks
    .filter((a) => a.contactId === contactId && a.sentAt !== null)
    .map((a) => {
      const answeredAt = a.acceptedAt ?? a.declinedAt ?? a.completedAt;
      if (a.noResponseAt && (!answeredAt || a.noResponseAt > answeredAt)) return { ask: a, at: a.noResponseAt, silent: true };
      return answeredAt ? { ask: a, at: answeredAt, silent: false } : null;
    })
    .filter((r): r is { ask: Ask; at: string; silent: boolean } => r !== null && dayOf(r.at) <= asOf)
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  const last = resolved.slice(-UNANSWERED_IN_A_ROW);
  if (last.length < UNANSWERED_IN_A_ROW || !last.every((r) => r.silent)) return null;
  const until = plusMonths(dayOf(last[last.length - 1].at), criteria.ladder.declineCooldownMonths);
  return until > asOf ? { until, askIds: last.map((r) => r.ask.askId) } : null;
}

export function noResponsePauseReason(asks: Ask[], contactId: string, criteria: Criteria, asOf: IsoDate): Reason | null {
  const pause = noResponsePause(asks, contactId, criteria, asOf);
  if (!pause) return null;
  return {
    code: 'PAUSED_NO_RESPONSE',
    detail: `contact ${contactId} did not answer ${UNANSWERED_IN_A_ROW} asks in a row (${pause.askIds.join(', ')}); paused until ${pause.until} (the decline cooldown, ${criteria.ladder.declineCooldownMonths} months)`,
  };
}
