import canonicalize from 'canonicalize';
import { macHex, sameHex, type AuditKey, type AuditKeyring } from './audit-keys';

// A checkpoint is the audit head written down somewhere the database cannot reach: the seq and
// hash of the last entry, when, and the id of the key that signed it. Someone who rewrites the
// log (even one who can recompute every hash) cannot make it agree with a checkpoint they
// cannot also rewrite, and cannot forge one without the key.

export interface AuditCheckpoint {
  v: 1;
  portalId: string;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  sig: string;
}

type Unsigned = Omit<AuditCheckpoint, 'sig'>;

const signed = (c: Unsigned) => canonicalize({ v: c.v, portalId: c.portalId, seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }) ?? '';

export function signCheckpoint(key: AuditKey, head: { portalId: string; seq: number; hash: string; at: string }): AuditCheckpoint {
  const unsigned: Unsigned = { v: 1, portalId: head.portalId, seq: head.seq, hash: head.hash, at: head.at, keyId: key.id };
  return { ...unsigned, sig: macHex(key, 'checkpoint', signed(unsigned)) };
}

/** 'ok', or why the checkpoint cannot be trusted. */
export function checkCheckpoint(keys: AuditKeyring, c: AuditCheckpoint): 'ok' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' {
  const key = keys.byId(c.keyId);
  if (!key) return 'UNKNOWN_KEY';
  return sameHex(macHex(key, 'checkpoint', signed(c)), c.sig) ? 'ok' : 'BAD_SIGNATURE';
}

/** Parses one checkpoint from untrusted text (a file line, a CRM note); null if it is not one. */
export function parseCheckpoint(value: unknown): AuditCheckpoint | null {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!v || typeof v !== 'object') return null;
  const c = v as Record<string, unknown>;
  const ok =
    c.v === 1 &&
    typeof c.portalId === 'string' &&
    Number.isSafeInteger(c.seq) &&
    (c.seq as number) >= 0 &&
    typeof c.hash === 'string' &&
    typeof c.at === 'string' &&
    typeof c.keyId === 'string' &&
    typeof c.sig === 'string';
  return ok ? { v: 1, portalId: c.portalId as string, seq: c.seq as number, hash: c.hash as string, at: c.at as string, keyId: c.keyId as string, sig: c.sig as string } : null;
}

/** A compact form for CRM text fields: no quotes or markup for a CRM to mangle. */
export const encodeCheckpoint = (c: AuditCheckpoint): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
export const decodeCheckpoint = (text: string): AuditCheckpoint | null => {
  const token = text.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  return parseCheckpoint(Buffer.from(token, 'base64url').toString('utf8'));
};
