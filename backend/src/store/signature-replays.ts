import { createHash } from 'node:crypto';
import type { Queryable } from './db';

// Signed HubSpot requests already accepted, kept for the acceptance window, in the store: a
// replay is refused by whichever process it reaches, and after a restart. Only a hash of the
// signature is kept.

const PURGE_EVERY_MS = 60_000;

export class StoreReplayCache {
  private lastPurge = 0;
  constructor(
    private readonly db: Queryable,
    private readonly ttlMs: number,
  ) {}

  /** True when the signature was already used (and records it otherwise), atomically across processes. */
  async checkAndRemember(signature: string, now: number): Promise<boolean> {
    const hash = createHash('sha256').update(signature).digest('hex');
    const nowIso = new Date(now).toISOString();
    // The insert wins for the first request only; an expired entry of the same hash is reused.
    const { rows } = await this.db.query(
      `INSERT INTO signature_replays (signature_hash, expires_at) VALUES ($1, $2)
       ON CONFLICT (signature_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE signature_replays.expires_at <= $3
       RETURNING signature_hash`,
      [hash, new Date(now + this.ttlMs).toISOString(), nowIso],
    );
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.db.query(`DELETE FROM signature_replays WHERE expires_at <= $1`, [nowIso]);
    }
    return rows.length === 0;
  }
}
