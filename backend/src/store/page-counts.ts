import type { AskStatus } from '../domain/types';
import type { Queryable } from './db';

// Totals beside a paged list, so a caller knows how much there is instead of taking the first
// page for everything.

export async function countAsks(db: Queryable, portalId: string, f: { accountId?: string; status?: AskStatus } = {}): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM asks WHERE portal_id = $1 AND ($2::text IS NULL OR account_id = $2) AND ($3::text IS NULL OR status = $3)`,
    [portalId, f.accountId ?? null, f.status ?? null],
  );
  return rows[0].n;
}

export async function countAudit(db: Queryable, portalId: string, accountId?: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE portal_id = $1 AND ($2::text IS NULL OR account_id = $2)`, [portalId, accountId ?? null]);
  return rows[0].n;
}
