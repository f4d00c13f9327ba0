import type { AppContext } from './context';
import { dayOf, monthEnd, monthsEndingAt } from '../domain/calendar';
import { evaluateAccount } from '../domain/evaluate-account';
import { advocateKey, computeKpis, type KpiReport } from '../domain/kpis';
import { computeReferenceKpis, type ClosedDeal, type ReferenceKpis } from '../domain/reference-kpis';
import type { IsoDate } from '../domain/types';
import type { StoredAsk } from '../store/store-port';

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
  for await (const page of ctx.store.asks.all(portalId)) asks.push(...page);

  const eligibleByMonth: Record<string, string[]> = {};
  for (const r of await ctx.store.kpiInputs.eligibleEvaluationsByMonth(portalId, `${months[0]}-01`, asOf)) (eligibleByMonth[r.month] ??= []).push(advocateKey(r.accountId, r.contactId));
  const scanned = await ctx.store.kpiInputs.evaluatedMonths(portalId, `${months[0]}-01`);
  for (const month of months) {
    if (scanned.has(month)) continue;
    eligibleByMonth[month] = await eligibleAt(ctx, portalId, month, month === asOf.slice(0, 7) ? asOf : monthEnd(`${month}-01`), month < asOf.slice(0, 7));
  }

  const customerSince = await customerSinceOf(ctx, portalId, asks);
  const kpis = computeKpis({ asOf, monthCount: options.months, asks, eligibleByMonth, customerSince });
  const deals = await closedDeals(ctx, portalId, `${months[0]}-01`, asOf);
  const references = deals && computeReferenceKpis({ asOf, monthCount: options.months, deals, asks, levels: ctx.criteria.referenceServiceLevels });
  return { ...kpis, references };
}

/**
 * When each account with a completed reference became a customer, as its CRM says (through the
 * port, so HubSpot and Salesforce portals count too): one read per such account, not per ask.
 */
async function customerSinceOf(ctx: AppContext, portalId: string, asks: StoredAsk[]): Promise<Record<string, IsoDate | null>> {
  const crm = ctx.crmFor(portalId);
  const out: Record<string, IsoDate | null> = {};
  for (const accountId of new Set(asks.filter((a) => a.completedAt !== null).map((a) => a.accountId))) {
    out[accountId] = (await crm.getAccount(accountId))?.account.customerSince ?? null;
  }
  return out;
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
    const cached = await ctx.store.kpiInputs.cachedEligible(portalId, month, ctx.criteria.version);
    if (cached) return cached;
  }
  const crm = ctx.crmFor(portalId);
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await crm.listAccounts({ cursor, limit: 500 });
    const ids = page.items.map((s) => s.account.accountId);
    const [asks, consents] = await Promise.all([ctx.store.asks.forAccounts(portalId, ids), ctx.store.consents.forAccounts(portalId, ids)]);
    for (const s of page.items) {
      const id = s.account.accountId;
      const e = evaluateAccount({ ...s, asks: asks.get(id) ?? [], consents: consents.get(id) ?? [] }, ctx.criteria, day);
      if (e.decision !== 'not_ready') keys.push(advocateKey(id, e.contactId));
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (closed) await ctx.store.kpiInputs.cacheEligible(portalId, month, ctx.criteria.version, keys);
  return keys;
}
