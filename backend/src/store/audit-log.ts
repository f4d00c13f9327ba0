import { createHash, createHmac, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditAction, AuditEntryInput } from '../domain/audit-entry';
import { checkCheckpoint, signCheckpoint, type AuditCheckpoint } from './audit-checkpoint';
import { macHex, sameHex, type AuditKey } from './audit-keys';
import type { Keyed, Queryable } from './db';
import { chunksFor, valuesList } from './sql-values';

// An append-only log chained with a keyed MAC: each entry's hash is HMAC-SHA256, under the
// store's audit key, of its content (portal included) and the previous hash, and audit_head
// (signed with the same key) remembers the last one. Without the key nobody can change an
// entry, drop one, or move the head and have verify agree; checkpoints written outside the
// database (audit-anchors) catch what a key holder, or a restored old copy, could still do.
// Entries from before keyed MACs keep their unkeyed SHA-256 hash and are pinned by the signed
// 'audit.chain_keyed' marker that follows them.

export type { AuditAction, AuditEntryInput } from '../domain/audit-entry';

export interface AuditEntry extends Omit<AuditEntryInput, 'personal'> {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
  /** The key whose MAC `hash` is; null for an entry written before keyed MACs. */
  keyId: string | null;
  /** The person the entry's personal data is about, and its digest (null: none). */
  personalSubject: string | null;
  personalDigest: string | null;
  /** The personal data, or null when the entry has none or it was erased. */
  personal: Record<string, unknown> | null;
}

export class AuditTamperedError extends Error {
  readonly code = 'AUDIT_TAMPERED';
  constructor(message: string) {
    super(`${message}; nothing was written. Run \`advocacy log --verify\`.`);
    this.name = 'AuditTamperedError';
  }
}

const GENESIS = '0'.repeat(64);

type Hashed = Omit<AuditEntry, 'prevHash' | 'hash' | 'keyId' | 'personal' | 'personalSubject' | 'personalDigest'> & { personalSubject?: string | null; personalDigest?: string | null };

