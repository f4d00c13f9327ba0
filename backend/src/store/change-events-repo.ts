import type { Queryable } from './db';

// CRM change events (webhooks, Flow callouts) as they arrived: each event id once per portal,
// kept until the account it names was re-evaluated (or failed for good).

export interface StoredChangeEvent {
  eventId: string;
  accountId: string;
}

/** Stores events; returns how many were new (an event id already stored is a duplicate). */
export async function storeChangeEvents(db: Queryable, portalId: string, events: StoredChangeEvent[], source: string): Promise<number> {
  if (events.length === 0) return 0;
  const { rows } = await db.query<{ event_id: string }>(
    `INSERT INTO change_events (portal_id, event_id, account_id, source)
     SELECT $1, e, a, $4 FROM unnest($2::text[], $3::text[]) AS t(e, a)
     ON CONFLICT (portal_id, event_id) DO NOTHING RETURNING event_id`,
    [portalId, events.map((e) => e.eventId), events.map((e) => e.accountId), source],
  );
  return rows.length;
}

/** Unprocessed events below the attempt limit, oldest first, leaving out `skip`. */
export async function pendingChangeEvents(db: Queryable, portalId: string, options: { maxAttempts: number; limit: number; skip: string[] }): Promise<StoredChangeEvent[]> {
  const { rows } = await db.query<{ event_id: string; account_id: string }>(
    `SELECT event_id, account_id FROM change_events WHERE portal_id = $1 AND processed_at IS NULL AND attempts < $2 AND NOT (event_id = ANY($4::text[]))
      ORDER BY received_at, event_id LIMIT $3`,
    [portalId, options.maxAttempts, options.limit, options.skip],
  );
  return rows.map((r) => ({ eventId: r.event_id, accountId: r.account_id }));
}

export async function markChangeEventsProcessed(db: Queryable, portalId: string, eventIds: string[]): Promise<void> {
  await db.query(`UPDATE change_events SET processed_at = now(), last_error = NULL WHERE portal_id = $1 AND event_id = ANY($2::text[])`, [portalId, eventIds]);
}

/** Counts a failed attempt; `final` closes the events (an error retrying cannot cure). */
export async function markChangeEventsFailed(db: Queryable, portalId: string, eventIds: string[], code: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE change_events SET attempts = attempts + 1, last_error = $3, processed_at = CASE WHEN $4 THEN now() ELSE NULL END WHERE portal_id = $1 AND event_id = ANY($2::text[])`,
    [portalId, eventIds, code, final],
  );
}

export async function portalsWithPendingChangeEvents(db: Queryable, maxAttempts: number): Promise<string[]> {
  const { rows } = await db.query<{ portal_id: string }>(`SELECT DISTINCT portal_id FROM change_events WHERE processed_at IS NULL AND attempts < $1`, [maxAttempts]);
  return rows.map((r) => r.portal_id);
}
