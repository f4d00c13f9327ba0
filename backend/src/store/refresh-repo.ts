import type { Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';

// What the incremental daily refresh reads and keeps (migration 018): each account's latest
// decision and until when it holds, the accounts whose data in this database changed, and
// per portal the watermarks changes are read from.

export interface HeldDecision {
  accountId: string;
  asOf: string;
  holdsUntil: string | null;
  decisionKey: string;
}

export interface RefreshState {
  criteriaHash: string | null;
  lastFullOn: string | null;
  /** Changes in the CRM are read from here (ISO, the CRM's clock less the skew allowance). */
  crmSince: string | null;
  /** Changes in this database are read from here (the database's clock less the allowance). */
  storeSince: string | null;
  /** Marks taken when the refresh now under way first started; they become the watermarks when it commits. */
  pending: { crmSince: string; storeSince: string; full: boolean } | null;
}

/** Keeps each account's newest decision (a later day replaces it; an older one never does). */
export async function holdDecisions(db: Queryable, portalId: string, runKey: string, held: HeldDecision[]): Promise<void> {
  const cols = ['portal_id', 'account_id', 'as_of', 'holds_until', 'run_key', 'decision_key'];
  for (const chunk of chunksFor(held, cols.length)) {
    if (chunk.length === 0) continue;
    await db.query(
      `INSERT INTO refresh_decisions (${cols.join(',')}) VALUES ${valuesList(chunk.length, cols.length)}
       ON CONFLICT (portal_id, account_id) DO UPDATE SET as_of = EXCLUDED.as_of, holds_until = EXCLUDED.holds_until, run_key = EXCLUDED.run_key, decision_key = EXCLUDED.decision_key
       WHERE refresh_decisions.as_of <= EXCLUDED.as_of`,
      chunk.flatMap((h) => [portalId, h.accountId, h.asOf, h.holdsUntil, runKey, h.decisionKey]),
    );
  }
}

/** Accounts whose decision stops holding on or before `day`. */
export async function dueAccounts(db: Queryable, portalId: string, day: string): Promise<string[]> {
  const { rows } = await db.query<{ account_id: string }>(
    `SELECT account_id FROM refresh_decisions WHERE portal_id = $1 AND holds_until IS NOT NULL AND holds_until <= $2 ORDER BY account_id`,
    [portalId, day],
  );
  return rows.map((r) => r.account_id);
}

/**
 * The same accounts, each saying whether its CRM data may have changed (an embedded CRM row, a
 * change event) or only the app's own rows (asks, consents).
 */
export async function changedAccountSources(db: Queryable, portalId: string, since: string): Promise<Array<{ accountId: string; crmData: boolean }>> {
  const { rows } = await db.query<{ account_id: string; crm_data: boolean }>(
    `SELECT account_id, bool_or(crm_data) AS crm_data FROM (
       SELECT account_id, COALESCE(crm_changed_at > $2, false) AS crm_data FROM refresh_changes WHERE portal_id = $1 AND changed_at > $2
       UNION ALL SELECT account_id, true FROM change_events WHERE portal_id = $1 AND received_at > $2
     ) c GROUP BY account_id ORDER BY account_id`,
    [portalId, since],
  );
  return rows.map((r) => ({ accountId: r.account_id, crmData: r.crm_data }));
}

/** Accounts whose rows here (embedded CRM, asks, consents) or whose change events arrived after `since`. */
export async function changedAccounts(db: Queryable, portalId: string, since: string): Promise<string[]> {
  const { rows } = await db.query<{ account_id: string }>(
    `SELECT account_id FROM refresh_changes WHERE portal_id = $1 AND changed_at > $2
     UNION SELECT account_id FROM change_events WHERE portal_id = $1 AND received_at > $2
     ORDER BY account_id`,
    [portalId, since],
  );
  return rows.map((r) => r.account_id);
}

/** Accounts the CRM no longer has: nothing is due for them any more. */
export async function forgetAccounts(db: Queryable, portalId: string, accountIds: string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await db.query(`DELETE FROM refresh_decisions WHERE portal_id = $1 AND account_id = ANY($2::text[])`, [portalId, accountIds]);
}

/** The database's own clock: store watermarks are compared with times it wrote. */
export async function storeClock(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ now: Date | string }>(`SELECT clock_timestamp() AS now`);
  return new Date(rows[0].now).toISOString();
}