const content = (e: Hashed) => ({
  // Present only on entries with personal data, so every other entry hashes as it always did.
  ...(e.personalDigest ? { personalSubject: e.personalSubject ?? null, personalDigest: e.personalDigest } : {}),
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

/** The unkeyed hash of entries written before keyed MACs (verification only; tests rebuild old chains with it). */
export function legacyHash(prevHash: string, e: Hashed): string {
  return createHash('sha256').update(prevHash).update(canonicalize(content(e)) ?? '').digest('hex');
}

/** Exported so tests can play an attacker who knows the scheme and recomputes with a key of their own. */
export function entryMac(key: AuditKey, portalId: string, prevHash: string, e: Hashed): string {
  return macHex(key, 'entry', `${prevHash}\n${canonicalize({ portalId, keyId: key.id, ...content(e) }) ?? ''}`);
}

interface Head {
  seq: number;
  hash: string;
  keyedFrom: number | null;
}

const headMac = (key: AuditKey, portalId: string, h: Head) => macHex(key, 'head', canonicalize({ portalId, seq: h.seq, hash: h.hash, keyedFrom: h.keyedFrom, keyId: key.id }) ?? '');

interface HeadRow {
  seq: number;
  hash: string;
  key_id: string | null;
  mac: string | null;
  keyed_from: number | null;
}

const COLUMNS = 16;

/** A salted digest: it proves the personal data unchanged while it exists and reveals nothing once the salt is gone. */
const personalDigestOf = (salt: string, data: unknown) => createHmac('sha256', Buffer.from(salt, 'hex')).update(canonicalize(data) ?? '').digest('hex');

/**
 * Appends entries in order, inside the caller's transaction (so they commit with the change
 * they describe). Refuses to extend a chain whose head does not carry a valid signature or
 * does not match the last entry: appending would sign over the damage.
 */
export async function appendAudit(tx: Keyed, portalId: string, entries: AuditEntryInput[], at: string): Promise<void> {
  if (entries.length === 0) return;
  await extendChain(tx, portalId, entries, at);
}

/**
 * Marks the start of the keyed chain on a portal whose log predates keyed MACs (a signed
 * marker pinning the unkeyed entries before it); nothing to do on a chain that is keyed.
 */
export async function sealUnkeyedChain(tx: Keyed, portalId: string, at: string): Promise<boolean> {
  const head = (await tx.query<HeadRow>(`SELECT * FROM audit_head WHERE portal_id = $1`, [portalId])).rows[0];
  if (!head || head.keyed_from !== null || head.seq === 0) return false;
  await extendChain(tx, portalId, [], at);
  return true;
}

async function extendChain(tx: Keyed, portalId: string, entries: AuditEntryInput[], at: string): Promise<void> {
  const key = tx.auditKeys.current();
  const head = await lockHead(tx, portalId, key);
  let seq = head.seq;
  let prev = head.hash;
  let keyedFrom = head.keyedFrom;
  const all: AuditEntryInput[] = [];
  if (keyedFrom === null && seq > 0) {
    all.push({
      actor: 'system:audit',
      action: 'audit.chain_keyed',
      entityType: 'audit_log',
      entityId: portalId,
      accountId: null,
      criteriaVersion: null,
      before: null,
      after: { unkeyedThrough: seq, unkeyedHead: prev, keyId: key.id, note: `entries 1..${seq} were written before keyed MACs; this signed entry pins them as they were` },
    });
  }
  if (keyedFrom === null) keyedFrom = seq + 1;
  all.push(...entries);
  const rows: unknown[][] = [];
  const personal: unknown[][] = [];
  for (const { personal: p, ...input } of all) {
    seq += 1;
    const salt = p ? randomBytes(32).toString('hex') : null;
    const personalDigest = p && salt ? personalDigestOf(salt, p.data) : null;
    const entry = { ...input, before: input.before ?? null, after: input.after ?? null, seq, at, personalSubject: p?.subjectId ?? null, personalDigest };
    const hash = entryMac(key, portalId, prev, entry);
    rows.push([
      portalId, seq, at, entry.actor, entry.action, entry.entityType, entry.entityId, entry.accountId,
      entry.criteriaVersion, JSON.stringify(entry.before), JSON.stringify(entry.after), prev, hash, key.id, entry.personalSubject, personalDigest,
    ]);
    if (p) personal.push([portalId, seq, p.subjectId, salt, JSON.stringify(p.data)]);
    prev = hash;
  }
  for (const chunk of chunksFor(rows, COLUMNS)) {
    await tx.query(
      `INSERT INTO audit_log (portal_id, seq, at, actor, action, entity_type, entity_id, account_id, criteria_version, before, after, prev_hash, hash, key_id, personal_subject, personal_digest)
       VALUES ${valuesList(chunk.length, COLUMNS)}`,
      chunk.flat(),
    );
  }
  for (const chunk of chunksFor(personal, 5)) {
    await tx.query(`INSERT INTO audit_personal (portal_id, seq, subject_id, salt, data) VALUES ${valuesList(chunk.length, 5)}`, chunk.flat());
  }
  const next = { seq, hash: prev, keyedFrom };
  await tx.query(`UPDATE audit_head SET seq = $2, hash = $3, keyed_from = $4, key_id = $5, mac = $6 WHERE portal_id = $1`, [portalId, seq, prev, keyedFrom, key.id, headMac(key, portalId, next)]);
}

/** The head, locked for this transaction, after checking it has not been tampered with. */
async function lockHead(tx: Keyed, portalId: string, key: AuditKey): Promise<Head> {
  let row = (await tx.query<HeadRow>(`SELECT * FROM audit_head WHERE portal_id = $1 FOR UPDATE`, [portalId])).rows[0];
  if (!row) {
    // The portal's first entries: the head is created first. Another transaction writing the
    // portal's first entries at the same moment makes the same insert, which waits for it and
    // then does nothing (its head is then locked and checked below like any head). Only a head
    // created here, over entries already written, means the head was removed.
    const genesis = { seq: 0, hash: GENESIS, keyedFrom: 1 };
    const created = await tx.query(`INSERT INTO audit_head (portal_id, seq, hash, keyed_from, key_id, mac) VALUES ($1, 0, $2, 1, $3, $4) ON CONFLICT (portal_id) DO NOTHING RETURNING portal_id`, [portalId, GENESIS, key.id, headMac(key, portalId, genesis)]);
    if (created.rows.length) {
      const existing = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_log WHERE portal_id = $1 LIMIT 1) x`, [portalId])).rows[0].n;
      if (existing > 0) throw new AuditTamperedError(`the audit head of ${portalId} is missing while its log has entries`);
    }
    row = (await tx.query<HeadRow>(`SELECT * FROM audit_head WHERE portal_id = $1 FOR UPDATE`, [portalId])).rows[0];
  }
  const head = { seq: row.seq, hash: row.hash, keyedFrom: row.keyed_from };
  if (row.key_id !== null) {
    const signer = tx.auditKeys.byId(row.key_id);
    if (!signer) throw new AuditTamperedError(`the audit head of ${portalId} is signed with key "${row.key_id}", which is not configured (AUDIT_MAC_OLD_KEYS)`);
    if (!row.mac || !sameHex(headMac(signer, portalId, head), row.mac)) throw new AuditTamperedError(`the audit head of ${portalId} does not carry a valid signature`);
  } else if (row.keyed_from !== null) {
    throw new AuditTamperedError(`the audit head of ${portalId} has lost its signature`);
  }
  const last = (await tx.query<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_log WHERE portal_id = $1 ORDER BY seq DESC LIMIT 1`, [portalId])).rows[0];
  if ((last?.seq ?? 0) !== head.seq || (last ? last.hash : GENESIS) !== head.hash) {
    throw new AuditTamperedError(`the audit log of ${portalId} ends at entry ${last?.seq ?? 0} but its head records entry ${head.seq}`);
  }
  return head;
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
  key_id: string | null;
  personal_subject: string | null;
  personal_digest: string | null;
  personal_data: Record<string, unknown> | null;
  personal_salt: string | null;
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
  keyId: r.key_id,
  personalSubject: r.personal_subject,
  personalDigest: r.personal_digest,
  personal: r.personal_data,
});

