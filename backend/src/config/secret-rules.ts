import { createHash } from 'node:crypto';

// What a secret from the environment must look like before the process starts with it. A key
// that decodes to the wrong length, or to bytes nobody would draw at random (all zero, one
// byte repeated, a counting sequence), is refused at start-up instead of protecting nothing.

export const MIN_API_TOKEN_LENGTH = 32;
const HEX_KEY = /^[0-9a-f]{64}$/i;
// 32 bytes in base64 (with or without padding) or base64url.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export interface EncryptionKey {
  /** Written into every token it seals, so the right key is picked after a rotation. */
  id: string;
  key: Buffer;
}

/** Why these 32 bytes cannot be a key, or null when they can. */
function weakness(key: Buffer): string | null {
  const distinct = new Set(key).size;
  if (distinct === 1) return `is one byte repeated (0x${key[0].toString(16).padStart(2, '0')}): generate one with \`openssl rand -base64 32\``;
  const step = (key[1] - key[0] + 256) % 256;
  if (key.every((b, i) => i === 0 || (b - key[i - 1] + 256) % 256 === step)) return 'is a counting sequence, not random bytes: generate one with `openssl rand -base64 32`';
  // 32 random bytes show about 30 distinct values; fewer than 16 happens by chance less than once in 10^12.
  if (distinct < 16) return `has only ${distinct} distinct byte values, so it is not random: generate one with \`openssl rand -base64 32\``;
  return null;
}

/** Decodes a 32-byte key given as 64 hex characters or base64; throws naming what is wrong. */
export function decodeEncryptionKey(raw: string): Buffer {
  const text = raw.trim();
  let key: Buffer;
  if (HEX_KEY.test(text)) key = Buffer.from(text, 'hex');
  else if (BASE64_KEY.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else throw new Error('must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)');
  if (key.length !== 32) throw new Error('must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)');
  const weak = weakness(key);
  if (weak) throw new Error(`is weak: it ${weak}`);
  return key;
}

/** A short public name for a key that has none: a fingerprint that reveals nothing of the key. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('advocacy-loop token key id:').update(key).digest('base64url').slice(0, 8);
}

/** `[id:]key`: an explicit id, or the key's fingerprint. */
export function parseEncryptionKeyEntry(raw: string): EncryptionKey {
  const text = raw.trim();
  const colon = text.indexOf(':');
  if (colon > 0) {
    const id = text.slice(0, colon);
    if (!KEY_ID.test(id)) throw new Error(`key id "${id}" must be 1-16 letters, digits, _ or -`);
    return { id, key: decodeEncryptionKey(text.slice(colon + 1)) };
  }
  const key = decodeEncryptionKey(text);
  return { id: keyFingerprint(key), key };
}

/** The current key and the retired ones (comma-separated), each id once. */
export function parseKeyring(current: string, retired?: string): EncryptionKey[] {
  const keys = [parseEncryptionKeyEntry(current), ...(retired ? retired.split(',').filter((s) => s.trim()).map(parseEncryptionKeyEntry) : [])];
  const ids = keys.map((k) => k.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`key id "${dup}" is used twice`);
  return keys;
}

/** Why a bearer token is too weak to guard the API, or null. */
export function apiTokenProblem(token: string): string | null {
  if (token.length < MIN_API_TOKEN_LENGTH) return `must be at least ${MIN_API_TOKEN_LENGTH} characters (got ${token.length}): generate one with \`openssl rand -base64 32\``;
  if (new Set(token).size < 8) return 'repeats too few characters to be a secret: generate one with `openssl rand -base64 32`';
  return null;
}
