import type { OutboxItem, OutboxKind } from '../domain/decision-plan';
import type { Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';

// CRM writes are recorded here in the same transaction as the decision that calls for them,
// then relayed. A crash between the two loses nothing: the relay picks up what is pending.

export type { OutboxItem, OutboxKind } from '../domain/decision-plan';

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


export interface RelayedItem {
  idempotencyKey: string;
  askId: string | null;
  taskId: string | null;
  crmAskId: string | null;
}

/** Marks relayed items done and keeps the CRM's ids on their asks (one statement each). */
export async function markRelayed(db: Queryable, portalId: string, done: RelayedItem[]): Promise<void> {
  if (done.length === 0) return;
  await db.query(
    `UPDATE outbox o SET status = 'done', task_id = d.task_id, done_at = now(), last_error = NULL
       FROM unnest($2::text[], $3::text[]) AS d(key, task_id)
      WHERE o.portal_id = $1 AND o.idempotency_key = d.key`,
    [portalId, done.map((d) => d.idempotencyKey), done.map((d) => d.taskId)],
  );
  // One row per ask: a task and a mirror of the same ask may finish in the same batch.
  const perAsk = new Map<string, { taskId: string | null; crmAskId: string | null }>();
  for (const d of done) {
    if (!d.askId || (!d.taskId && !d.crmAskId)) continue;
    const prev = perAsk.get(d.askId) ?? { taskId: null, crmAskId: null };
    perAsk.set(d.askId, { taskId: d.taskId ?? prev.taskId, crmAskId: d.crmAskId ?? prev.crmAskId });
  }
  if (perAsk.size === 0) return;
  const ids = [...perAsk.keys()];
  await db.query(
    `UPDATE asks a SET task_id = COALESCE(d.task_id, a.task_id), crm_ask_id = COALESCE(d.crm_ask_id, a.crm_ask_id), updated_at = now()
       FROM unnest($2::text[], $3::text[], $4::text[]) AS d(ask_id, task_id, crm_ask_id)
      WHERE a.portal_id = $1 AND a.ask_id = d.ask_id`,
    [portalId, ids, ids.map((id) => perAsk.get(id)!.taskId), ids.map((id) => perAsk.get(id)!.crmAskId)],
  );
}
