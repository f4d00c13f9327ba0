import type { Queryable } from './db';

// The create-once claims of every CRM adapter (migration 016): which idempotency key created
// which CRM record, and who is creating it now. All times are the server's clock
// (clock_timestamp()), so processes on different machines agree on when a lease ran out.

export type CreateClaim =
  /** The key's record exists (its id was stored when the CRM answered). */
  | { state: 'created'; objectId: string }
  /**
   * This caller holds the key now. `takenOver`: an earlier claim ran out unconfirmed (its
   * process died or lost the answer), so the record may exist in the CRM: look it up first.
   */
  | { state: 'claimed'; takenOver: boolean }
  /** Another process holds a live claim on it: do not create; try again later. */
  | { state: 'busy'; until: string };

/** Claims each key not created and not claimed by a live process, for `leaseMs`. */
export async function claimCreates(db: Queryable, portalId: string, objectType: string, keys: string[], claimedBy: string, leaseMs: number): Promise<Map<string, CreateClaim>> {
  const out = new Map<string, CreateClaim>();
  if (keys.length === 0) return out;
  // One statement: a key is inserted, or taken over only when unconfirmed and out of lease; a
  // concurrent claimer of the same key waits on the row and then sees the live lease.
  const { rows } = await db.query<{ idempotency_key: string; claims: number }>(
    `INSERT INTO crm_created_objects (portal_id, idempotency_key, object_type, claimed_by, claimed_until)
       SELECT $1, k, $2, $3, clock_timestamp() + $4::int * interval '1 millisecond' FROM unnest($5::text[]) AS t(k)
     ON CONFLICT (portal_id, idempotency_key) DO UPDATE
       SET claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until, claims = crm_created_objects.claims + 1
       WHERE crm_created_objects.object_id IS NULL AND (crm_created_objects.claimed_until IS NULL OR crm_created_objects.claimed_until <= clock_timestamp())
     RETURNING idempotency_key, claims`,
    [portalId, objectType, claimedBy, Math.round(leaseMs), keys],
  );
  for (const r of rows) out.set(r.idempotency_key, { state: 'claimed', takenOver: r.claims > 1 });
  const rest = keys.filter((k) => !out.has(k));
  if (rest.length) {
    const held = await db.query<{ idempotency_key: string; object_id: string | null; claimed_until: string | null }>(
      `SELECT idempotency_key, object_id, claimed_until FROM crm_created_objects WHERE portal_id = $1 AND idempotency_key = ANY($2::text[])`,
      [portalId, rest],
    );
    for (const r of held.rows) out.set(r.idempotency_key, r.object_id ? { state: 'created', objectId: r.object_id } : { state: 'busy', until: r.claimed_until ?? '' });
  }
  return out;
}

/** Stores the CRM's id for each key (the first id stays if two were ever confirmed). */
export async function confirmCreates(db: Queryable, portalId: string, objectType: string, created: Array<{ key: string; objectId: string }>): Promise<void> {
  if (created.length === 0) return;
  await db.query(
    `INSERT INTO crm_created_objects (portal_id, idempotency_key, object_type, object_id, confirmed_at)
       SELECT $1, k, $2, o, clock_timestamp() FROM unnest($3::text[], $4::text[]) AS t(k, o)
     ON CONFLICT (portal_id, idempotency_key) DO UPDATE
       SET object_id = COALESCE(crm_created_objects.object_id, EXCLUDED.object_id),
           confirmed_at = COALESCE(crm_created_objects.confirmed_at, EXCLUDED.confirmed_at),
           claimed_by = NULL, claimed_until = NULL`,
    [portalId, objectType, created.map((c) => c.key), created.map((c) => c.objectId)],
  );
}

/**
 * Gives claims back. `refused`: the CRM said no and made nothing, so the key is forgotten and
 * the next try simply creates. `unknown`: the call failed without a clear answer (a timeout, a
 * 5xx), so the record may exist: the claim stays unconfirmed and runs out now, and whoever
 * takes it next looks the record up first.
 */
export async function releaseCreates(db: Queryable, portalId: string, keys: string[], claimedBy: string, outcome: 'refused' | 'unknown'): Promise<void> {
  if (keys.length === 0) return;
  const sql =
    outcome === 'refused'
      ? `DELETE FROM crm_created_objects WHERE portal_id = $1 AND idempotency_key = ANY($2::text[]) AND claimed_by = $3 AND object_id IS NULL AND claims = 1`
      : `UPDATE crm_created_objects SET claimed_until = clock_timestamp() WHERE portal_id = $1 AND idempotency_key = ANY($2::text[]) AND claimed_by = $3 AND object_id IS NULL`;
  await db.query(sql, [portalId, keys, claimedBy]);
  // A refused key that had been taken over keeps its row (an earlier attempt's outcome is still
  // unknown), out of lease, so the next try looks it up again.
  if (outcome === 'refused') {
    await db.query(`UPDATE crm_created_objects SET claimed_until = clock_timestamp() WHERE portal_id = $1 AND idempotency_key = ANY($2::text[]) AND claimed_by = $3 AND object_id IS NULL`, [portalId, keys, claimedBy]);
  }
}

/** Keys whose records exist, with their CRM ids. */
export async function createdObjectIds(db: Queryable, portalId: string, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ idempotency_key: string; object_id: string }>(
    'SELECT idempotency_key, object_id FROM crm_created_objects WHERE portal_id = $1 AND idempotency_key = ANY($2::text[]) AND object_id IS NOT NULL',
    [portalId, keys],
  );
  return new Map(rows.map((r) => [r.idempotency_key, r.object_id]));
}
