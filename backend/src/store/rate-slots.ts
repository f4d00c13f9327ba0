import type { Db } from './db';

// A portal's request budget shared by every process on one PostgreSQL server. A request holds
// a slot from before it is sent until one window after its answer (or, if its process dies, until
// its lease runs out); at most `perWindow` slots are alive at once, so no rolling window at the
// CRM sees more than that, whichever worker sent them. A 429 pauses the portal for everyone.
// The server's clock decides, so workers on different machines agree.

export type SlotGrant = { slotId: number } | { waitMs: number };

const lockKey = (portalId: string) => `crm-rate:${portalId}`;

export async function takeRateSlot(db: Db, portalId: string, perWindow: number, leaseMs: number): Promise<SlotGrant> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [lockKey(portalId)]);
    await tx.query(`DELETE FROM crm_rate_slots WHERE portal_id = $1 AND expires_at <= clock_timestamp()`, [portalId]);
    const { rows } = await tx.query<{ alive: number; first_free_ms: number | null; paused_ms: number | null }>(
      `SELECT count(*)::int AS alive,
              (EXTRACT(EPOCH FROM min(expires_at) - clock_timestamp()) * 1000)::float8 AS first_free_ms,
              (SELECT (EXTRACT(EPOCH FROM paused_until - clock_timestamp()) * 1000)::float8 FROM crm_rate_pauses WHERE portal_id = $1) AS paused_ms
         FROM crm_rate_slots WHERE portal_id = $1`,
      [portalId],
    );
    const { alive, first_free_ms: firstFree, paused_ms: paused } = rows[0];
    if (paused !== null && paused > 0) return { waitMs: Math.ceil(paused) };
    if (alive >= perWindow) return { waitMs: Math.max(1, Math.ceil(firstFree ?? 5)) };
    const inserted = await tx.query<{ slot_id: number }>(
      `INSERT INTO crm_rate_slots (portal_id, expires_at) VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000)) RETURNING slot_id`,
      [portalId, leaseMs],
    );
    return { slotId: Number(inserted.rows[0].slot_id) };
  });
}

/** The request was answered: its slot frees one window from now. */
export async function finishRateSlot(db: Db, slotId: number, windowMs: number): Promise<void> {
  await db.query(`UPDATE crm_rate_slots SET answered = true, expires_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000) WHERE slot_id = $1`, [slotId, windowMs]);
}

/** A 429: nobody sends for this portal before `waitMs` from now. */
export async function pausePortalRequests(db: Db, portalId: string, waitMs: number): Promise<void> {
  await db.query(
    `INSERT INTO crm_rate_pauses (portal_id, paused_until) VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
     ON CONFLICT (portal_id) DO UPDATE SET paused_until = GREATEST(crm_rate_pauses.paused_until, EXCLUDED.paused_until)`,
    [portalId, waitMs],
  );
}
