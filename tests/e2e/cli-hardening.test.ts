import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The real `advocacy` command on careless input: a criteria file edited without a version bump,
// a bad or busy port, output piped into `head`, a weak API token.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const DEFAULT_CRITERIA = join(ROOT, 'backend/config/criteria.default.json');

function cli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: '300', ...env }, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('advocacy CLI on careless input', () => {
  let dir: string;
  let env: Record<string, string>;
  let criteriaFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'advocacy-hardening-'));
    criteriaFile = join(dir, 'criteria.json');
    copyFileSync(DEFAULT_CRITERIA, criteriaFile);
    env = { DATA_DIR: join(dir, 'data'), CRITERIA_FILE: criteriaFile };
    // Seeds the demo portfolio (300 accounts) and scans it with the criteria file as it is.
    expect(cli(env, 'start', '--no-serve')).toMatchObject({ code: 0 });
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the criteria file changes but keeps its version, then the scan refuses with exit 2 naming the version and both content hashes; a new version scans', () => {
    const criteria = JSON.parse(readFileSync(criteriaFile, 'utf8'));
    criteria.eligibility.minHealth = 70;
    writeFileSync(criteriaFile, JSON.stringify(criteria, null, 2));
    const refused = cli(env, 'scan');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/criteria changed since version "2026-11-01\.1" was last used \(the scan of \d{4}-\d{2}-\d{2} ran with content sha256:[0-9a-f]{16}; the file now has sha256:[0-9a-f]{16}\) but the version did not/);
    const [then, now] = [...refused.err.matchAll(/sha256:[0-9a-f]{16}/g)].map((m) => m[0]);
    expect(then).not.toBe(now);
    expect(refused.err).not.toMatch(/\n\s+at /);
    criteria.version = '2026-11-01.2';
    writeFileSync(criteriaFile, JSON.stringify(criteria, null, 2));
    expect(cli(env, 'scan', '--dry-run')).toMatchObject({ code: 0 });
    // Reformatting the file (same rules) is not a change.
    writeFileSync(criteriaFile, JSON.stringify(criteria));
    expect(cli(env, 'scan')).toMatchObject({ code: 0 });
  }, 600_000);

  it('when `advocacy scan --json` is piped into `head -c 100`, then it ends quietly: exit 0, no EPIPE, no stack trace', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan --json --as-of 2026-11-20 | head -c 100 > /dev/null; echo "advocacy=\${PIPESTATUS[0]}"`], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.stdout.trim()).toBe('advocacy=0');
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  }, 300_000);

  it('when serve is given --port 99999, then exit 2 with a message, not a stack trace', () => {
    const r = cli(env, 'serve', '--port', '99999');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port must be a port number from 0 to 65535, got "99999"/);
    expect(r.err).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('when serve is given a port that is in use, then exit 2 saying so (not "listening on null", exit 0)', async () => {
    const holder: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (holder.address() as AddressInfo).port;
      const r = cli(env, 'serve', '--port', String(port));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      expect(r.out).not.toMatch(/listening on/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 120_000);

  it('when API_TOKEN is 5 characters, then the command refuses to start with exit 2 listing it', () => {
    const r = cli({ ...env, API_TOKEN: 'short' }, 'asks');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/API_TOKEN: must be at least 32 characters \(got 5\)/);
  }, 120_000);
});
