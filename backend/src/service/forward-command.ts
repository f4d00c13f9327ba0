import { request } from 'node:http';
import type { CliIo } from './command-io';

// The CLI side of "every command goes through the running service": the command line is sent
// to the service's local command endpoint and run there, inside the process that owns the
// store, with its output streamed back line by line (NDJSON frames) as it is written.

export const LOCAL_COMMANDS_PATH = '/local/v1/commands';

/** The service could not be reached before it answered: nothing ran there. */
export class ServiceUnreachableError extends Error {
  constructor(readonly address: string, cause: Error) {
    super(`the service at ${address} did not answer: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`);
    this.name = 'ServiceUnreachableError';
  }
}

export type CommandFrame = { out: string } | { err: string } | { exit: number };

export function forwardCommand(address: string, token: string, argv: string[], cwd: string, io: CliIo): Promise<number> {
  const body = JSON.stringify({ argv, cwd });
  return new Promise<number>((resolve, reject) => {
    let answered = false;
    const req = request(
      new URL(LOCAL_COMMANDS_PATH, address),
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        answered = true;
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            let message = text;
            try {
              message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
            } catch {
              /* not JSON */
            }
            io.stderr.write(`error: the service at ${address} refused the command (${res.statusCode}): ${message}\n`);
            resolve(res.statusCode === 401 ? 2 : 1);
          });
          return;
        }
        let buffer = '';
        let exit: number | null = null;
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            const frame = JSON.parse(line) as CommandFrame;
            if ('out' in frame) io.stdout.write(frame.out);
            else if ('err' in frame) io.stderr.write(frame.err);
            else exit = frame.exit;
          }
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          if (exit !== null) return resolve(exit);
          io.stderr.write(`error: the service at ${address} stopped before the command finished; what it committed is kept, run the command again to finish it\n`);
          resolve(1);
        };
        res.on('end', finish);
        res.on('error', () => undefined); // 'close' follows
        res.on('close', finish);
      },
    );
    req.on('error', (error) => {
      if (answered) return;
      // Refused: nothing ran there, the caller may look again. Anything else may have run.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH') return reject(new ServiceUnreachableError(address, error));
      io.stderr.write(`error: the connection to the service at ${address} broke (${code ?? error.message}); run the command again to finish it\n`);
      resolve(1);
    });
    req.end(body);
  });
}
