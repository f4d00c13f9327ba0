import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { useTempDirs } from '../support/temp-dirs';

// One owner of the embedded store, with real processes: `serve`/`start` holds the data
// folder, every CLI command beside it runs through the service, and without a service a
// second process waits or refuses instead of opening PGlite twice.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');
const baseEnv = (dataDir: string, extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: '60', PORT: '0', ...extra });

function cli(dataDir: string, args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: baseEnv(dataDir, extra), encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** One request on its own connection: a kept-alive one may be closed by the server while the CLI runs. */
function http(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(url, { method, agent: false, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  out: () => string;
  exited: Promise<number | null>;
}

function cliAsync(dataDir: string, args: string[], extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(dataDir, extra) });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

async function startService(dataDir: string, args: string[] = ['start']): Promise<Running> {
  const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(dataDir) });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`service exited ${code}: ${err}`)));
  });
  return { child, url, out: () => out, exited };
}

const json = <T>(r: { code: number | null; out: string; err: string }): T => {
  expect(r).toMatchObject({ code: 0 });
  return JSON.parse(r.out) as T;
};

interface AskRow {
  askId: string;
  accountId: string;
  status: string;
  source: string;
}

describe('the embedded store has one owner', () => {
  const tempDir = useTempDirs('advocacy-service-');
  let service: Running | null = null;
  afterEach(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    service = null;
  });

  it('when the service runs, then CLI writes go through it, the API sees them, and both survive a restart', async () => {
    const dir = tempDir();
    service = await startService(dir);
    const lock = JSON.parse(readFileSync(join(dir, 'owner.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: service.child.pid, role: 'service', address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(statSync(join(dir, 'service.token')).mode & 0o777).toBe(0o600);

    const proposed = json<AskRow[]>(cli(dir, ['asks', '--status', 'proposed', '--json']));
    expect(proposed.length).toBeGreaterThan(1);
    const [byCli, byApi] = proposed;

    // CLI write, API read.
    expect(cli(dir, ['outcome', byCli.askId, 'sent'])).toMatchObject({ code: 0, out: expect.stringContaining('is now sent') });
    const seen = (await http(`${service.url}/api/v1/asks?status=sent`)).body as { asks: AskRow[] };
    expect(seen.asks.map((a) => a.askId)).toContain(byCli.askId);

    // API write, CLI read.
    const res = await http(`${service.url}/api/v1/asks/${byApi.askId}/outcome`, 'POST', { status: 'sent' });
    expect(res.status).toBe(200);
    expect(json<AskRow[]>(cli(dir, ['asks', '--status', 'sent', '--json'])).map((a) => a.askId)).toEqual(expect.arrayContaining([byCli.askId, byApi.askId]));

    // A refused write is refused by the service, with the CLI's exit code.
    expect(cli(dir, ['outcome', byCli.askId, 'completed'])).toMatchObject({ code: 1, err: expect.stringMatching(/INVALID_TRANSITION|can move to/) });
    // A file argument is read from the CLI's own folder.
    const imported = spawnSync(process.execPath, [BIN, 'import', 'owners.csv'], { cwd: FIXTURES, env: baseEnv(dir), encoding: 'utf8', timeout: 60_000 });
    expect(imported).toMatchObject({ status: 0, stdout: expect.stringMatching(/imported \d+ owners/) });

    // The service runs the jobs: `advocacy jobs` (through it) and /health show them and the last scan.
    const jobs = json<{ installed: boolean; queues: Array<{ queue: string }>; lastScans: Array<{ portalId: string; asOf: string }>; schedule: { dailyScan: string } }>(cli(dir, ['jobs', '--json']));
    expect(jobs).toMatchObject({ installed: true, schedule: { dailyScan: '06:00', timeZone: 'UTC' } });
    expect(jobs.queues.map((q) => q.queue)).toEqual(expect.arrayContaining(['scan-portfolio', 'relay-outbox', 'drain-change-events', 'service-level-reminders', 'kpi-snapshot']));
    expect(jobs.lastScans).toEqual([expect.objectContaining({ portalId: 'local', asOf: new Date().toISOString().slice(0, 10) })]);
    const health = (await http(`${service.url}/health`)).body as { status: string; jobs: { backlog: number; failed: number }; lastScans: unknown[] };
    expect(health).toMatchObject({ status: 'ok', jobs: { backlog: expect.any(Number), failed: 0 }, lastScans: [expect.objectContaining({ portalId: 'local' })] });
    expect((health as unknown as { notifications: { pending: number; failed: number } }).notifications).toEqual({ pending: expect.any(Number), failed: 0 });
    // With no messaging tool configured, the scan's notices went to the audit log; `notifications` (through the service) lists them.
    const notices = json<Array<{ kind: string; status: string; via: string | null; askId: string | null }>>(cli(dir, ['notifications', '--json', '--limit', '1000']));
    expect(notices.filter((n) => n.kind === 'proposal_ready').map((n) => n.askId)).toEqual(expect.arrayContaining([byCli.askId, byApi.askId]));
    expect(notices.filter((n) => n.status === 'sent').every((n) => n.via === 'audit_log')).toBe(true);
    expect(notices.some((n) => n.status === 'sent')).toBe(true);
    expect(json<Array<{ action: string }>>(cli(dir, ['log', '--json', '--limit', '5000'])).some((e) => e.action === 'notification.sent')).toBe(true);
    // Workers are for a PostgreSQL server; on the embedded store the service runs the jobs.
    expect(cli(dir, ['worker'])).toMatchObject({ code: 2, err: expect.stringContaining('DATABASE_URL') });

    // A second service on the same folder refuses, naming the running one.
    expect(cli(dir, ['serve', '--port', '0'])).toMatchObject({ code: 4, err: expect.stringContaining(`pid ${service.child.pid}`) });

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(existsSync(join(dir, 'owner.lock'))).toBe(false);
    expect(existsSync(join(dir, 'service.token'))).toBe(false);

    // Now the CLI opens the folder itself: everything written through the service is there.
    const sent = json<AskRow[]>(cli(dir, ['asks', '--status', 'sent', '--json'])).map((a) => a.askId);
    expect(sent).toEqual(expect.arrayContaining([byCli.askId, byApi.askId]));
    const audit = json<Array<{ action: string; entityId: string; actor: string }>>(cli(dir, ['log', '--json', '--limit', '100000']));
    const transitions = audit.filter((e) => e.action === 'ask.transitioned');
    expect(transitions.filter((e) => e.entityId === byCli.askId)).toHaveLength(1);
    expect(transitions.filter((e) => e.entityId === byApi.askId)).toHaveLength(1);
    expect(cli(dir, ['log', '--verify'])).toMatchObject({ code: 0, out: expect.stringContaining('hash chain verified') });
  });

  it('when the service was killed with -9, then its stale lock is recovered by the next process', async () => {
    const dir = tempDir();
    service = await startService(dir, ['serve']);
    service.child.kill('SIGKILL');
    await service.exited;
    expect(JSON.parse(readFileSync(join(dir, 'owner.lock'), 'utf8')).pid).toBe(service.child.pid);
    expect(cli(dir, ['asks', '--json'])).toMatchObject({ code: 0, out: '[]\n' });
    expect(existsSync(join(dir, 'owner.lock'))).toBe(false);
  });

  it('when a live process holds the folder, then a command waits its turn and then refuses with exit 4, opening nothing', () => {
    const dir = tempDir();
    // This test process stands in for a long command: alive, and not a service.
    writeFileSync(join(dir, 'owner.lock'), JSON.stringify({ pid: process.pid, host: hostname(), role: 'command', command: 'scan', startedAt: new Date().toISOString(), address: null, nonce: 'held-by-test' }));
    const r = cli(dir, ['scan'], { LOCK_WAIT_SECONDS: '1' });
    expect(r.code).toBe(4);
    expect(r.err).toContain(`\`advocacy scan\` (pid ${process.pid}`);
    expect(r.err).toMatch(/waiting for/);
    expect(readdirSync(dir)).toEqual(['owner.lock']); // PGlite never opened the folder
  });

  it('when two scans of one date run on one data folder at once, then the second waits and nothing is duplicated', async () => {
    const dir = tempDir();
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv', 'nps.csv', 'history.json']) expect(cli(dir, ['import', join(FIXTURES, f)])).toMatchObject({ code: 0 });
    expect(cli(dir, ['start', '--no-serve'])).toMatchObject({ code: 0 });
    const both = await Promise.all([0, 1].map(() => cliAsync(dir, ['scan', '--as-of', '2026-11-20', '--json'], { LOCK_WAIT_SECONDS: '170' })));
    const [a, b] = both.map((r) => json<{ summary: { evaluated: number; proposed: number }; decisions: Array<{ accountId: string; taskId: string | null }> }>(r));
    expect(b.decisions).toEqual(a.decisions);
    const asks = json<AskRow[]>(cli(dir, ['asks', '--json']));
    expect(new Set(asks.map((x) => x.askId)).size).toBe(asks.length);
    const ofDate = a.decisions.filter((d) => d.taskId).map((d) => d.taskId);
    expect(new Set(ofDate).size).toBe(ofDate.length);
    const audit = json<Array<{ action: string; entityId: string; after: { asOf?: string } | null }>>(cli(dir, ['log', '--json', '--limit', '100000']));
    const evaluated = audit.filter((e) => e.action === 'candidate.evaluated' && e.after?.asOf === '2026-11-20');
    expect(evaluated).toHaveLength(a.summary.evaluated);
    expect(new Set(evaluated.map((e) => e.entityId)).size).toBe(evaluated.length);
    expect(cli(dir, ['log', '--verify'])).toMatchObject({ code: 0, out: expect.stringContaining('hash chain verified') });
  });
});
