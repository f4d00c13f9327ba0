import type { ReplayPositionStore } from '../../store/store-port';
import type { ChangeEvent } from '../port';
import type { SalesforceFieldMap } from './field-map';

// Change Data Capture, without Apex: the adapter subscribes to /data/AccountChangeEvent from
// the last replay id it processed, re-evaluates accounts whose health or NPS-related fields
// changed, and records the replay id after each event, so a restart resumes from there
// (Salesforce keeps events for 72 hours). And to /data/ContactChangeEvent for one thing only:
// a Contact deleted in Salesforce erases that person here within seconds, where the daily
// deleted-records read would take up to a day (it stays, as the net for what CDC missed).

export const ACCOUNT_CHANNEL = '/data/AccountChangeEvent';
export const CONTACT_CHANNEL = '/data/ContactChangeEvent';

export interface AccountChangeEvent {
  event: { replayId: number };
  payload: {
    ChangeEventHeader: { entityName: string; changeType: string; recordIds: string[]; changedFields?: string[]; transactionKey?: string; sequenceNumber?: number };
    [field: string]: unknown;
  };
}

/** The fields whose change calls for a new evaluation. */
export function watchedFields(map: SalesforceFieldMap): string[] {
  const a = map.account;
  return [a.healthScore, a.strategic, a.openEscalations, a.renewalDate, a.customerSince, a.csm].filter((f): f is string => !!f);
}

/** The re-evaluations one change event calls for (none when no watched field changed). */
export function changesToEvaluate(message: AccountChangeEvent, map: SalesforceFieldMap): ChangeEvent[] {
  const header = message.payload.ChangeEventHeader;
  if (header.entityName !== 'Account' || header.changeType === 'DELETE') return [];
  const watched = watchedFields(map);
  const relevant = header.changeType === 'CREATE' || header.changeType === 'UNDELETE' || (header.changedFields ?? []).some((f) => watched.includes(f));
  if (!relevant) return [];
  return header.recordIds.map((accountId) => ({ eventId: `cdc:${message.event.replayId}:${accountId}`, accountId }));
}

/**
 * The contacts a Contact change event deleted. GAP_DELETE is Salesforce's word for a delete it
 * could not describe in full (the record ids are still there); a merge's losing contacts
 * arrive as DELETE too.
 */
export function deletedContacts(message: AccountChangeEvent): string[] {
  const header = message.payload.ChangeEventHeader;
  if (header.entityName !== 'Contact' || (header.changeType !== 'DELETE' && header.changeType !== 'GAP_DELETE')) return [];
  return [...new Set(header.recordIds)];
}

export function lastReplayId(positions: ReplayPositionStore, portalId: string, channel = ACCOUNT_CHANNEL): Promise<number | null> {
  return positions.last(portalId, channel);
}

export interface Subscription {
  cancel(): void;
}

/** What the subscriber needs from jsforce's streaming client (conn.streaming with the replay extension). */
export type Subscribe = (channel: string, fromReplayId: number, onMessage: (message: AccountChangeEvent) => Promise<void>) => Subscription;

/**
 * Handles each event in order: evaluate, then remember its replay id. An event that fails is
 * not remembered, so after a restart it is delivered again (re-evaluation is idempotent).
 */
export async function subscribeToAccountChanges(deps: {
  positions: ReplayPositionStore;
  portalId: string;
  map: SalesforceFieldMap;
  subscribe: Subscribe;
  reevaluate: (events: ChangeEvent[]) => Promise<unknown>;
}): Promise<Subscription> {
  const from = (await lastReplayId(deps.positions, deps.portalId)) ?? -1; // -1: only new events on first start
  let queue = Promise.resolve();
  return deps.subscribe(ACCOUNT_CHANNEL, from, (message) => {
    queue = queue.then(async () => {
      const events = changesToEvaluate(message, deps.map);
      if (events.length) await deps.reevaluate(events);
      await deps.positions.save(deps.portalId, ACCOUNT_CHANNEL, message.event.replayId);
    });
    return queue;
  });
}

/**
 * Erases each contact a Contact change event deleted, in order, then remembers the event's
 * replay id: an event whose erasure fails is delivered again after a restart, and an erasure
 * replayed finds nothing left and records nothing twice.
 */
export async function subscribeToContactDeletions(deps: {
  positions: ReplayPositionStore;
  portalId: string;
  subscribe: Subscribe;
  erase: (contactId: string) => Promise<unknown>;
}): Promise<Subscription> {
  const from = (await lastReplayId(deps.positions, deps.portalId, CONTACT_CHANNEL)) ?? -1;
  let queue = Promise.resolve();
  return deps.subscribe(CONTACT_CHANNEL, from, (message) => {
    queue = queue.then(async () => {
      for (const contactId of deletedContacts(message)) await deps.erase(contactId);
      await deps.positions.save(deps.portalId, CONTACT_CHANNEL, message.event.replayId);
    });
    return queue;
  });
}
