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

/** Who holds a claim on outbox rows, and for how long. */
export interface OutboxClaim {
  by: string;
  leaseMs: number;
}

type PendingRow = { idempotency_key: string; kind: OutboxKind; account_id: string; ask_id: string | null; payload: OutboxItem['payload']; created_on: string; attempts: number; created_at: string };
const toPending = (r: PendingRow): PendingOutboxItem => ({ idempotencyKey: r.idempotency_key, kind: r.kind, accountId: r.account_id, askId: r.ask_id, payload: r.payload, createdOn: r.created_on, attempts: r.attempts });

/**
 * Pending items, oldest first; `onlyKeys` restricts to those keys (the scan relays its page's).
 * With a claim, the rows are claimed for its lease (skipping rows another relay has claimed and
 * rows locked right now), so two relays never hold the same row.
 */
export async function pending(db: Queryable, portalId: string, limit: number, skipKeys: string[] = [], onlyKeys: string[] | null = null, claim?: OutboxClaim): Promise<PendingOutboxItem[]> {
  if (!claim) {
    const { rows } = await db.query<PendingRow>(
      `SELECT idempotency_key, kind, account_id, ask_id, payload, created_on, attempts, created_at FROM outbox
        WHERE portal_id = $1 AND status = 'pending' AND NOT (idempotency_key = ANY($3::text[]))
          AND ($4::text[] IS NULL OR idempotency_key = ANY($4::text[]))
        ORDER BY created_at, idempotency_key LIMIT $2`,
      [portalId, limit, skipKeys, onlyKeys],
    );
    return rows.map(toPending);
  }
  const { rows } = await db.query<PendingRow>(
    `UPDATE outbox o SET claimed_by = $5, claimed_until = clock_timestamp() + make_interval(secs => $6::float8 / 1000)
       FROM (SELECT idempotency_key FROM outbox
              WHERE portal_id = $1 AND status = 'pending' AND NOT (idempotency_key = ANY($3::text[]))
                AND ($4::text[] IS NULL OR idempotency_key = ANY($4::text[]))
                AND (claimed_until IS NULL OR claimed_until < clock_timestamp() OR claimed_by = $5)
              ORDER BY created_at, idempotency_key LIMIT $2 FOR UPDATE SKIP LOCKED) c
      WHERE o.portal_id = $1 AND o.idempotency_key = c.idempotency_key
      RETURNING o.idempotency_key, o.kind, o.account_id, o.ask_id, o.payload, o.created_on, o.attempts, o.created_at`,
    [portalId, limit, skipKeys, onlyKeys, claim.by, claim.leaseMs],
  );
  return rows.sort((a, b) => (a.created_at === b.created_at ? a.idempotency_key.localeCompare(b.idempotency_key) : a.created_at < b.created_at ? -1 : 1)).map(toPending);
}

export async function markDone(db: Queryable, portalId: string, key: string, taskId: string | null): Promise<void> {
  await db.query(`UPDATE outbox SET status = 'done', task_id = $3, done_at = now(), last_error = NULL WHERE portal_id = $1 AND idempotency_key = $2`, [portalId, key, taskId]);
}

/** Lets go of the rows a relay still holds (it stopped, or is done): the next relay takes them at once. */
export async function releaseClaims(db: Queryable, portalId: string, claimedBy: string): Promise<void> {
  await db.query(`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE portal_id = $1 AND claimed_by = $2 AND status = 'pending'`, [portalId, claimedBy]);
}

/** Counts a failed send and releases the claim (only the claim's holder, when one is given). */
export async function markFailed(db: Queryable, portalId: string, key: string, error: string, giveUp: boolean, claimedBy: string | null = null): Promise<void> {
  await db.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $3, status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END, claimed_by = NULL, claimed_until = NULL
      WHERE portal_id = $1 AND idempotency_key = $2 AND status = 'pending' AND ($5::text IS NULL OR claimed_by = $5)`,
    [portalId, key, error.slice(0, 500), giveUp, claimedBy],
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

/**
 * Marks relayed items done and keeps the CRM's ids on their asks (one statement each). Only
 * rows still pending, and still claimed by `claimedBy` when given: returns the keys it marked,
 * so the caller audits each once.
 */
export async function markRelayed(db: Queryable, portalId: string, all: RelayedItem[], claimedBy: string | null = null): Promise<Set<string>> {
  if (all.length === 0) return new Set();
  const { rows } = await db.query<{ idempotency_key: string }>(
    `UPDATE outbox o SET status = 'done', task_id = d.task_id, done_at = now(), last_error = NULL, claimed_by = NULL, claimed_until = NULL
       FROM unnest($2::text[], $3::text[]) AS d(key, task_id)
      WHERE o.portal_id = $1 AND o.idempotency_key = d.key AND o.status = 'pending' AND ($4::text IS NULL OR o.claimed_by = $4)
      RETURNING o.idempotency_key`,
    [portalId, all.map((d) => d.idempotencyKey), all.map((d) => d.taskId), claimedBy],
  );
  const marked = new Set(rows.map((r) => r.idempotency_key));
  const done = all.filter((d) => marked.has(d.idempotencyKey));
  // One row per ask: a task and a mirror of the same ask may finish in the same batch.
  const perAsk = new Map<string, { taskId: string | null; crmAskId: string | null }>();
  for (const d of done) {
    if (!d.askId || (!d.taskId && !d.crmAskId)) continue;
    const prev = perAsk.get(d.askId) ?? { taskId: null, crmAskId: null };
    perAsk.set(d.askId, { taskId: d.taskId ?? prev.taskId, crmAskId: d.crmAskId ?? prev.crmAskId });
  }
  if (perAsk.size === 0) return marked;
  const ids = [...perAsk.keys()];
  await db.query(
    `UPDATE asks a SET task_id = COALESCE(d.task_id, a.task_id), crm_ask_id = COALESCE(d.crm_ask_id, a.crm_ask_id), updated_at = now()
       FROM unnest($2::text[], $3::text[], $4::text[]) AS d(ask_id, task_id, crm_ask_id)
      WHERE a.portal_id = $1 AND a.ask_id = d.ask_id`,
    [portalId, ids, ids.map((id) => perAsk.get(id)!.taskId), ids.map((id) => perAsk.get(id)!.crmAskId)],
  );
  return marked;
}
