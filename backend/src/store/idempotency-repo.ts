import type { Queryable } from './db';

// Idempotency keys: the first answer to a retried call (a workflow action's callbackId), or
// simply that a key was seen (a change event id).

export async function storedResponse<T>(db: Queryable, portalId: string, key: string): Promise<{ response: T } | null> {
  const { rows } = await db.query<{ response: T }>(`SELECT response FROM idempotency_keys WHERE portal_id = $1 AND key = $2`, [portalId, key]);
  return rows[0] ? { response: rows[0].response } : null;
}

/** Keeps the first response for a key; a later one for the same key is ignored. */
export async function rememberResponse(db: Queryable, portalId: string, key: string, response: unknown): Promise<void> {
  await db.query(`INSERT INTO idempotency_keys (portal_id, key, response) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [portalId, key, JSON.stringify(response)]);
}

export async function seenKeys(db: Queryable, portalId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await db.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE portal_id = $1 AND key = ANY($2::text[])`, [portalId, keys]);
  return new Set(rows.map((r) => r.key));
}

export async function rememberKeys(db: Queryable, portalId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.query(`INSERT INTO idempotency_keys (portal_id, key, response) SELECT $1, k, '{}'::jsonb FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING`, [portalId, keys]);
}
