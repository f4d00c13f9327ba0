import type { CrmTask } from '../crm/port';
import type { Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';

// CRM writes are recorded here in the same transaction as the decision that calls for them,
// then relayed. A crash between the two loses nothing: the relay picks up what is pending.

export type OutboxKind = 'ask_task' | 'handoff_task' | 'reference_task' | 'ask_mirror';

export interface OutboxItem {
  idempotencyKey: string;
  kind: OutboxKind;
  accountId: string;
  askId: string | null;
  /** A CrmTask for *_task kinds; {askId} for ask_mirror. */
  payload: CrmTask | { askId: string };
  createdOn: string;
}

export interface PendingOutboxItem extends OutboxItem {
  attempts: number;
}

const COLS = ['portal_id', 'idempotency_key', 'kind', 'account_id', 'ask_id', 'payload', 'created_on'];

export async function enqueue(db: Queryable, portalId: string, items: OutboxItem[]): Promise<void> {
  for (const chunk of chunksFor(items, COLS.length)) {
    if (chunk.length === 0) continue;
    await db.query(
      `INSERT INTO outbox (${COLS.join(',')}) VALUES ${valuesList(chunk.length, COLS.length)} ON CONFLICT (portal_id, idempotency_key) DO NOTHING`,
      chunk.flatMap((i) => [portalId, i.idempotencyKey, i.kind, i.accountId, i.askId, JSON.stringify(i.payload), i.createdOn]),
    );
  }
}

/** Pending items, oldest first; `onlyKeys` restricts to those keys (the scan relays its page's). */
export async function pending(db: Queryable, portalId: string, limit: number, skipKeys: string[] = [], onlyKeys: string[] | null = null): Promise<PendingOutboxItem[]> {
  const { rows } = await db.query<{ idempotency_key: string; kind: OutboxKind; account_id: string; ask_id: string | null; payload: OutboxItem['payload']; created_on: string; attempts: number }>(
    `SELECT idempotency_key, kind, account_id, ask_id, payload, created_on, attempts FROM outbox
      WHERE portal_id = $1 AND status = 'pending' AND NOT (idempotency_key = ANY($3::text[]))
        AND ($4::text[] IS NULL OR idempotency_key = ANY($4::text[]))
      ORDER BY created_at, idempotency_key LIMIT $2`,
    [portalId, limit, skipKeys, onlyKeys],
  );
  return rows.map((r) => ({ idempotencyKey: r.idempotency_key, kind: r.kind, accountId: r.account_id, askId: r.ask_id, payload: r.payload, createdOn: r.created_on, attempts: r.attempts }));
}

export async function markDone(db: Queryable, portalId: string, key: string, taskId: string | null): Promise<void> {
  await db.query(`UPDATE outbox SET status = 'done', task_id = $3, done_at = now(), last_error = NULL WHERE portal_id = $1 AND idempotency_key = $2`, [portalId, key, taskId]);
}

export async function markFailed(db: Queryable, portalId: string, key: string, error: string, giveUp: boolean): Promise<void> {
  await db.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $3, status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END WHERE portal_id = $1 AND idempotency_key = $2`,
    [portalId, key, error.slice(0, 500), giveUp],
  );
}

/** The day the last hand-off task was raised for each account (for the hand-off cooldown). */
export async function lastHandoffTaskOn(db: Queryable, portalId: string, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await db.query<{ account_id: string; last: string }>(
    `SELECT account_id, max(created_on) AS last FROM outbox WHERE portal_id = $1 AND kind = 'handoff_task' AND account_id = ANY($2::text[]) GROUP BY account_id`,
    [portalId, accountIds],
  );
  return new Map(rows.map((r) => [r.account_id, r.last]));
}

export async function taskIdFor(db: Queryable, portalId: string, key: string): Promise<string | null> {
  const { rows } = await db.query<{ task_id: string | null }>(`SELECT task_id FROM outbox WHERE portal_id = $1 AND idempotency_key = $2`, [portalId, key]);
  return rows[0]?.task_id ?? null;
}

