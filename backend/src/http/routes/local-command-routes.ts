import { Router, type Request } from 'express';
import { z } from 'zod';
import type { CliIo } from '../../service/command-io';
import { tokenMatches } from '../../service/service-token';
import type { CommandFrame } from '../../service/forward-command';
import { parseJsonBody } from '../body';
import { HttpError } from '../errors';

// Where the CLI beside an embedded service sends its commands: run here, in the one process
// that owns the data folder, so a write lands in the store the service serves and nothing
// opens the folder twice. Only this machine (loopback) with the token from the data folder.

const commandBody = z.object({ argv: z.array(z.string().max(100_000)).min(1).max(500), cwd: z.string().min(1).max(4096) }).strict();

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

// Commands that write a lot run one at a time, in the order they arrived; reads do not wait.
const SERIAL = new Set(['scan', 'import', 'start', 'setup']);

export interface LocalCommandDeps {
  token: string;
  runCommand(argv: string[], io: CliIo, cwd: string): Promise<number>;
}

function frameIo(write: (frame: CommandFrame) => void): CliIo {
  return { stdout: { write: (s: string) => write({ out: s }), isTTY: false }, stderr: { write: (s: string) => write({ err: s }), isTTY: false }, env: {} };
}

export function localCommandRoutes({ token, runCommand }: LocalCommandDeps): Router {
  const r = Router();
  let serial: Promise<unknown> = Promise.resolve();

  r.use((req: Request, _res, next) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return next(new HttpError('NOT_LOCAL', 'local commands are accepted from this machine only'));
    if (!tokenMatches(token, req.get('authorization'))) return next(new HttpError('UNAUTHORIZED', 'the token in the data folder is required'));
    next();
  });
  // Parsed only once the caller is known to be local and to hold the token.
  r.use(parseJsonBody);

  r.post('/commands', async (req, res) => {
    const { argv, cwd } = commandBody.parse(req.body);
    res.status(200).setHeader('content-type', 'application/x-ndjson');
    res.flushHeaders();
    const write = (frame: CommandFrame) => void res.write(`${JSON.stringify(frame)}\n`);
    const run = () => runCommand(argv, frameIo(write), cwd).catch((error: Error) => {
      write({ err: `error: ${error.message}\n` });
      return 1;
    });
    let code: number;
    if (SERIAL.has(argv[0])) {
      const next = serial.then(run, run);
      serial = next;
      code = await next;
    } else {
      code = await run();
    }
    write({ exit: code });
    res.end();
  });
  return r;
}
