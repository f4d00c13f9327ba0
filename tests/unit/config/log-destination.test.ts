import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, logDestination } from '../../../backend/src/app-context';
import { loadEnv } from '../../../backend/src/config/env';

// serve's logs: quiet on a person's terminal unless LOG_LEVEL asks, in a file when LOG_FILE says.

describe('where the logs go', () => {
  it('when serve runs on a terminal without LOG_LEVEL, then only warnings and errors are logged; piped or under a service manager, info', () => {
    expect(logDestination(loadEnv({}), true)).toEqual({ level: 'warn', file: null });
    expect(logDestination(loadEnv({}), false)).toEqual({ level: 'info', file: null });
  });

  it('when LOG_LEVEL is set, then it wins on a terminal too; when LOG_FILE is set, then the logs go there at info', () => {
    expect(logDestination(loadEnv({ LOG_LEVEL: 'debug' }), true)).toEqual({ level: 'debug', file: null });
    expect(logDestination(loadEnv({ LOG_FILE: '/var/log/advocacy.log' }), true)).toEqual({ level: 'info', file: '/var/log/advocacy.log' });
  });

  it('when a log file is named, then the entries are appended to it as JSON lines, secrets removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'advocacy-log-'));
    try {
      const file = join(dir, 'logs/serve.log');
      const logger = createLogger('info', file);
      logger.info({ requestId: 'r-1', hubspot: { token: 'secret-token' } }, 'request');
      logger.debug('not at info');
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([expect.objectContaining({ msg: 'request', requestId: 'r-1' })]);
      expect(lines[0].hubspot).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when LOG_LEVEL is not a pino level, then start-up refuses it by name', () => {
    expect(() => loadEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