export async function refreshState(db: Queryable, portalId: string): Promise<RefreshState | null> {
  const { rows } = await db.query<{
    criteria_hash: string | null;
    last_full_on: string | null;
    crm_since: string | null;
    store_since: Date | string | null;
    pending_crm_since: string | null;
    pending_store_since: Date | string | null;
    pending_full: boolean;
  }>(`SELECT criteria_hash, last_full_on::text AS last_full_on, crm_since, store_since, pending_crm_since, pending_store_since, pending_full FROM refresh_state WHERE portal_id = $1`, [portalId]);
  const r = rows[0];
  if (!r) return null;
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return {
    criteriaHash: r.criteria_hash,
    lastFullOn: r.last_full_on,
    crmSince: r.crm_since,
    storeSince: iso(r.store_since),
    pending: r.pending_crm_since && r.pending_store_since ? { crmSince: r.pending_crm_since, storeSince: iso(r.pending_store_since)!, full: r.pending_full } : null,
  };
}

/**
 * Marks where the refresh starting now reads up to. A refresh that crashed left its marks: they
 * stay (the older, the safer), so the retry re-reads every change the crashed run could have missed.
 */
export async function beginRefresh(db: Queryable, portalId: string, marks: { crmSince: string; storeSince: string; full: boolean }): Promise<void> {
  await db.query(
    `INSERT INTO refresh_state (portal_id, pending_crm_since, pending_store_since, pending_full) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id) DO UPDATE SET
       pending_crm_since = COALESCE(LEAST(refresh_state.pending_crm_since, EXCLUDED.pending_crm_since), EXCLUDED.pending_crm_since),
       pending_store_since = COALESCE(LEAST(refresh_state.pending_store_since, EXCLUDED.pending_store_since), EXCLUDED.pending_store_since),
       pending_full = EXCLUDED.pending_full, updated_at = now()`,
    [portalId, marks.crmSince, marks.storeSince, marks.full],
  );
}

/**
 * The refresh committed everything it read: its marks become the watermarks (never moving one
 * back, whichever worker finishes last), and a full scan records its criteria and day.
 */
export async function finishRefresh(db: Queryable, portalId: string, done: { criteriaHash: string; full: boolean; asOf: string }): Promise<void> {
  await db.query(
    `UPDATE refresh_state SET
       crm_since = CASE WHEN crm_since IS NULL OR pending_crm_since > crm_since THEN pending_crm_since ELSE crm_since END,
       store_since = GREATEST(store_since, pending_store_since),
       criteria_hash = CASE WHEN $2 THEN $3 ELSE criteria_hash END,
       last_full_on = CASE WHEN $2 THEN GREATEST(last_full_on, $4::date) ELSE last_full_on END,
       pending_crm_since = NULL, pending_store_since = NULL, pending_full = false, updated_at = now()
     WHERE portal_id = $1 AND pending_crm_since IS NOT NULL`,
    [portalId, done.full, done.criteriaHash, done.asOf],
  );
}

/** Keeps the CRM's time of the app's own write-back to each account (after its decision was recorded). */
export async function markWritten(db: Queryable, portalId: string, written: Array<{ accountId: string; writtenAt: string }>): Promise<void> {
  if (written.length === 0) return;
  await db.query(
    `UPDATE refresh_decisions d SET crm_written_at = w.written_at
       FROM unnest($2::text[], $3::text[]) AS w(account_id, written_at)
      WHERE d.portal_id = $1 AND d.account_id = w.account_id`,
    [portalId, written.map((w) => w.accountId), written.map((w) => w.writtenAt)],
  );
}

/** The CRM's time of the app's last write-back to each of these accounts (those it has one for). */
export async function writtenAt(db: Queryable, portalId: string, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await db.query<{ account_id: string; crm_written_at: string }>(
    `SELECT account_id, crm_written_at FROM refresh_decisions WHERE portal_id = $1 AND account_id = ANY($2::text[]) AND crm_written_at IS NOT NULL`,
    [portalId, accountIds],
  );
  return new Map(rows.map((r) => [r.account_id, r.crm_written_at]));
}

/** Every account's held decision key (benchmarks compare them with a full scan's). */
export async function heldKeys(db: Queryable, portalId: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ account_id: string; decision_key: string }>(`SELECT account_id, decision_key FROM refresh_decisions WHERE portal_id = $1`, [portalId]);
  return new Map(rows.map((r) => [r.account_id, r.decision_key]));
}
