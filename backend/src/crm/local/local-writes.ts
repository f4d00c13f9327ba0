import type { Account, Contact, NpsResponse, Owner } from '../../domain/types';
import type { Queryable } from '../../store/db';
import { chunksFor, valuesList } from '../../store/sql-values';
import type { Deal } from '../port';

// Upserts into the embedded CRM tables (imports and the demo). The same id updates the row;
// nothing is ever duplicated.

/**
 * `present`: the columns the source actually had. A re-import of a partial sheet (say, only
 * health scores) updates those columns and leaves the others as they were.
 */
async function upsert(db: Queryable, table: string, columns: string[], keys: string[], rows: unknown[][], casts: string[] = [], present?: string[]): Promise<void> {
  const updates = columns.filter((c) => !keys.includes(c) && (!present || present.includes(c))).map((c) => `${c} = EXCLUDED.${c}`);
  const onConflict = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
  for (const chunk of chunksFor(rows, columns.length)) {
    if (chunk.length === 0) continue;
    await db.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${valuesList(chunk.length, columns.length, casts)} ON CONFLICT (${keys.join(',')}) ${onConflict}`, chunk.flat());
  }
}

export function upsertOwners(db: Queryable, portalId: string, owners: Owner[], present?: string[]) {
  return upsert(db, 'crm_owners', ['portal_id', 'owner_id', 'name', 'email'], ['portal_id', 'owner_id'], owners.map((o) => [portalId, o.ownerId, o.name, o.email]), [], present);
}

export type AccountInput = Omit<Account, 'healthHistory'>;

export function upsertAccounts(db: Queryable, portalId: string, accounts: AccountInput[], present?: string[]) {
  const cols = ['portal_id', 'account_id', 'name', 'owner_id', 'health_score', 'customer_since', 'usage_depth', 'csat', 'engagement', 'strategic', 'open_escalations', 'renewal_date', 'industry', 'region', 'size_band', 'products', 'use_cases', 'competitors_replaced', 'languages'];
  const casts = Array(cols.length).fill('');
  for (const list of ['products', 'use_cases', 'competitors_replaced', 'languages']) casts[cols.indexOf(list)] = '::text[]';
  return upsert(
    db,
    'crm_accounts',
    cols,
    ['portal_id', 'account_id'],
    accounts.map((a) => [portalId, a.accountId, a.name, a.ownerId, a.healthScore, a.customerSince, a.usageDepth, a.csat, a.engagement, a.strategic, a.openEscalations, a.renewalDate, a.industry, a.region, a.sizeBand, a.products, a.useCases ?? [], a.competitorsReplaced ?? [], a.languages ?? []]),
    casts,
    present,
  );
}

export function upsertHealth(db: Queryable, portalId: string, points: Array<{ accountId: string; date: string; score: number }>) {
  return upsert(db, 'crm_health_history', ['portal_id', 'account_id', 'date', 'score'], ['portal_id', 'account_id', 'date'], points.map((p) => [portalId, p.accountId, p.date, p.score]));
}

export function upsertContacts(db: Queryable, portalId: string, contacts: Contact[], present?: string[]) {
  return upsert(
    db,
    'crm_contacts',
    ['portal_id', 'contact_id', 'account_id', 'first_name', 'last_name', 'title', 'seniority', 'do_not_contact'],
    ['portal_id', 'contact_id'],
    contacts.map((c) => [portalId, c.contactId, c.accountId, c.firstName, c.lastName, c.title, c.seniority, c.doNotContact]),
    [],
    present,
  );
}

export function upsertNps(db: Queryable, portalId: string, responses: Array<NpsResponse & { accountId: string }>) {
  return upsert(
    db,
    'crm_nps_responses',
    ['portal_id', 'contact_id', 'account_id', 'date', 'score'],
    ['portal_id', 'contact_id', 'date'],
    responses.map((r) => [portalId, r.contactId, r.accountId, r.date, r.score]),
  );
}

export function upsertDeals(db: Queryable, portalId: string, deals: Deal[], present?: string[]) {
  const cols = ['portal_id', 'deal_id', 'name', 'account_id', 'owner_id', 'amount', 'stage', 'close_date', 'industry', 'region', 'size_band', 'products'];
  const casts = Array(cols.length).fill('');
  casts[cols.indexOf('products')] = '::text[]';
  return upsert(
    db,
    'crm_deals',
    cols,
    ['portal_id', 'deal_id'],
    deals.map((d) => [portalId, d.dealId, d.name, d.accountId, d.ownerId, d.amount, d.stage, d.closeDate, d.industry, d.region, d.sizeBand, d.products]),
    casts,
    present,
  );
}

/** Which of these accounts the embedded CRM already holds (an import may refer to them). */
export async function existingAccountIds(db: Queryable, portalId: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const { rows } = await db.query<{ account_id: string }>(`SELECT account_id FROM crm_accounts WHERE portal_id = $1 AND account_id = ANY($2::text[])`, [portalId, accountIds]);
  return new Set(rows.map((r) => r.account_id));
}
