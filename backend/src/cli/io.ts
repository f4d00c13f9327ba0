import type { CliIo } from '../service/command-io';

export type { CliIo } from '../service/command-io';

let pipesGuarded = false;

/**
 * `advocacy scan | head`: once the reader has gone, writes fail with EPIPE (and then
 * ERR_STREAM_DESTROYED) on the stream's 'error' event, which would otherwise crash the command
 * with a stack trace in the middle of its work. Those are dropped: the command finishes what
 * it was doing (a scan commits its pages) and exits with its own code, saying nothing more.
 */
function guardClosedPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}

export const processIo = (): CliIo => {
  guardClosedPipes();
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
};

/** Bad arguments: exit code 2, with a message naming the problem. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
