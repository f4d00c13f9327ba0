import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// One process at a time opens an embedded data folder: PGlite is a single-user Postgres, and
// two processes writing the same files corrupt its indexes. The holder is named in
// `owner.lock` (pid, host, role, address once it serves). The file is made complete in a
// temporary file and linked into place, so it exists whole or not at all and only one
// process can create it. A lock whose pid is dead on this host is stale and is removed under
// a second, short-lived guard file, so two processes recovering at once cannot remove a lock
// the other has just taken.

export interface LockHolder {
  pid: number;
  host: string;
  role: 'service' | 'command';
  /** What holds it, for messages: `serve`, `scan`, ... */
  command: string;
  startedAt: string;
  /** Where the service answers (loopback URL) once it listens; null for a one-off command. */
  address: string | null;
  /** Distinguishes two holders that happen to reuse one pid. */
  nonce: string;
}

export interface DataFolderLease {
  readonly holder: LockHolder;
  /** Records where the service listens, so CLI commands can find it. */
  publish(address: string): void;
  release(): void;
}

export const LOCK_FILE = 'owner.lock';
const GUARD_STALE_MS = 10_000;

const lockPath = (dir: string) => join(dir, LOCK_FILE);

export function readHolder(dir: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lockPath(dir), 'utf8')) as LockHolder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Linked whole, so unreadable JSON is not a half-written lock: treat it as held, and say so.
    if (error instanceof SyntaxError) return { pid: -1, host: 'unknown', role: 'command', command: 'unknown (unreadable lock file)', startedAt: '', address: null, nonce: '' };
    throw error;
  }
}

/** False only when we can tell the holder is gone: same host and no such process. */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid <= 0) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeWhole(path: string, holder: LockHolder): string {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, JSON.stringify(holder), { mode: 0o600 });
  return temp;
}

/** Removes a lock left by a dead process, if it is still that same lock. */
function recoverStale(dir: string, stale: LockHolder): void {
  const guard = `${lockPath(dir)}.recover`;
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A recoverer that died holding the guard: let the next attempt through.
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) unlinkSync(guard);
    } catch {
      /* gone already */
    }
    return;
  }
  try {
    const now = readHolder(dir);
    if (now && now.nonce === stale.nonce && !holderAlive(now)) unlinkSync(lockPath(dir));
  } finally {
    unlinkSync(guard);
  }
}

/**
 * Takes the lock, or returns who holds it. A stale lock (dead pid on this host) is removed
 * and the take retried.
 */
export function tryLock(dir: string, role: LockHolder['role'], command: string): { lease: DataFolderLease } | { heldBy: LockHolder } {
  const path = lockPath(dir);
  for (let attempt = 0; attempt < 5; attempt++) {
    const holder: LockHolder = { pid: process.pid, host: hostname(), role, command, startedAt: new Date().toISOString(), address: null, nonce: randomBytes(8).toString('hex') };
    const temp = writeWhole(path, holder);
    try {
      linkSync(temp, path);
      return { lease: lease(dir, holder) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
    const current = readHolder(dir);
    if (!current) continue; // released between our link and our read
    if (holderAlive(current)) return { heldBy: current };
    recoverStale(dir, current);
  }
  const current = readHolder(dir);
  return { heldBy: current ?? { pid: -1, host: 'unknown', role: 'command', command: 'unknown', startedAt: '', address: null, nonce: '' } };
}

function lease(dir: string, initial: LockHolder): DataFolderLease {
  const path = lockPath(dir);
  let holder = initial;
  let released = false;
  const ours = () => readHolder(dir)?.nonce === holder.nonce;
  // A process that exits without reaching release (an uncaught error, process.exit) still frees
  // the folder; kill -9 leaves a stale lock, which the next process recovers.
  const onExit = () => {
    if (!released && ours()) unlinkSync(path);
  };
  process.once('exit', onExit);
  return {
    get holder() {
      return holder;
    },
    publish(address) {
      holder = { ...holder, address };
      const temp = writeWhole(path, holder);
      renameSync(temp, path); // atomic: readers see the old holder or the new one, never half
    },
    release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      try {
        if (ours()) unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
