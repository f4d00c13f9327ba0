import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { createContext, type ServiceContext } from '../../backend/src/app-context';
import { jobsStatus, QUEUES, startJobs, type JobRunner } from '../../backend/src/jobs/job-runner';
import { openPostgres, type Db } from '../../backend/src/store/db';
import { startHubSpotStub, type HubSpotStub } from '../../bench/support/hubspot-stub';

// A manual `advocacy scan` beside workers on one PostgreSQL server: a portal's scan of a date
// runs once at a time whoever started it. The first scan is held inside HubSpot's answer to its
// first company page (the stub waits) so it is certainly running while the second process tries.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;
const PORTAL = 'hubspot:4545';

function run(env: Record<string, string | undefined>, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr }))) };
}

describeOnServer('a manual scan beside workers on one PostgreSQL server', () => {
  const dbName = `adv_sl_${randomBytes(4).toString('hex')}`;
  const base = process.env.DATABASE_URL ?? ''; // the block is skipped without one; its body still runs
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  let admin: Db;
  let stub: HubSpotStub;
  let ctx: ServiceContext;
  let jobs: JobRunner;
  let env: Record<string, string | undefined>;
  // The scan's first company read (page or change search) waits here until the test lets it go.
  let hold: { entered: () => void; gate: Promise<void> } | null = null;
  const holdNextCreate = () => {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    hold = { entered, gate: new Promise<void>((r) => (release = r)) };
    return { inside, release };
  };

  beforeAll(async () => {
    admin = await openPostgres(base, { max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    stub = await startHubSpotStub({
      companies: 60,
      scale: 1,
      beforeRequest: async (kind) => {
        // A full scan lists the companies first; an incremental refresh (a later date) searches
        // for the changed ones first. Either way the scan lock is held by then.
        if (!hold || (kind !== 'GET /crm/v3/objects/companies' && kind !== 'POST /crm/v3/objects/companies/search')) return;
        const h = hold;
        hold = null;
        h.entered();
        await h.gate;
      },
    });
    env = {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
      CRM: 'hubspot',
      PORTAL_ID: PORTAL,
      HUBSPOT_ACCESS_TOKEN: 'stub-token',
      HUBSPOT_API_BASE_URL: stub.url,
      LOCK_WAIT_SECONDS: '0',
    };
    ctx = await createContext(env, { logger: pino({ level: 'silent' }) });
    jobs = await startJobs(ctx, { work: false, schedule: false });
  });
  afterAll(async () => {
    await jobs?.stop(1000);
    await ctx?.close();
    await new Promise((r) => stub.server.close(r));
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  const tasksOnce = () => [...stub.tasksByKey()].filter(([, t]) => t.length > 1).map(([k]) => k);

  it('when a second `advocacy scan` of the same date starts while the first runs, then it is refused with exit 4 naming the holder, a scan of another date runs, and the first finishes', async () => {
    const held = holdNextCreate();
    const first = run(env, ['scan', '--as-of', '2026-11-02']);
    await held.inside;
    const second = await run(env, ['scan', '--as-of', '2026-11-02']).done;
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/scan refused: the scan of hubspot:4545 for 2026-11-02 is already running in another process \(PostgreSQL session \d+/);
    expect(second.stderr).toMatch(/LOCK_WAIT_SECONDS/);
    const json = await run(env, ['scan', '--as-of', '2026-11-02', '--json']).done;
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'refused', decisions: [], stopReason: expect.stringMatching(/^SCAN_RUNNING: /) });
    const otherDate = await run(env, ['scan', '--as-of', '2026-11-03']).done;
    expect(otherDate.code).toBe(0);
    held.release();
    expect((await first.done).code).toBe(0);
    expect(tasksOnce()).toEqual([]);
  });

  it('when a worker runs the scan job of a date, then `advocacy scan` of that date is refused until it is done, and then runs', async () => {
    const held = holdNextCreate();
    await jobs.sendScan(PORTAL, '2026-11-09');
    const worker = run(env, ['worker']);
    await held.inside;
    const refused = await run(env, ['scan', '--as-of', '2026-11-09']).done;
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/already running in another process \(PostgreSQL session \d+/);
    held.release();
    for (let i = 0; i < 400; i++) {
      const scan = (await jobsStatus(ctx)).queues.find((q) => q.queue === QUEUES.scan)!;
      if (scan.completed + scan.failed >= 1) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await jobsStatus(ctx)).queues.find((q) => q.queue === QUEUES.scan)).toMatchObject({ completed: 1, failed: 0 });
    const after = await run(env, ['scan', '--as-of', '2026-11-09']).done;
    expect(after.code).toBe(0);
    const exit = new Promise<number | null>((r) => worker.child.on('exit', (code) => r(code)));
    worker.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(tasksOnce()).toEqual([]);
    const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM scan_runs WHERE portal_id = '${PORTAL}' AND as_of = '2026-11-09' AND status = 'done'`);
    expect(rows[0].n).toBe(1);
  });
});
