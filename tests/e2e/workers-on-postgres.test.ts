import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { createContext, type ServiceContext } from '../../backend/src/app-context';
import { jobsStatus, QUEUES, startJobs, type JobRunner } from '../../backend/src/jobs/job-runner';
import { openPostgres, type Db } from '../../backend/src/store/db';

// `advocacy worker` processes on one PostgreSQL server take the scan jobs between them: every
// date is scanned once, each task sent once and audited once, whatever worker ran it; SIGTERM
// stops a worker cleanly.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer.each([2, 4])('%i workers on one PostgreSQL server', (n) => {
  const dbName = `adv_w_${randomBytes(4).toString('hex')}`;
  const base = process.env.DATABASE_URL ?? ''; // the block is skipped without one; its body still runs
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  let admin: Db;
  let ctx: ServiceContext;
  let jobs: JobRunner;
  const workers: ChildProcess[] = [];
  // A server needs the audit key every process shares (AUDIT_MAC_KEY), kept out of the database.
  const env = { PATH: process.env.PATH, DATABASE_URL: url, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: '120', AUDIT_MAC_KEY: randomBytes(32).toString('base64') };

  beforeAll(async () => {
    admin = await openPostgres(base, { max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    // Seeds the demo portfolio (and scans today) on the server.
    expect(spawnSync(process.execPath, [BIN, 'start', '--no-serve'], { env, encoding: 'utf8', timeout: 240_000 }).status).toBe(0);
    ctx = await createContext(env, { logger: pino({ level: 'silent' }) });
    jobs = await startJobs(ctx, { work: false, schedule: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await jobs?.stop(1000);
    await ctx?.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  it('when scans of several dates are sent, then the workers run each once and every task is audited once', async () => {
    const dates = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
    for (const d of dates) await jobs.sendScan('local', d);
    for (let i = 0; i < n; i++) {
      const w = spawn(process.execPath, [BIN, 'worker'], { env });
      w.stdout.resume();
      w.stderr.resume();
      workers.push(w);
    }
    for (let i = 0; i < 1200; i++) {
      const scan = (await jobsStatus(ctx)).queues.find((q) => q.queue === QUEUES.scan)!;
      if (scan.completed + scan.failed >= dates.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const scan = (await jobsStatus(ctx)).queues.find((q) => q.queue === QUEUES.scan)!;
    expect(scan).toMatchObject({ completed: dates.length, failed: 0 });
    const q = async (sql: string) => (await ctx.db.query<{ n: number; d: number }>(sql)).rows[0];
    expect(await q(`SELECT count(*)::int AS n, count(DISTINCT entity_id)::int AS d FROM audit_log WHERE action = 'task.created'`)).toEqual({ n: expect.any(Number), d: (await q(`SELECT count(*)::int AS n, 0 AS d FROM audit_log WHERE action = 'task.created'`)).n });
    expect(await q(`SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS d FROM crm_tasks`)).toEqual(await q(`SELECT count(*)::int AS n, count(*)::int AS d FROM crm_tasks`));
    const tasks = await q(`SELECT count(*)::int AS n, 0 AS d FROM crm_tasks`);
    const audited = await q(`SELECT count(*)::int AS n, 0 AS d FROM audit_log WHERE action = 'task.created'`);
    expect(audited.n).toBe(tasks.n);
    expect((await q(`SELECT count(*)::int AS n, 0 AS d FROM outbox WHERE status <> 'done'`)).n).toBe(0);
    for (const d of dates) expect((await q(`SELECT count(*)::int AS n, 0 AS d FROM scan_runs WHERE as_of = '${d}' AND status = 'done'`)).n).toBe(1);
    expect((await ctx.store.audit.verify('local')).ok).toBe(true);

    const exits = workers.map((w) => new Promise<number | null>((r) => w.on('exit', (code) => r(code))));
    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual(workers.map(() => 0));
  });
});
