import type { AppContext } from '../app-context';
import { dayOf, monthEnd, monthsEndingAt } from '../domain/calendar';
import { evaluateAccount } from '../domain/evaluate-account';
import { advocateKey, computeKpis, type KpiReport } from '../domain/kpis';
import { computeReferenceKpis, type ClosedDeal, type ReferenceKpis } from '../domain/reference-kpis';
import type { IsoDate } from '../domain/types';
import { allAsks, asksForAccounts, consentsForAccounts, type StoredAsk } from '../store/asks-repo';

// The program KPIs for the last N months. "Eligible" for a month comes from the scans logged
// that month; a month no scan covered is rebuilt by evaluating the portfolio as of its last
// day (the engine only sees what was known then), and a closed month is kept in
// kpi_snapshots so it is computed once and reads the same ever after.

export interface ProgramReport extends KpiReport {
  /** Reference requests from deals; null when the CRM adapter cannot list closed deals. */
  references: ReferenceKpis | null;
}

export async function buildReport(ctx: AppContext, portalId: string, options: { months: number; asOf?: IsoDate }): Promise<ProgramReport> {
  const asOf = options.asOf ?? dayOf(ctx.now());
  const months = monthsEndingAt(asOf, options.months);
  const asks: StoredAsk[] = [];
  for await (const page of allAsks(ctx.db, portalId)) asks.push(...page);

  const eligibleByMonth: Record<string, string[]> = {};
  const { rows } = await ctx.db.query<{ month: string; account_id: string; contact_id: string | null }>(
    `SELECT DISTINCT to_char(as_of, 'YYYY-MM') AS month, account_id, contact_id FROM evaluations
      WHERE portal_id = $1 AND decision IN ('propose', 'handoff') AND as_of >= $2::date AND as_of <= $3::date`,
    [portalId, `${months[0]}-01`, asOf],
  );
  for (const r of rows) (eligibleByMonth[r.month] ??= []).push(advocateKey(r.account_id, r.contact_id));
  const scanned = new Set(
    (await ctx.db.query<{ month: string }>(`SELECT DISTINCT to_char(as_of, 'YYYY-MM') AS month FROM evaluations WHERE portal_id = $1 AND as_of >= $2::date`, [portalId, `${months[0]}-01`])).rows.map((r) => r.month),
  );
  for (const month of months) {
    if (scanned.has(month)) continue;
    eligibleByMonth[month] = await eligibleAt(ctx, portalId, month, month === asOf.slice(0, 7) ? asOf : monthEnd(`${month}-01`), month < asOf.slice(0, 7));
  }

  const customerSince: Record<string, IsoDate | null> = {};
  const { rows: since } = await ctx.db.query<{ account_id: string; customer_since: string | null }>(
    `SELECT DISTINCT a.account_id, c.customer_since FROM asks a LEFT JOIN crm_accounts c ON c.portal_id = a.portal_id AND c.account_id = a.account_id
      WHERE a.portal_id = $1 AND a.completed_at IS NOT NULL`,
    [portalId],
  );
  for (const r of since) customerSince[r.account_id] = r.customer_since;
  const kpis = computeKpis({ asOf, monthCount: options.months, asks, eligibleByMonth, customerSince });
  const deals = await closedDeals(ctx, portalId, `${months[0]}-01`, asOf);
  const references = deals && computeReferenceKpis({ asOf, monthCount: options.months, deals, asks, levels: ctx.criteria.referenceServiceLevels });
  return { ...kpis, references };
}

async function closedDeals(ctx: AppContext, portalId: string, from: IsoDate, to: IsoDate): Promise<ClosedDeal[] | null> {
  const crm = ctx.crmFor(portalId);
  if (!crm.listClosedDeals) return null;
  const deals: ClosedDeal[] = [];
  let cursor: string | null = null;
  do {
    const page = await crm.listClosedDeals({ from, to, cursor, limit: 2000 });
    for (const d of page.items) if (d.stage !== 'open' && d.closeDate) deals.push({ dealId: d.dealId, amount: d.amount, stage: d.stage, closeDate: d.closeDate });
    cursor = page.nextCursor;
  } while (cursor);
  return deals;
}

async function eligibleAt(ctx: AppContext, portalId: string, month: string, day: IsoDate, closed: boolean): Promise<string[]> {
  if (closed) {
    const cached = await ctx.db.query<{ eligible_keys: string[] }>(
      `SELECT eligible_keys FROM kpi_snapshots WHERE portal_id = $1 AND month = $2 AND criteria_version = $3`,
      [portalId, month, ctx.criteria.version],
    );
    if (cached.rows[0]) return cached.rows[0].eligible_keys;
  }
  const crm = ctx.crmFor(portalId);
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await crm.listAccounts({ cursor, limit: 500 });
    const ids = page.items.map((s) => s.account.accountId);
    const [asks, consents] = await Promise.all([asksForAccounts(ctx.db, portalId, ids), consentsForAccounts(ctx.db, portalId, ids)]);
    for (const s of page.items) {
      const id = s.account.accountId;
      const e = evaluateAccount({ ...s, asks: asks.get(id) ?? [], consents: consents.get(id) ?? [] }, ctx.criteria, day);
      if (e.decision !== 'not_ready') keys.push(advocateKey(id, e.contactId));
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (closed) {
    await ctx.db.query(
      `INSERT INTO kpi_snapshots (portal_id, month, criteria_version, eligible_keys) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING`,
      [portalId, month, ctx.criteria.version, JSON.stringify(keys)],
    );
  }
  return keys;
}
