import type { Queryable } from './db';

// What `advocacy jobs` and /health show, read from pg-boss's own tables (its schema, in the same
// store) and from the scan checkpoints: backlog and failures per queue, the reason a job failed
// after its last attempt, and the last successful scan per portal.

export interface QueueCounts {
  queue: string;
  queued: number;
  active: number;
  failed: number;
  completed: number;
}

export interface FailedJob {
  id: string;
  queue: string;
  key: string | null;
  failedAt: string | null;
  attempts: number;
  reason: string;
}

const ident = (schema: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad jobs schema name "${schema}"`);
  return schema;
};

export async function queueCounts(db: Queryable, schema: string, queues: readonly string[]): Promise<QueueCounts[]> {
  const { rows } = await db.query<{ name: string; queued: number; active: number; failed: number; completed: number }>(
    `SELECT name,
            count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued,
            count(*) FILTER (WHERE state = 'active')::int AS active,
            count(*) FILTER (WHERE state = 'failed')::int AS failed,
            count(*) FILTER (WHERE state = 'completed')::int AS completed
       FROM ${ident(schema)}.job WHERE name = ANY($1::text[]) GROUP BY name`,
    [queues],
  );
  const by = new Map(rows.map((r) => [r.name, r]));
  return queues.map((q) => ({ queue: q, queued: by.get(q)?.queued ?? 0, active: by.get(q)?.active ?? 0, failed: by.get(q)?.failed ?? 0, completed: by.get(q)?.completed ?? 0 }));
}

export async function recentFailures(db: Queryable, schema: string, queues: readonly string[], limit = 20): Promise<FailedJob[]> {
  const { rows } = await db.query<{ id: string; name: string; singleton_key: string | null; completed_on: string | null; retry_count: number; output: unknown }>(
    `SELECT id::text AS id, name, singleton_key, completed_on, retry_count, output FROM ${ident(schema)}.job
      WHERE name = ANY($1::text[]) AND state = 'failed' ORDER BY completed_on DESC NULLS LAST LIMIT $2`,
    [queues, limit],
  );
  return rows.map((r) => ({ id: r.id, queue: r.name, key: r.singleton_key, failedAt: r.completed_on, attempts: Number(r.retry_count) + 1, reason: reasonOf(r.output) }));
}

function reasonOf(output: unknown): string {
  if (output && typeof output === 'object') {
    const o = output as { message?: unknown; value?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (typeof o.value === 'string') return o.value;
  }
  return typeof output === 'string' ? output : JSON.stringify(output ?? null);
}

export async function lastSuccessfulScans(db: Queryable): Promise<Array<{ portalId: string; asOf: string; finishedAt: string | null }>> {
  const { rows } = await db.query<{ portal_id: string; as_of: string; finished_at: string | null }>(
    `SELECT DISTINCT ON (portal_id) portal_id, as_of, finished_at FROM scan_runs WHERE status = 'done' ORDER BY portal_id, as_of DESC, finished_at DESC NULLS LAST`,
  );
  return rows.map((r) => ({ portalId: r.portal_id, asOf: r.as_of, finishedAt: r.finished_at }));
}

/** Portals installed through OAuth (HubSpot), beside the configured one; a revoked install is not scanned. */
export async function installedHubSpotPortals(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ portal_id: string }>(`SELECT portal_id FROM hubspot_tokens WHERE revoked_at IS NULL ORDER BY portal_id`);
  return rows.map((r) => r.portal_id);
}

/** False until a service or worker has started pg-boss on this store. */
export async function jobsInstalled(db: Queryable, schema: string): Promise<boolean> {
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`${ident(schema)}.job`]);
  return rows[0].t !== null;
}
