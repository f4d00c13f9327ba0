import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The service and the CLI beside it share a secret through the data folder: a new random
// token per service start, in a file only its owner can read (0600). Whoever can read it is
// the user who runs the service, and may act on its data anyway.

export const TOKEN_FILE = 'service.token';

export class TokenUnreadableError extends Error {
  constructor(readonly path: string, cause: NodeJS.ErrnoException) {
    super(`cannot read ${path} (${cause.code}): run the command as the user who runs the service`);
    this.name = 'TokenUnreadableError';
  }
}

export function writeServiceToken(dir: string): string {
  const path = join(dir, TOKEN_FILE);
  const token = randomBytes(32).toString('base64url');
  try {
    unlinkSync(path);
  } catch {
    /* first start */
  }
  // Created 0600 (mode applies on creation; chmod again in case the umask was odd).
  writeFileSync(path, token, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return token;
}

export function readServiceToken(dir: string): string {
  const path = join(dir, TOKEN_FILE);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new TokenUnreadableError(path, error as NodeJS.ErrnoException);
  }
}

export function removeServiceToken(dir: string): void {
  try {
    unlinkSync(join(dir, TOKEN_FILE));
  } catch {
    /* already gone */
  }
}

export function tokenMatches(expected: string, got: string | undefined): boolean {
  const a = Buffer.from(`Bearer ${expected}`);
  const b = Buffer.from(got ?? '');
  return a.length === b.length && timingSafeEqual(a, b);
}
