import type { AppContext } from '../app-context';

// Replays: a caller that retries (HubSpot retries workflow actions for a long time on 5xx and
// 429) gets the first answer back and nothing runs twice.

export async function once<T>(ctx: AppContext, portalId: string, key: string, run: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
  const seen = await ctx.db.query<{ response: T }>(`SELECT response FROM idempotency_keys WHERE portal_id = $1 AND key = $2`, [portalId, key]);
  if (seen.rows[0]) return { result: seen.rows[0].response, replayed: true };
  const result = await run();
  await ctx.db.query(`INSERT INTO idempotency_keys (portal_id, key, response) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [portalId, key, JSON.stringify(result)]);
  const stored = await ctx.db.query<{ response: T }>(`SELECT response FROM idempotency_keys WHERE portal_id = $1 AND key = $2`, [portalId, key]);
  return { result: stored.rows[0].response, replayed: false };
}
