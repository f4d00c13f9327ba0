import type { Queryable } from './db';

/** Marks an OAuth state's nonce used; false when it already was (a replayed callback). */
export async function consumeOAuthState(db: Queryable, nonce: string, now: Date, keepMs: number): Promise<boolean> {
  await db.query('DELETE FROM oauth_states_used WHERE used_at < $1', [new Date(now.getTime() - keepMs).toISOString()]);
  const { rows } = await db.query<{ nonce: string }>('INSERT INTO oauth_states_used (nonce, used_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING RETURNING nonce', [nonce, now.toISOString()]);
  return rows.length === 1;
}
