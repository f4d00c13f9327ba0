import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeEncryptionKey, keyFingerprint, type EncryptionKey } from '../../config/secret-rules';
import { CrmError } from '../errors';

// AES-256-GCM for tokens at rest. The portal id and the field name are bound in as associated
// data, so a ciphertext copied into another portal's row (or from the refresh column into the
// access column) fails to decrypt instead of handing portal B the keys to portal A.
//
// v2 tokens name the key that sealed them (`v2.<key id>.<iv>.<tag>.<body>`), so the key can be
// rotated: the current key seals, retired keys still open what they sealed. v1 tokens (no id)
// are opened with whichever configured key fits.

const VERSION = 'v2';

/** The current key first, then the retired ones. */
export type Keyring = readonly EncryptionKey[];

/** A configured key as 32 bytes; throws naming what is wrong (length, encoding, weakness). */
export function parseEncryptionKey(raw: string): Buffer {
  try {
    return decodeEncryptionKey(raw);
  } catch (error) {
    throw new Error(`TOKEN_ENCRYPTION_KEY ${(error as Error).message}`);
  }
}

const asKeyring = (keys: Keyring | Buffer): Keyring => (Buffer.isBuffer(keys) ? [{ id: keyFingerprint(keys), key: keys }] : keys);

export function encryptToken(keys: Keyring | Buffer, plaintext: string, context: string): string {
  const { id, key } = asKeyring(keys)[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

function open(key: Buffer, iv: string, tag: string, body: string, context: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM says only "Unsupported state or unable to authenticate data": the caller names the cause.
    return null;
  }
}

/** The key id a sealed token names (null for v1 tokens, which name none). */
export function tokenKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts[0] === VERSION ? parts[1] : null;
}

export function decryptToken(keys: Keyring | Buffer, sealed: string, context: string): string {
  const ring = asKeyring(keys);
  const parts = sealed.split('.');
  if (parts[0] === VERSION && parts.length === 5) {
    const [, id, iv, tag, body] = parts;
    const entry = ring.find((k) => k.id === id);
    if (!entry) throw new CrmError('CRM_AUTH', `the stored token for ${context} was sealed with key id "${id}", which is not configured (TOKEN_ENCRYPTION_KEY, TOKEN_ENCRYPTION_OLD_KEYS hold ${ring.map((k) => `"${k.id}"`).join(', ')})`);
    const plain = open(entry.key, iv, tag, body, context);
    if (plain === null) throw new CrmError('CRM_AUTH', `the stored token for ${context} does not open with key "${id}": the configured key is wrong, or the row was altered or copied from another portal`);
    return plain;
  }
  if (parts[0] === 'v1' && parts.length === 4) {
    const [, iv, tag, body] = parts;
    for (const { key } of ring) {
      const plain = open(key, iv, tag, body, context);
      if (plain !== null) return plain;
    }
    throw new CrmError('CRM_AUTH', `the stored token for ${context} opens with none of the configured keys: TOKEN_ENCRYPTION_KEY is wrong (add the key it was sealed with to TOKEN_ENCRYPTION_OLD_KEYS), or the row was altered`);
  }
  throw new CrmError('CRM_AUTH', `the stored token for ${context} is not in the expected format`);
}
