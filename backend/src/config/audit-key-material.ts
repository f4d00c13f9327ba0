import { decodeEncryptionKey } from './secret-rules';

// Audit MAC key material as configuration gives it (AUDIT_MAC_KEY, AUDIT_MAC_OLD_KEYS): decoded and
// checked here, below the store, so the one environment schema can list a bad key with the rest.

export interface AuditKey {
  readonly id: string;
  readonly secret: Buffer;
}

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

/** 32 random bytes as base64 or hex, by the same rule as every key the app takes (config/secret-rules). */
export function decodeKeyMaterial(text: string, what = 'AUDIT_MAC_KEY'): Buffer {
  try {
    return decodeEncryptionKey(text);
  } catch (error) {
    throw new AuditKeyError(`${what} ${(error as Error).message}`);
  }
}

export function parseOldKeys(text: string | undefined): AuditKey[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(':');
      if (at <= 0) throw new AuditKeyError('AUDIT_MAC_OLD_KEYS must be a comma-separated list of id:key');
      return { id: pair.slice(0, at), secret: decodeKeyMaterial(pair.slice(at + 1), `AUDIT_MAC_OLD_KEYS (${pair.slice(0, at)})`) };
    });
}
