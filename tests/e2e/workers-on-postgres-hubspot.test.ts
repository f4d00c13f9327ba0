import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { createContext, type ServiceContext } from '../../backend/src/app-context';
import { jobsStatus, QUEUES, startJobs, type JobRunner } from '../../backend/src/jobs/job-runner';
import { openPostgres, type Db } from '../../backend/src/store/db';
import { startHubSpotStub, type HubSpotStub } from '../../bench/support/hubspot-stub';

// `advocacy worker` processes on one PostgreSQL server, on HubSpot (the stub, served over
// loopback, with HubSpot's rolling limit): the scans of several dates run in whichever worker
// takes them, their relays share one outbox, and each task reaches HubSpot exactly once, with
// one audit entry and the id HubSpot gave it.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;
const PORTAL = 'hubspot:4343';

describeOnServer.each([2, 4])('%i workers on one PostgreSQL server against the HubSpot stub', (n) => {
  const dbName = `adv_wh_${randomBytes(4).toString('hex')}`;
  const base = process.env.DATABASE_URL ?? ''; // the block is skipped without one; its body still runs
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  let admin: Db;
  let stub: HubSpotStub;
  let ctx: ServiceContext;
  let jobs: JobRunner;
  const workers: ChildProcess[] = [];
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    admin = await openPostgres(base, { max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    stub = await startHubSpotStub({ companies: 200, scale: 1 });
    env = {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
      CRM: 'hubspot',
      PORTAL_ID: PORTAL,
      HUBSPOT_ACCESS_TOKEN: 'stub-token',
      HUBSPOT_API_BASE_URL: stub.url,
    };
    ctx = await createContext(env, { logger: pino({ level: 'silent' }) });
    jobs = await startJobs(ctx, { work: false, schedule: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await jobs?.stop(1000);
    await ctx?.close();
    await new Promise((r) => stub.server.close(r));
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  it('when scans of several dates are sent, then every task is created in HubSpot once and audited once', async () => {
    const dates = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
    for (const d of dates) await jobs.sendScan(PORTAL, d);
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
    expect((await jobsStatus(ctx)).queues.find((q) => q.queue === QUEUES.scan)).toMatchObject({ completed: dates.length, failed: 0 });

    const q = async (sql: string) => (await ctx.db.query<{ n: number }>(sql)).rows[0].n;
    const outboxTasks = await q(`SELECT count(*)::int AS n FROM outbox WHERE portal_id = '${PORTAL}' AND kind <> 'ask_mirror'`);
    expect(outboxTasks).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'`)).toBe(0);
    const byKey = stub.tasksByKey();
    expect([...byKey].filter(([, tasks]) => tasks.length > 1).map(([k]) => k)).toEqual([]);
    expect(byKey.size).toBe(outboxTasks);
    expect(stub.objects.tasks.size).toBe(outboxTasks);
    const { rows } = await ctx.db.query<{ idempotency_key: string; object_id: string }>(`SELECT idempotency_key, object_id FROM crm_created_objects WHERE portal_id = '${PORTAL}' AND object_type = 'tasks'`);
    expect(rows).toHaveLength(outboxTasks);
    for (const r of rows) expect(byKey.get(r.idempotency_key)?.map((t) => t.id)).toEqual([r.object_id]);
    expect(await q(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.created'`)).toBe(outboxTasks);
    expect(await q(`SELECT count(DISTINCT entity_id)::int AS n FROM audit_log WHERE action = 'task.created'`)).toBe(outboxTasks);
    for (const d of dates) expect(await q(`SELECT count(*)::int AS n FROM scan_runs WHERE as_of = '${d}' AND status = 'done'`)).toBe(1);
    expect(stub.stats.rejected429).toBe(0);
    expect((await ctx.store.audit.verify(PORTAL)).ok).toBe(true);

    const exits = workers.map((w) => new Promise<number | null>((r) => w.on('exit', (code) => r(code))));
    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual(workers.map(() => 0));
  });
});
