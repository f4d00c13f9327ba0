import type { Queryable } from './db';

// What the KPI report reads besides the asks: who the logged evaluations found eligible each
// month, which months a scan covered, and the cached eligibility of closed months no scan did.

/** Account and contact of every eligible (propose or hand-off) evaluation per month YYYY-MM. */
export async function eligibleEvaluationsByMonth(db: Queryable, portalId: string, from: string, to: string): Promise<Array<{ month: string; accountId: string; contactId: string | null }>> {
  const { rows } = await db.query<{ month: string; account_id: string; contact_id: string | null }>(
    `SELECT DISTINCT to_char(as_of, 'YYYY-MM') AS month, account_id, contact_id FROM evaluations
      WHERE portal_id = $1 AND decision IN ('propose', 'handoff') AND as_of >= $2::date AND as_of <= $3::date`,
    [portalId, from, to],
  );
  return rows.map((r) => ({ month: r.month, accountId: r.account_id, contactId: r.contact_id }));
}

/** Months YYYY-MM, from a day on, in which some evaluation was logged. */
export async function evaluatedMonths(db: Queryable, portalId: string, from: string): Promise<Set<string>> {
  const { rows } = await db.query<{ month: string }>(`SELECT DISTINCT to_char(as_of, 'YYYY-MM') AS month FROM evaluations WHERE portal_id = $1 AND as_of >= $2::date`, [portalId, from]);
  return new Set(rows.map((r) => r.month));
}

export async function cachedEligibleKeys(db: Queryable, portalId: string, month: string, criteriaVersion: string): Promise<string[] | null> {
  const { rows } = await db.query<{ eligible_keys: string[] }>(
    `SELECT eligible_keys FROM kpi_snapshots WHERE portal_id = $1 AND month = $2 AND criteria_version = $3`,
    [portalId, month, criteriaVersion],
  );
  return rows[0]?.eligible_keys ?? null;
}

/** Caches a closed month once; the first computation is the one kept. */
export async function cacheEligibleKeys(db: Queryable, portalId: string, month: string, criteriaVersion: string, keys: string[]): Promise<void> {
  await db.query(`INSERT INTO kpi_snapshots (portal_id, month, criteria_version, eligible_keys) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`, [portalId, month, criteriaVersion, JSON.stringify(keys)]);
}
