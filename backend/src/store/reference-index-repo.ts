import type { Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';
import type { IndexedAccount, IndexedSignals } from './store-port';

// The reference index's rows (migrations/017): one per account, its CRM signals and the
// advocates ranked from them. Every save of signals is of a CRM read just made (signals_at). JSON in, JSON out: the domain's own shapes.

interface Row {
  account_id: string;
  signals: IndexedSignals;
  advocates: IndexedAccount['advocates'];
  computed_for: string;
}

const toEntry = (r: Row): IndexedAccount => ({ accountId: r.account_id, signals: r.signals, advocates: r.advocates, computedFor: r.computed_for });

/** Signals just read from the CRM; the advocates are ranked again before the transaction commits. */
export async function saveSignals(q: Queryable, portalId: string, items: Array<{ accountId: string; signals: IndexedSignals }>): Promise<void> {
  for (const part of chunksFor(items, 3)) {
    await q.query(
      `INSERT INTO reference_index (portal_id, account_id, signals, signals_at) SELECT v.*, now() FROM (VALUES ${valuesList(part.length, 3, ['', '', '::jsonb'])}) v
       ON CONFLICT (portal_id, account_id) DO UPDATE SET signals = EXCLUDED.signals, signals_at = EXCLUDED.signals_at, computed_for = '', updated_at = now()`,
      part.flatMap((i) => [portalId, i.accountId, JSON.stringify(i.signals)]),
    );
  }
}

/**
 * The signals stored from a CRM read (signals_at set by saveSignals) of some accounts: what the
 * refresh judges an account from when only the app's own rows changed. Rows stored before
 * migration 021 are left out (they are read from the CRM again).
 */
export async function storedSignals(q: Queryable, portalId: string, accountIds: string[]): Promise<Map<string, IndexedSignals>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await q.query<{ account_id: string; signals: IndexedSignals }>(
    `SELECT account_id, signals FROM reference_index WHERE portal_id = $1 AND account_id = ANY($2::text[]) AND signals_at IS NOT NULL`,
    [portalId, accountIds],
  );
  return new Map(rows.map((r) => [r.account_id, r.signals]));
}

export async function saveEntries(q: Queryable, portalId: string, entries: IndexedAccount[]): Promise<void> {
  for (const part of chunksFor(entries, 5)) {
    await q.query(
      `INSERT INTO reference_index (portal_id, account_id, signals, advocates, computed_for, signals_at) SELECT v.*, now() FROM (VALUES ${valuesList(part.length, 5, ['', '', '::jsonb', '::jsonb', ''])}) v
       ON CONFLICT (portal_id, account_id) DO UPDATE SET signals = EXCLUDED.signals, advocates = EXCLUDED.advocates, computed_for = EXCLUDED.computed_for, signals_at = EXCLUDED.signals_at, updated_at = now()`,
      part.flatMap((e) => [portalId, e.accountId, JSON.stringify(e.signals), JSON.stringify(e.advocates), e.computedFor]),
    );
  }
}

export async function saveAdvocates(q: Queryable, portalId: string, entries: Array<Pick<IndexedAccount, 'accountId' | 'advocates' | 'computedFor'>>): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `UPDATE reference_index r SET advocates = u.advocates, computed_for = u.computed_for, updated_at = now()
       FROM (SELECT * FROM unnest($2::text[], $3::jsonb[], $4::text[]) AS t(account_id, advocates, computed_for)) u
      WHERE r.portal_id = $1 AND r.account_id = u.account_id`,
    [portalId, entries.map((e) => e.accountId), entries.map((e) => JSON.stringify(e.advocates)), entries.map((e) => e.computedFor)],
  );
}

/** The rows of some accounts, or of the whole portal when `accountIds` is null. */
export async function indexEntries(q: Queryable, portalId: string, accountIds: string[] | null): Promise<IndexedAccount[]> {
  const { rows } = await q.query<Row>(
    `SELECT account_id, signals, advocates, computed_for FROM reference_index
      WHERE portal_id = $1 AND ($2::text[] IS NULL OR account_id = ANY($2::text[])) ORDER BY account_id`,
    [portalId, accountIds],
  );
  return rows.map(toEntry);
}

/** The whole portal's ranked advocates, without the signals (what a restart needs when they are ranked for today). */
export async function indexAdvocates(q: Queryable, portalId: string): Promise<Array<Omit<IndexedAccount, 'signals'>>> {
  const { rows } = await q.query<Omit<Row, 'signals'>>(`SELECT account_id, advocates, computed_for FROM reference_index WHERE portal_id = $1 ORDER BY account_id`, [portalId]);
  return rows.map((r) => ({ accountId: r.account_id, advocates: r.advocates, computedFor: r.computed_for }));
}

export async function removeEntries(q: Queryable, portalId: string, accountIds: string[]): Promise<void> {
  if (accountIds.length) await q.query(`DELETE FROM reference_index WHERE portal_id = $1 AND account_id = ANY($2::text[])`, [portalId, accountIds]);
}

/** When the portal's index was last filled by a full CRM read, and for which day and criteria. */
export async function lastFullRead(q: Queryable, portalId: string): Promise<{ at: string; key: string } | null> {
  const { rows } = await q.query<{ read_at: Date | string; read_for: string }>(`SELECT read_at, read_for FROM reference_index_reads WHERE portal_id = $1`, [portalId]);
  return rows[0] ? { at: new Date(rows[0].read_at).toISOString(), key: rows[0].read_for } : null;
}

/** A full read landed: the rows of accounts it did not see are gone from the CRM. */
export async function finishFullRead(q: Queryable, portalId: string, at: string, key: string, seen: string[]): Promise<void> {
  await q.query(`DELETE FROM reference_index WHERE portal_id = $1 AND NOT (account_id = ANY($2::text[]))`, [portalId, seen]);
  await q.query(
    `INSERT INTO reference_index_reads (portal_id, read_at, read_for) VALUES ($1, $2, $3)
     ON CONFLICT (portal_id) DO UPDATE SET read_at = EXCLUDED.read_at, read_for = EXCLUDED.read_for`,
    [portalId, at, key],
  );
}
