import { monthEnd, plusDays } from '../domain/calendar';
import { advocateKey } from '../domain/kpis';
import { buildReport } from './build-report';
import type { AppContext } from './context';

// The monthly KPI snapshot: once a month has closed, who was eligible in it is kept in
// kpi_snapshots (per criteria version), computed once. A month the scans covered is taken from
// its logged evaluations; a month no scan covered is re-evaluated as of its last day (the
// report's own rebuild, which stores a closed month itself).

export interface MonthSnapshot {
  month: string;
  eligible: number;
  /** False when the month was already stored (a retry, a second worker): nothing is rewritten. */
  stored: boolean;
}

export async function snapshotClosedMonth(ctx: AppContext, portalId: string, month: string): Promise<MonthSnapshot> {
  const version = ctx.criteria.version;
  const cached = await ctx.store.kpiInputs.cachedEligible(portalId, month, version);
  if (cached) return { month, eligible: cached.length, stored: false };
  const first = `${month}-01`;
  const last = monthEnd(first);
  if ((await ctx.store.kpiInputs.evaluatedMonths(portalId, first)).has(month)) {
    const rows = await ctx.store.kpiInputs.eligibleEvaluationsByMonth(portalId, first, last);
    const keys = [...new Set(rows.map((r) => advocateKey(r.accountId, r.contactId)))].sort();
    await ctx.store.kpiInputs.cacheEligible(portalId, month, version, keys);
  } else {
    // As of the next month's first day the month is closed, so the rebuild stores it.
    await buildReport(ctx, portalId, { months: 2, asOf: plusDays(last, 1) });
  }
  const stored = await ctx.store.kpiInputs.cachedEligible(portalId, month, version);
  return { month, eligible: stored?.length ?? 0, stored: true };
}