/**
 * Entries as people read them: personal data still held ({before, after}) is shown inside the
 * entry's before/after again; once erased, only what the MAC covers is left.
 */
export async function listAudit(db: Queryable, portalId: string, options: { accountId?: string; limit?: number; afterSeq?: number } = {}): Promise<AuditEntry[]> {
  return (await auditRows(db, portalId, options)).map(toEntry).map(withPersonal);
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function withPersonal(e: AuditEntry): AuditEntry {
  const p = e.personal;
  if (!p) return e;
  const side = (value: unknown, extra: unknown) => (isRecord(extra) ? { ...(isRecord(value) ? value : {}), ...extra } : value);
  return { ...e, before: side(e.before, p.before), after: side(e.after, p.after) };
}

function auditRows(db: Queryable, portalId: string, options: { accountId?: string; limit?: number; afterSeq?: number }): Promise<AuditRow[]> {
  return db
    .query<AuditRow>(
      `SELECT l.*, p.data AS personal_data, p.salt AS personal_salt
         FROM audit_log l LEFT JOIN audit_personal p ON p.portal_id = l.portal_id AND p.seq = l.seq
        WHERE l.portal_id = $1 AND ($2::text IS NULL OR l.account_id = $2) AND l.seq > $3 ORDER BY l.seq LIMIT $4`,
      [portalId, options.accountId ?? null, options.afterSeq ?? 0, options.limit ?? 1000],
    )
    .then((r) => r.rows);
}

/** The current head as a checkpoint would record it, after the same checks an append makes (run it in a transaction). */
export async function currentHead(tx: Keyed, portalId: string): Promise<{ seq: number; hash: string }> {
  const row = (await tx.query<HeadRow>(`SELECT * FROM audit_head WHERE portal_id = $1`, [portalId])).rows[0];
  if (!row) {
    const any = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_log WHERE portal_id = $1 LIMIT 1) x`, [portalId])).rows[0].n;
    if (any > 0) throw new AuditTamperedError(`the audit head of ${portalId} is missing while its log has entries`);
    return { seq: 0, hash: GENESIS };
  }
  const head = await lockHead(tx, portalId, tx.auditKeys.current());
  return { seq: head.seq, hash: head.hash };
}

/** Seals an unkeyed chain, then signs a checkpoint of the head; null for an empty log. Run it in a transaction. */
export async function checkpointHead(tx: Keyed, portalId: string, at: string): Promise<{ checkpoint: AuditCheckpoint | null; sealed: boolean }> {
  const sealed = await sealUnkeyedChain(tx, portalId, at);
  const head = await currentHead(tx, portalId);
  return { checkpoint: head.seq === 0 ? null : signCheckpoint(tx.auditKeys.current(), { portalId, seq: head.seq, hash: head.hash, at }), sealed };
}

export type AuditProblemKind =
  | 'ALTERED'
  | 'MISSING'
  | 'BROKEN_LINK'
  | 'TAIL_MISMATCH'
  | 'HEAD_MISSING'
  | 'HEAD_ALTERED'
  | 'UNKNOWN_KEY'
  | 'UNKEYED_AFTER_KEYED'
  | 'TRUNCATED'
  | 'ANCHOR_MISMATCH'
  | 'ANCHOR_INVALID'
  | 'PERSONAL_ALTERED'
  | 'PERSONAL_MISSING';

export interface AuditProblem {
  seq: number;
  problem: AuditProblemKind;
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  problems: AuditProblem[];
  /** Present when the chain starts with entries written before keyed MACs: the last such seq. */
  unkeyedThrough?: number;
  /** Present when checkpoints were given: how many of this portal's were checked. */
  anchorsChecked?: number;
}

/**
 * Walks the whole chain page by page, then checks the head and every checkpoint of this
 * portal it is given (checkpoints of other portals are ignored).
 */
export async function verifyAudit(db: Keyed, portalId: string, options: { checkpoints?: AuditCheckpoint[] } = {}): Promise<AuditVerification> {
  const keys = db.auditKeys;
  const problems: AuditProblem[] = [];
  const anchors = new Map<number, AuditCheckpoint[]>();
  let anchorsChecked = 0;
  for (const c of options.checkpoints ?? []) {
    if (c.portalId !== portalId) continue;
    anchorsChecked++;
    const validity = checkCheckpoint(keys, c);
    if (validity !== 'ok') {
      problems.push({ seq: c.seq, problem: validity === 'UNKNOWN_KEY' ? 'UNKNOWN_KEY' : 'ANCHOR_INVALID', detail: validity === 'UNKNOWN_KEY' ? `the checkpoint of ${c.at} for entry ${c.seq} is signed with key "${c.keyId}", which is not configured` : `the checkpoint of ${c.at} for entry ${c.seq} does not carry a valid signature (forged or altered)` });
      continue;
    }
    anchors.set(c.seq, [...(anchors.get(c.seq) ?? []), c]);
  }
  const seen = new Set<number>();
  let expectedSeq = 1;
  let prev = GENESIS;
  let checked = 0;
  let unkeyedThrough = 0;
  let keyedSeen = false;
  // Personal data may be missing only where an erasure (of that person, or of the portal) was recorded.
  const erasures = (await db.query<{ action: string; entity_id: string }>(`SELECT action, entity_id FROM audit_log WHERE portal_id = $1 AND action IN ('contact.erased', 'portal.purged')`, [portalId])).rows;
  const portalPurged = erasures.some((r) => r.action === 'portal.purged');
  const erased = new Set(erasures.filter((r) => r.action === 'contact.erased').map((r) => r.entity_id));
  for (;;) {
    const rows = await auditRows(db, portalId, { afterSeq: expectedSeq - 1, limit: 5000 });
    if (rows.length === 0) break;
    for (const row of rows) {
      const e = toEntry(row);
      if (e.personalDigest) {
        if (row.personal_data && row.personal_salt) {
          if (personalDigestOf(row.personal_salt, row.personal_data) !== e.personalDigest) problems.push({ seq: e.seq, problem: 'PERSONAL_ALTERED', detail: `the personal data of entry ${e.seq} was changed after it was written` });
        } else if (!portalPurged && !(e.personalSubject && erased.has(e.personalSubject))) {
          problems.push({ seq: e.seq, problem: 'PERSONAL_MISSING', detail: `the personal data of entry ${e.seq} was deleted without a recorded erasure` });
        }
      }
      if (e.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: 'MISSING', detail: `entries ${expectedSeq}..${e.seq - 1} are missing` });
      }
      if (e.prevHash !== prev) {
        problems.push({ seq: e.seq, problem: 'BROKEN_LINK', detail: `entry ${e.seq} does not follow the entry before it` });
      }
      if (e.keyId === null) {
        if (keyedSeen) problems.push({ seq: e.seq, problem: 'UNKEYED_AFTER_KEYED', detail: `entry ${e.seq} carries no keyed MAC although the chain before it is keyed (re-hashed without the key)` });
        else unkeyedThrough = e.seq;
        if (legacyHash(e.prevHash, e) !== e.hash) problems.push(altered(e));
      } else {
        keyedSeen = true;
        const key = keys.byId(e.keyId);
        if (!key) problems.push({ seq: e.seq, problem: 'UNKNOWN_KEY', detail: `entry ${e.seq} is signed with key "${e.keyId}", which is not configured (AUDIT_MAC_OLD_KEYS)` });
        else if (!sameHex(entryMac(key, portalId, e.prevHash, e), e.hash)) problems.push(altered(e));
      }
      for (const c of anchors.get(e.seq) ?? []) {
        seen.add(e.seq);
        if (c.hash !== e.hash) problems.push({ seq: e.seq, problem: 'ANCHOR_MISMATCH', detail: `entry ${e.seq} differs from the checkpoint of ${c.at}: the log was rewritten from here or earlier` });
      }
      prev = e.hash;
      expectedSeq = e.seq + 1;
      checked++;
    }
  }
  const last = expectedSeq - 1;
  const row = (await db.query<HeadRow>(`SELECT * FROM audit_head WHERE portal_id = $1`, [portalId])).rows[0];
  if (!row) {
    if (checked > 0) problems.push({ seq: last, problem: 'HEAD_MISSING', detail: `the log has ${checked} entries but no head record: the head was deleted` });
  } else {
    const head = { seq: row.seq, hash: row.hash, keyedFrom: row.keyed_from };
    if (row.key_id !== null) {
      const key = keys.byId(row.key_id);
      if (!key) problems.push({ seq: row.seq, problem: 'UNKNOWN_KEY', detail: `the head is signed with key "${row.key_id}", which is not configured` });
      else if (!row.mac || !sameHex(headMac(key, portalId, head), row.mac)) problems.push({ seq: row.seq, problem: 'HEAD_ALTERED', detail: `the head (entry ${row.seq}) does not carry a valid signature: it was moved or rewritten` });
    } else if (keyedSeen || row.keyed_from !== null) {
      problems.push({ seq: row.seq, problem: 'HEAD_ALTERED', detail: `the head (entry ${row.seq}) carries no signature although the chain is keyed` });
    }
    if (row.seq !== last || row.hash !== prev) {
      problems.push({ seq: row.seq, problem: 'TAIL_MISMATCH', detail: `the log ends at entry ${last} but the head records entry ${row.seq}` });
    }
  }
  for (const [seq, list] of anchors) {
    if (seen.has(seq)) continue;
    for (const c of list) {
      if (seq > last) problems.push({ seq, problem: 'TRUNCATED', detail: `the checkpoint of ${c.at} records entry ${seq}, but the log ends at entry ${last}: entries were removed` });
      else if (seq > 0) problems.push({ seq, problem: 'ANCHOR_MISMATCH', detail: `the checkpoint of ${c.at} records entry ${seq}, which is missing from the log` });
      else if (c.hash !== GENESIS) problems.push({ seq, problem: 'ANCHOR_MISMATCH', detail: `the checkpoint of ${c.at} for an empty log does not match` });
    }
  }
  problems.sort((a, b) => a.seq - b.seq);
  const result: AuditVerification = { ok: problems.length === 0, checked, problems };
  if (unkeyedThrough > 0) result.unkeyedThrough = unkeyedThrough;
  if (options.checkpoints) result.anchorsChecked = anchorsChecked;
  return result;
}

const altered = (e: AuditEntry): AuditProblem => ({ seq: e.seq, problem: 'ALTERED', detail: `entry ${e.seq} (${e.action} ${e.entityType} ${e.entityId}) was changed after it was written` });
