import { askedOn } from './ask-history';
import { plusMonths } from './calendar';
import type { Criteria } from './criteria';
import type { Ask, IsoDate } from './types';

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
