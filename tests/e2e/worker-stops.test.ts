import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { createContext, type ServiceContext } from '../../backend/src/app-context';
import { QUEUES, startJobs, type JobRunner } from '../../backend/src/jobs/job-runner';
import { openPostgres, type Db } from '../../backend/src/store/db';
import { startHubSpotStub } from '../../bench/support/hubspot-stub';

// Real `advocacy worker` processes on the PostgreSQL server, scanning a HubSpot portal (the
// bench's stub, answering like HubSpot) of 600 companies in pages of 200. The stub holds one
// request, so the test knows where the worker is. SIGTERM while page 2 is in hand (committed and
// relayed, its readiness write-back held): the worker finishes that page, hands the rest over and
// exits 0. kill -9 while page 1 is done and page 2's read is held: its job expires after
// JOB_LEASE_SECONDS and another worker retries it from the checkpoint. Either way every company
// is evaluated once and every task is created in HubSpot once and audited once.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;
const PORTAL = 'hubspot:777';
const AS_OF = '2026-11-24';
const COMPANIES = 600;
const PAGE_2 = '200';
const WRITE_BACK = '/crm/v3/objects/companies/batch/update';

const until = async (what: string, check: () => Promise<boolean> | boolean, tries = 1200) => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
};

/** A time of day 12 hours from now, so the daily schedule the workers register does not fire here. */
const farFromNow = () => {
  const h = (new Date().getUTCHours() + 12) % 24;
  return `${String(h).padStart(2, '0')}:00`;
};

