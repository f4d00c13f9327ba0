import { dayOf } from './calendar';
import { activeConsent } from './consent';
import { DomainError } from './errors';
import { PUBLISHING_ASK_TYPES, type Ask, type AskStatus, type Consent, type IsoTimestamp } from './types';

// proposed -> sent -> accepted | declined | no_response; accepted -> completed | cancelled;
// proposed or sent -> cancelled (the CSM withdraws); no_response -> accepted | declined (a
// late reply). Completed, declined and cancelled are final.

export const TRANSITIONS: Record<AskStatus, readonly AskStatus[]> = {
  proposed: ['sent', 'cancelled'],
  sent: ['accepted', 'declined', 'no_response', 'cancelled'],
  no_response: ['accepted', 'declined'],
  accepted: ['completed', 'cancelled'],
  declined: [],
  completed: [],
  cancelled: [],
};

const STEP_FIELD: Record<Exclude<AskStatus, 'proposed'>, keyof Ask> = {
  sent: 'sentAt',
  accepted: 'acceptedAt',
  declined: 'declinedAt',
  no_response: 'noResponseAt',
  completed: 'completedAt',
  cancelled: 'cancelledAt',
};

export function canTransition(from: AskStatus, to: AskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Moves an ask to `to` at `at`. Refuses a transition the lifecycle does not allow, and the
 * completion of a publishing ask without a consent valid on the completion day.
 */
export function transitionAsk(ask: Ask, to: AskStatus, at: IsoTimestamp, consents: Consent[]): Ask {
  if (!canTransition(ask.status, to)) {
    const allowed = TRANSITIONS[ask.status];
    throw new DomainError(
      'INVALID_TRANSITION',
      `ask ${ask.askId} is ${ask.status}; it can move to ${allowed.length ? allowed.join(', ') : 'nothing (final)'}, not ${to}`,
      { from: ask.status, to, allowed },
    );
  }
  if (to === 'completed' && PUBLISHING_ASK_TYPES.includes(ask.askType)) {
    const consent = activeConsent(consents, ask.accountId, ask.contactId, ask.askType, dayOf(at));
    if (!consent) {
      throw new DomainError(
        'CONSENT_REQUIRED',
        `a ${ask.askType} publishes the customer's name or brand: record their consent (scope ${ask.askType}) before completing ask ${ask.askId}`,
        { askType: ask.askType, scope: ask.askType },
      );
    }
  }
  return { ...ask, status: to, [STEP_FIELD[to as Exclude<AskStatus, 'proposed'>]]: at };
}
