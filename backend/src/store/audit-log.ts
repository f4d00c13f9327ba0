import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditAction, AuditEntryInput } from '../domain/audit-entry';
import type { Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';

// An append-only, hash-chained log: each entry's hash covers its content and the previous
// hash, and audit_head remembers the last one. Changing any entry breaks its hash; deleting
// one breaks the chain (or, at the tail, disagrees with the head).

export type { AuditAction, AuditEntryInput } from '../domain/audit-entry';

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function hashOf(prevHash: string, e: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const content = canonicalize({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    accountId: e.accountId,
    criteriaVersion: e.criteriaVersion,
    before: e.before ?? null,
    after: e.after ?? null,
  });
  return createHash('sha256').update(prevHash).update(content ?? '').digest('hex');
}

const COLUMNS = 13;

/** Appends entries in order, inside the caller's transaction (so they commit with the change they describe). */
export async function appendAudit(tx: Queryable, portalId: string, entries: AuditEntryInput[], at: string): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(`INSERT INTO audit_head (portal_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (portal_id) DO NOTHING`, [portalId, GENESIS]);
  const head = (await tx.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_head WHERE portal_id = $1 FOR UPDATE`, [portalId])).rows[0];
  let seq = head.seq;
  let prev = head.hash;
  const rows: unknown[][] = [];
  for (const input of entries) {
    seq += 1;
    const entry = { ...input, before: input.before ?? null, after: input.after ?? null, seq, at };
    const hash = hashOf(prev, entry);
    rows.push([
      portalId, seq, at, entry.actor, entry.action, entry.entityType, entry.entityId, entry.accountId,
      entry.criteriaVersion, JSON.stringify(entry.before), JSON.stringify(entry.after), prev, hash,
    ]);
    prev = hash;
  }
  for (const chunk of chunksFor(rows, COLUMNS)) {
    await tx.query(
      `INSERT INTO audit_log (portal_id, seq, at, actor, action, entity_type, entity_id, account_id, criteria_version, before, after, prev_hash, hash)
       VALUES ${valuesList(chunk.length, COLUMNS)}`,
      chunk.flat(),
    );
  }
  await tx.query(`UPDATE audit_head SET seq = $2, hash = $3 WHERE portal_id = $1`, [portalId, seq, prev]);
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: AuditAction;
  entity_type: string;
  entity_id: string;
  account_id: string | null;
  criteria_version: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  accountId: r.account_id,
  criteriaVersion: r.criteria_version,
  before: r.before,
  after: r.after,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export async function listAudit(db: Queryable, portalId: string, options: { accountId?: string; limit?: number; afterSeq?: number } = {}): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit_log WHERE portal_id = $1 AND ($2::text IS NULL OR account_id = $2) AND seq > $3 ORDER BY seq LIMIT $4`,
    [portalId, options.accountId ?? null, options.afterSeq ?? 0, options.limit ?? 1000],
  );
  return rows.map(toEntry);
}

export interface AuditProblem {
  seq: number;
  problem: 'ALTERED' | 'MISSING' | 'BROKEN_LINK' | 'TAIL_MISMATCH';
  detail: string;
}

/** Walks the whole chain page by page. */
export async function verifyAudit(db: Queryable, portalId: string): Promise<{ ok: boolean; checked: number; problems: AuditProblem[] }> {
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prev = GENESIS;
  let checked = 0;
  for (;;) {
    const page = await listAudit(db, portalId, { afterSeq: expectedSeq - 1, limit: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: 'MISSING', detail: `entries ${expectedSeq}..${e.seq - 1} are missing` });
      }
      if (e.prevHash !== prev) {
        problems.push({ seq: e.seq, problem: 'BROKEN_LINK', detail: `entry ${e.seq} does not follow the entry before it` });
      }
      if (hashOf(e.prevHash, e) !== e.hash) {
        problems.push({ seq: e.seq, problem: 'ALTERED', detail: `entry ${e.seq} (${e.action} ${e.entityType} ${e.entityId}) was changed after it was written` });
      }
      prev = e.hash;
      expectedSeq = e.seq + 1;
      checked++;
    }
  }
  const head = (await db.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_head WHERE portal_id = $1`, [portalId])).rows[0];
  if (head && (head.seq !== expectedSeq - 1 || head.hash !== prev)) {
    problems.push({ seq: head.seq, problem: 'TAIL_MISMATCH', detail: `the log ends at entry ${expectedSeq - 1} but the head records entry ${head.seq}` });
  }
  return { ok: problems.length === 0, checked, problems };
}