describeOnServer.each([
  ['SIGTERM', 'when a worker gets SIGTERM mid-scan, then it finishes its page, hands over and exits 0, and another worker completes the scan with nothing lost or doubled'],
  ['SIGKILL', 'when a worker is killed with kill -9 mid-scan, then its job is retried by another worker after its lease, with nothing lost or doubled'],
] as const)('a worker stopped with %s', (signal, title) => {
  const dbName = `adv_stop_${randomBytes(4).toString('hex')}`;
  const base = process.env.DATABASE_URL ?? '';
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  let admin: Db;
  let ctx: ServiceContext;
  let jobs: JobRunner;
  let stub: Awaited<ReturnType<typeof startHubSpotStub>>;
  const workers: ChildProcess[] = [];
  let release: () => void = () => undefined;
  let held = false;
  let writeBacks = 0;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    admin = await openPostgres(base, { max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    const gate = new Promise<void>((r) => (release = r));
    stub = await startHubSpotStub({
      companies: COMPANIES,
      scale: 1,
      hold: async ({ path, query }) => {
        if (held) return;
        if (path === WRITE_BACK) writeBacks++;
        // SIGTERM: page 2's first write-back (pages write back 100 companies a call); kill -9: page 2's read.
        const here = signal === 'SIGTERM' ? path === WRITE_BACK && writeBacks === 3 : path === '/crm/v3/objects/companies' && query.get('after') === PAGE_2;
        if (!here) return;
        held = true;
        await gate;
      },
    });
    env = {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      CRM: 'hubspot',
      PORTAL_ID: PORTAL,
      HUBSPOT_ACCESS_TOKEN: 'pat-stub-777',
      HUBSPOT_API_BASE_URL: stub.url,
      HUBSPOT_TIMEOUT_MS: '60000',
      SCAN_TIME: farFromNow(),
      // Short, so the killed worker's job comes back within seconds.
      JOB_LEASE_SECONDS: signal === 'SIGKILL' ? '6' : '900',
      JOB_EXPIRY_CHECK_SECONDS: '1',
      JOB_RETRY_DELAY_SECONDS: '1',
    };
    ctx = await createContext(env, { logger: pino({ level: 'silent' }) });
    jobs = await startJobs(ctx, { work: false, schedule: false });
  });
  afterAll(async () => {
    release();
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await jobs?.stop(1000);
    await ctx?.close();
    stub?.server.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  const startWorker = () => {
    const w = spawn(process.execPath, [BIN, 'worker'], { env });
    let out = '';
    w.stdout.on('data', (c: Buffer) => (out += c.toString()));
    w.stderr.resume();
    workers.push(w);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => w.on('exit', (code, sig) => r({ code, signal: sig })));
    return { w, exited, output: () => out };
  };
  const count = async (sql: string, values: unknown[] = []) => (await ctx.db.query<{ n: number }>(sql, values)).rows[0].n;
  const evaluated = () => count(`SELECT count(*)::int AS n FROM evaluations WHERE portal_id = $1`, [PORTAL]);
  const writtenBack = () => stub.stats.byKind['POST /crm/v3/objects/companies/batch/update'] ?? 0;

  it(title, async () => {
    const jobId = await jobs.sendScan(PORTAL, AS_OF);
    const first = startWorker();
    await until('the worker to reach the held request', () => held);
    if (signal === 'SIGKILL') {
      // Page 1 committed, its tasks relayed and its readiness written back; page 2's read is held.
      await until('page 1 written back', () => writtenBack() === 2);
      expect(await evaluated()).toBe(200);
    } else {
      // Page 2 committed and its tasks relayed; its write-back is held.
      expect(await evaluated()).toBe(400);
    }
    const active = await ctx.db.query<{ id: string }>(`SELECT id FROM ${ctx.env.JOBS_SCHEMA}.job WHERE name = $1 AND state = 'active'`, [QUEUES.scan]);
    expect(active.rows).toHaveLength(1);

    if (signal === 'SIGTERM') {
      first.w.kill('SIGTERM');
      await until('the worker to start stopping', () => first.output().includes('worker stopping'));
      release();
      expect(await first.exited).toEqual({ code: 0, signal: null });
      // It finished the page in hand (page 2's write-back too) and stopped there: nothing claimed, nothing pending.
      expect(writtenBack()).toBe(4);
      expect(await evaluated()).toBe(400);
      expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'done' OR claimed_by IS NOT NULL AND status = 'pending'`)).toBe(0);
      expect(await count(`SELECT count(*)::int AS n FROM scan_runs WHERE portal_id = $1 AND status = 'done'`, [PORTAL])).toBe(0);
      // The rest waits as a job of the same portal and date for any worker.
      expect(await count(`SELECT count(*)::int AS n FROM ${ctx.env.JOBS_SCHEMA}.job WHERE name = $1 AND state = 'created' AND singleton_key = $2`, [QUEUES.scan, `${PORTAL}:${AS_OF}`])).toBe(1);
    } else {
      first.w.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      release();
      // The dead worker's job is still active: nobody else may take it before its lease ends.
      expect(await count(`SELECT count(*)::int AS n FROM ${ctx.env.JOBS_SCHEMA}.job WHERE id = $1 AND state = 'active'`, [active.rows[0].id])).toBe(1);
    }

    const second = startWorker();
    await until('the scan to complete', async () => (await count(`SELECT count(*)::int AS n FROM scan_runs WHERE portal_id = $1 AND status = 'done'`, [PORTAL])) === 1);
    if (signal === 'SIGKILL') {
      // The same job, retried once after its lease ran out (not a new one).
      const job = await ctx.db.query<{ state: string; retry_count: number }>(`SELECT state, retry_count FROM ${ctx.env.JOBS_SCHEMA}.job WHERE id = $1`, [active.rows[0].id]);
      await until('the retried job to complete', async () => (await ctx.db.query<{ state: string }>(`SELECT state FROM ${ctx.env.JOBS_SCHEMA}.job WHERE id = $1`, [active.rows[0].id])).rows[0]?.state === 'completed');
      expect(job.rows[0].retry_count).toBe(1);
    } else {
      expect(jobId).toEqual(expect.any(String));
    }

    // Every company evaluated once; each task created once in HubSpot, stored once, audited once.
    expect(await count(`SELECT count(DISTINCT account_id)::int AS n FROM evaluations WHERE portal_id = $1`, [PORTAL])).toBe(COMPANIES);
    expect(await evaluated()).toBe(COMPANIES);
    const tasks = await count(`SELECT count(*)::int AS n FROM outbox WHERE portal_id = $1 AND kind <> 'ask_mirror' AND status = 'done'`, [PORTAL]);
    expect(tasks).toBeGreaterThan(0);
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'`)).toBe(0);
    const created = stub.stats.byPortal.get('pat-stub-777')!.created;
    const taskKeys = [...created.keys()].filter((k) => k.startsWith('task:') || k.startsWith('handoff:'));
    expect(taskKeys.length).toBe(tasks);
    expect([...created.values()].filter((n) => n > 1)).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE portal_id = $1 AND action = 'task.created'`, [PORTAL])).toBe(tasks);
    expect(await count(`SELECT count(DISTINCT entity_id)::int AS n FROM audit_log WHERE portal_id = $1 AND action = 'task.created'`, [PORTAL])).toBe(tasks);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE portal_id = $1 AND action = 'candidate.evaluated'`, [PORTAL])).toBe(COMPANIES);
    expect((await ctx.store.audit.verify(PORTAL)).ok).toBe(true);

    second.w.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
