import { dayOf } from './calendar';
import type { Ask, AskStatus, IsoDate } from './types';

const STEP_FIELDS: ReadonlyArray<[keyof Ask, AskStatus]> = [
  ['proposedAt', 'proposed'],
  ['sentAt', 'sent'],
  ['noResponseAt', 'no_response'],
  ['declinedAt', 'declined'],
  ['acceptedAt', 'accepted'],
  ['completedAt', 'completed'],
  ['cancelledAt', 'cancelled'],
];

/** The ask's status at the end of `day`, rebuilt from its step timestamps; null if not yet proposed. */
export function statusOn(ask: Ask, day: IsoDate): AskStatus | null {
  let latest: { at: string; status: AskStatus } | null = null;
  for (const [field, status] of STEP_FIELDS) {
    const at = ask[field] as string | null;
    if (!at || dayOf(at) > day) continue;
    // Later steps win ties: a same-day accept-then-complete is completed.
    if (!latest || at >= latest.at) latest = { at, status };
  }
  return latest?.status ?? null;
}

export const OPEN_STATUSES: readonly AskStatus[] = ['proposed', 'sent', 'accepted'];

export function isOpenOn(ask: Ask, day: IsoDate): boolean {
  const status = statusOn(ask, day);
  return status !== null && OPEN_STATUSES.includes(status);
}

/** The day the customer was asked (the ask was sent), or null if it never left the CSM. */
export function askedOn(ask: Ask): IsoDate | null {
  return ask.sentAt ? dayOf(ask.sentAt) : null;
}
