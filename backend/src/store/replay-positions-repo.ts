import type { Queryable } from './db';

// The last streaming event (Salesforce Change Data Capture replay id) processed per portal and
// channel, so a restart resumes after it.

export async function lastReplayId(db: Queryable, portalId: string, channel: string): Promise<number | null> {
  const { rows } = await db.query<{ replay_id: number }>(`SELECT replay_id FROM sf_cdc_positions WHERE portal_id = $1 AND channel = $2`, [portalId, channel]);
  return rows[0]?.replay_id ?? null;
}

/** Never moves back: an older replay id delivered late leaves the position where it is. */
export async function saveReplayId(db: Queryable, portalId: string, channel: string, replayId: number): Promise<void> {
  await db.query(
    `INSERT INTO sf_cdc_positions (portal_id, channel, replay_id) VALUES ($1, $2, $3)
     ON CONFLICT (portal_id, channel) DO UPDATE SET replay_id = GREATEST(sf_cdc_positions.replay_id, EXCLUDED.replay_id), updated_at = now()`,
    [portalId, channel, replayId],
  );
}
