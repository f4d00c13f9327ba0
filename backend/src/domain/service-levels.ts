import { addBusinessDays } from 'date-fns/addBusinessDays';
import { differenceInBusinessDays } from 'date-fns/differenceInBusinessDays';
import { dayOf, utc, toIsoDate } from './calendar';
import type { AskStatus, IsoDate, IsoTimestamp } from './types';

// Service levels of a reference request, in business days (Saturday and Sunday do not count):
// a match is offered at once, the CSM decides within 2, the reference happens within 5.

export interface ServiceLevels {
  csmDecisionBusinessDays: number;
  fulfilmentBusinessDays: number;
}

export const DEFAULT_SERVICE_LEVELS: ServiceLevels = { csmDecisionBusinessDays: 2, fulfilmentBusinessDays: 5 };

export const businessDaysBetween = (from: IsoDate, to: IsoDate) => differenceInBusinessDays(utc(to), utc(from));
export const plusBusinessDays = (from: IsoDate, days: number) => toIsoDate(addBusinessDays(utc(from), days));

export type RequestStage = 'requested' | 'approved' | 'scheduled' | 'completed' | 'declined';

/** Where a reference request stands, from its ask's status: approving is sending, scheduling is accepting. */
export const REQUEST_STAGE: Record<AskStatus, RequestStage> = { proposed: 'requested', sent: 'approved', accepted: 'scheduled', completed: 'completed', declined: 'declined', cancelled: 'declined', no_response: 'declined' };

export function overdue(stage: RequestStage, requestedAt: IsoTimestamp, today: IsoDate, levels: ServiceLevels = DEFAULT_SERVICE_LEVELS): string | null {
  const requestedOn = dayOf(requestedAt);
  if (stage === 'requested') {
    const due = plusBusinessDays(requestedOn, levels.csmDecisionBusinessDays);
    return today > due ? `the CSM was due to decide by ${due}` : null;
  }
  if (stage === 'approved' || stage === 'scheduled') {
    const due = plusBusinessDays(requestedOn, levels.fulfilmentBusinessDays);
    return today > due ? `the reference was due by ${due}` : null;
  }
  return null;
}
