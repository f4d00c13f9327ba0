import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditKeyError, decodeKeyMaterial, parseOldKeys, type AuditKey } from '../config/audit-key-material';

export { AuditKeyError, decodeKeyMaterial, parseOldKeys, type AuditKey } from '../config/audit-key-material';

// The audit log's MAC keys. Entries, the head and checkpoints are signed with HMAC-SHA256
// under the current key; older keys (after a rotation) are kept for verification only. Each
// key has an id that is written beside what it signed, so verify knows which key to use.


export interface AuditKeyring {
  /** The key new entries are signed with; throws when the store has no key configured. */
  current(): AuditKey;
  byId(id: string): AuditKey | null;
}


/** A key id that names the key without revealing anything usable about it. */
export function fingerprint(secret: Buffer): string {
  return createHash('sha256').update('advocacy-audit-key-id\n').update(secret).digest('hex').slice(0, 12);
}


export function keyring(current: AuditKey | null, older: AuditKey[] = [], missingReason = 'no audit MAC key is configured'): AuditKeyring {
  const all = new Map<string, AuditKey>();
  for (const k of older) all.set(k.id, k);
  if (current) all.set(current.id, current);
  return {
    current: () => {
      if (!current) throw new AuditKeyError(missingReason);
      return current;
    },
    byId: (id) => all.get(id) ?? null,
  };
}

/** A key for a store that lives only in this process (an in-memory PGlite): it dies with it. */
export function ephemeralKeyring(): AuditKeyring {
  const secret = randomBytes(32);
  return keyring({ id: `mem-${fingerprint(secret)}`, secret });
}

/**
 * The embedded default's key: a file in the data folder, created with mode 0600 on first start.
 * It protects the log against whoever can edit the database but not read this file; README
 * says why a server takes its key from configuration instead.
 */
export function keyFromFile(path: string, options: { create: boolean }): AuditKey {
  if (!existsSync(path)) {
    if (!options.create) throw new AuditKeyError(`audit MAC key file ${path} does not exist`);
    mkdirSync(dirname(path), { recursive: true });
    const secret = randomBytes(32);
    const key = { id: `file-${fingerprint(secret)}`, secret };
    // 'wx': two processes starting together cannot both create it; the loser reads the winner's.
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify({ v: 1, id: key.id, key: secret.toString('base64') })}\n`);
      } finally {
        closeSync(fd);
      }
      chmodSync(path, 0o600);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new AuditKeyError(`audit MAC key file ${path} is readable by other users: chmod 600 ${path}`);
  }
  const text = readFileSync(path, 'utf8').trim();
  let parsed: { id?: unknown; key?: unknown };
  try {
    parsed = text.startsWith('{') ? (JSON.parse(text) as typeof parsed) : { key: text };
  } catch {
    throw new AuditKeyError(`audit MAC key file ${path} is not valid JSON`);
  }
  if (typeof parsed.key !== 'string') throw new AuditKeyError(`audit MAC key file ${path} has no "key"`);
  const secret = decodeKeyMaterial(parsed.key, `the key in ${path}`);
  return { id: typeof parsed.id === 'string' && parsed.id ? parsed.id : `file-${fingerprint(secret)}`, secret };
}

/** `id:key,id:key` (keys retired by a rotation, still needed to verify what they signed). */

/** HMAC-SHA256 in hex, with a purpose prefix so an entry MAC can never pass for a head or a checkpoint. */
export function macHex(key: AuditKey, purpose: 'entry' | 'head' | 'checkpoint', data: string): string {
  return createHmac('sha256', key.secret).update(`advocacy-audit-${purpose}-v1\n`).update(data).digest('hex');
}

export function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length || !/^[0-9a-f]*$/.test(a) || !/^[0-9a-f]*$/.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
