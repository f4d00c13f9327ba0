import type { AskSource } from '../domain/decision-plan';
import type { Ask, AskStatus, AskType, Consent } from '../domain/types';
import type { Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';

// Asks and consents as the app stores them. Rows in, domain objects out.

export interface StoredAsk extends Ask {
  /** Who made it: the engine (scan, card, workflow), an import, a reference request, or the CSM directly (`csm`). */
  source: AskSource;
  runKey: string | null;
  taskId: string | null;
  crmAskId: string | null;
  outcomeNote: string | null;
  criteriaVersion: string | null;
  readinessScore: number | null;
  details: Record<string, unknown>;
}

interface AskRow {
  ask_id: string;
  account_id: string;
  contact_id: string | null;
  deal_id: string | null;
  ask_type: AskType;
  status: AskStatus;
  proposed_at: string;
  sent_at: string | null;
  accepted_at: string | null;
  declined_at: string | null;
  no_response_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  source: StoredAsk['source'];
  run_key: string | null;
  task_id: string | null;
  crm_ask_id: string | null;
  outcome_note: string | null;
  criteria_version: string | null;
  readiness_score: number | null;
  details: Record<string, unknown> | null;
}

export const askFromRow = (r: AskRow): StoredAsk => ({
  askId: r.ask_id,
  accountId: r.account_id,
  contactId: r.contact_id,
  dealId: r.deal_id,
  askType: r.ask_type,
  status: r.status,
  proposedAt: r.proposed_at,
  sentAt: r.sent_at,
  acceptedAt: r.accepted_at,
  declinedAt: r.declined_at,
  noResponseAt: r.no_response_at,
  completedAt: r.completed_at,
  cancelledAt: r.cancelled_at,
  source: r.source,
  runKey: r.run_key,
  taskId: r.task_id,
  crmAskId: r.crm_ask_id,
  outcomeNote: r.outcome_note,
  criteriaVersion: r.criteria_version,
  readinessScore: r.readiness_score,
  details: r.details ?? {},
});

const ASK_COLUMNS = [
  'portal_id', 'ask_id', 'account_id', 'contact_id', 'deal_id', 'ask_type', 'status', 'proposed_at', 'sent_at', 'accepted_at',
  'declined_at', 'no_response_at', 'completed_at', 'cancelled_at', 'source', 'run_key', 'task_id', 'crm_ask_id', 'outcome_note',
  'criteria_version', 'readiness_score', 'details',
];

const askValues = (portalId: string, a: StoredAsk) => [
  portalId, a.askId, a.accountId, a.contactId, a.dealId, a.askType, a.status, a.proposedAt, a.sentAt, a.acceptedAt,
  a.declinedAt, a.noResponseAt, a.completedAt, a.cancelledAt, a.source, a.runKey, a.taskId, a.crmAskId, a.outcomeNote,
  a.criteriaVersion, a.readinessScore, JSON.stringify(a.details ?? {}),
];

/** Inserts asks; an ask id already stored is left as it is (returns only the new ones). */
export async function insertAsks(db: Queryable, portalId: string, asks: StoredAsk[]): Promise<string[]> {
  const created: string[] = [];
  for (const chunk of chunksFor(asks, ASK_COLUMNS.length)) {
    if (chunk.length === 0) continue;
    const { rows } = await db.query<{ ask_id: string }>(
      `INSERT INTO asks (${ASK_COLUMNS.join(',')}) VALUES ${valuesList(chunk.length, ASK_COLUMNS.length)}
       ON CONFLICT (portal_id, ask_id) DO NOTHING RETURNING ask_id`,
      chunk.flatMap((a) => askValues(portalId, a)),
    );
    created.push(...rows.map((r) => r.ask_id));
  }
  return created;
}

/** Inserts or replaces asks by id (imports: the same id updates, never duplicates). */
export async function upsertAsks(db: Queryable, portalId: string, asks: StoredAsk[]): Promise<void> {
  const updates = ASK_COLUMNS.slice(2).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  for (const chunk of chunksFor(asks, ASK_COLUMNS.length)) {
    if (chunk.length === 0) continue;
    await db.query(
      `INSERT INTO asks (${ASK_COLUMNS.join(',')}) VALUES ${valuesList(chunk.length, ASK_COLUMNS.length)}
       ON CONFLICT (portal_id, ask_id) DO UPDATE SET ${updates}, updated_at = now()`,
      chunk.flatMap((a) => askValues(portalId, a)),
    );
  }
}

export async function updateAsk(db: Queryable, portalId: string, ask: StoredAsk): Promise<void> {
  await upsertAsks(db, portalId, [ask]);
}

export async function getAsk(db: Queryable, portalId: string, askId: string, forUpdate = false): Promise<StoredAsk | null> {
  const { rows } = await db.query<AskRow>(`SELECT * FROM asks WHERE portal_id = $1 AND ask_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [portalId, askId]);
  return rows[0] ? askFromRow(rows[0]) : null;
}

export async function asksForAccounts(db: Queryable, portalId: string, accountIds: string[]): Promise<Map<string, StoredAsk[]>> {
  const out = new Map<string, StoredAsk[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return out;
  const { rows } = await db.query<AskRow>(`SELECT * FROM asks WHERE portal_id = $1 AND account_id = ANY($2::text[]) ORDER BY proposed_at, ask_id`, [portalId, accountIds]);
  for (const r of rows) out.get(r.account_id)?.push(askFromRow(r));
  return out;
}

export interface AskFilter {
  accountId?: string;
  contactId?: string;
  dealId?: string;
  status?: AskStatus;
  limit?: number;
  afterAskId?: string;
}

export async function listAsks(db: Queryable, portalId: string, f: AskFilter = {}): Promise<StoredAsk[]> {
  const { rows } = await db.query<AskRow>(
    `SELECT * FROM asks WHERE portal_id = $1
       AND ($2::text IS NULL OR account_id = $2) AND ($3::text IS NULL OR contact_id = $3)
       AND ($4::text IS NULL OR deal_id = $4) AND ($5::text IS NULL OR status = $5)
       AND ($6::text IS NULL OR ask_id > $6)
     ORDER BY ask_id LIMIT $7`,
    [portalId, f.accountId ?? null, f.contactId ?? null, f.dealId ?? null, f.status ?? null, f.afterAskId ?? null, f.limit ?? 500],
  );
  return rows.map(askFromRow);
}

/** Every ask of the portal, a page at a time. */
export async function* allAsks(db: Queryable, portalId: string, pageSize = 5000): AsyncGenerator<StoredAsk[]> {
  let after: string | undefined;
  for (;;) {
    const page = await listAsks(db, portalId, { afterAskId: after, limit: pageSize });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1].askId;
  }
}

// ---- consents ----

interface ConsentRow {
  consent_id: string;
  account_id: string;
  contact_id: string | null;
  scope: AskType;
  granted_on: string;
  evidence: string;
  expires_on: string | null;
  revoked_on: string | null;
}

export const consentFromRow = (r: ConsentRow): Consent => ({
  consentId: r.consent_id,
  accountId: r.account_id,
  contactId: r.contact_id,
  scope: r.scope,
  grantedOn: r.granted_on,
  evidence: r.evidence,
  expiresOn: r.expires_on,
  revokedOn: r.revoked_on,
});

export async function upsertConsents(db: Queryable, portalId: string, consents: Array<Consent & { askId?: string | null }>): Promise<void> {
  for (const c of consents) {
    await db.query(
      `INSERT INTO consents (portal_id, consent_id, account_id, contact_id, scope, granted_on, evidence, expires_on, revoked_on, ask_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (portal_id, consent_id) DO UPDATE SET account_id = EXCLUDED.account_id, contact_id = EXCLUDED.contact_id,
         scope = EXCLUDED.scope, granted_on = EXCLUDED.granted_on, evidence = EXCLUDED.evidence, expires_on = EXCLUDED.expires_on,
         revoked_on = EXCLUDED.revoked_on, ask_id = COALESCE(EXCLUDED.ask_id, consents.ask_id)`,
      [portalId, c.consentId, c.accountId, c.contactId, c.scope, c.grantedOn, c.evidence, c.expiresOn, c.revokedOn, c.askId ?? null],
    );
  }
}

export async function getConsent(db: Queryable, portalId: string, consentId: string): Promise<Consent | null> {
  const { rows } = await db.query<ConsentRow>(`SELECT * FROM consents WHERE portal_id = $1 AND consent_id = $2`, [portalId, consentId]);
  return rows[0] ? consentFromRow(rows[0]) : null;
}

export async function consentsForAccounts(db: Queryable, portalId: string, accountIds: string[]): Promise<Map<string, Consent[]>> {
  const out = new Map<string, Consent[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return out;
  const { rows } = await db.query<ConsentRow>(`SELECT * FROM consents WHERE portal_id = $1 AND account_id = ANY($2::text[]) ORDER BY granted_on, consent_id`, [portalId, accountIds]);
  for (const r of rows) out.get(r.account_id)?.push(consentFromRow(r));
  return out;
}

/** Asks by id, each with the latest consent recorded with it (what a CRM mirror of the ask shows). */
export async function asksWithLatestConsent(db: Queryable, portalId: string, askIds: string[]): Promise<Map<string, { ask: StoredAsk; consent: Consent | null }>> {
  const out = new Map<string, { ask: StoredAsk; consent: Consent | null }>();
  if (askIds.length === 0) return out;
  const asks = await db.query<AskRow>(`SELECT * FROM asks WHERE portal_id = $1 AND ask_id = ANY($2::text[])`, [portalId, askIds]);
  const consents = await db.query<ConsentRow & { ask_id: string }>(
    `SELECT DISTINCT ON (ask_id) * FROM consents WHERE portal_id = $1 AND ask_id = ANY($2::text[]) ORDER BY ask_id, recorded_at DESC`,
    [portalId, askIds],
  );
  const consentByAsk = new Map(consents.rows.map((r) => [r.ask_id, consentFromRow(r)]));
  for (const r of asks.rows) out.set(r.ask_id, { ask: askFromRow(r), consent: consentByAsk.get(r.ask_id) ?? null });
  return out;
}
