import { mkdirSync } from 'node:fs';
import { holderAlive, tryLock, type DataFolderLease, type LockHolder } from './data-folder-lock';

// What a CLI process does with an embedded data folder: open it itself (nobody else has it),
// hand its command to the service that owns it, or wait a little for a one-off command that
// holds it to finish, and then give up with a clear message rather than open it twice.

export type Claim = { kind: 'local'; lease: DataFolderLease } | { kind: 'forward'; service: LockHolder };

export class DataFolderBusyError extends Error {
  readonly code = 'DATA_FOLDER_BUSY';
  constructor(message: string, readonly holder: LockHolder) {
    super(message);
    this.name = 'DataFolderBusyError';
  }
}

export interface ClaimOptions {
  role: LockHolder['role'];
  command: string;
  waitMs: number;
  pollMs?: number;
  onWait?: (holder: LockHolder) => void;
  /** A forward that found the service gone asks again: skip a service that no longer answers. */
  unreachable?: LockHolder | null;
}

const describe = (h: LockHolder) => `\`advocacy ${h.command}\` (pid ${h.pid}${h.host ? ` on ${h.host}` : ''}${h.startedAt ? `, since ${h.startedAt}` : ''})`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function claimDataFolder(dir: string, options: ClaimOptions): Promise<Claim> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    const taken = tryLock(dir, options.role, options.command);
    if ('lease' in taken) return { kind: 'local', lease: taken.lease };
    const holder = taken.heldBy;
    const isService = holder.role === 'service';
    if (options.role === 'service' && isService && holderAlive(holder)) {
      throw new DataFolderBusyError(`the service already runs on ${dir}: ${describe(holder)}${holder.address ? ` at ${holder.address}` : ''}. Stop it first; CLI commands go through it meanwhile.`, holder);
    }
    const sameUnreachable = options.unreachable && options.unreachable.nonce === holder.nonce;
    if (options.role === 'command' && isService && holder.address && !sameUnreachable) return { kind: 'forward', service: holder };
    if (Date.now() >= deadline) {
      const what = isService ? (holder.address ? 'is running but does not answer' : 'is starting') : 'holds it';
      throw new DataFolderBusyError(
        `the data folder ${dir} is in use: ${describe(holder)} ${what}; waited ${Math.round(options.waitMs / 1000)} s. ` +
          'Run the command again when it has finished (or raise LOCK_WAIT_SECONDS); with `advocacy serve` running, commands go through the service instead.',
        holder,
      );
    }
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    await sleep(options.pollMs ?? 100);
  }
}
