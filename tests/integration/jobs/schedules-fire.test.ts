import pino from 'pino';
import { createContext, type ServiceContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import { localDate, QUEUES, startJobs, type JobRunner, type JobsStatus } from '../../../backend/src/jobs/job-runner';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { advocateKey } from '../../../backend/src/domain/kpis';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset, defaultCriteria } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

// What the schedules start, run for real on pg-boss's own clock: the daily cron at SCAN_TIME in
// SCAN_TIME_ZONE fans out to a scan of the portal for its local date, which runs; the monthly
// snapshot (on the 1st) stores the month that just closed in kpi_snapshots, once.

const until = async (what: string, check: () => Promise<boolean>, tries = 900) => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
};
const queue = (s: JobsStatus, name: string) => s.queues.find((q) => q.queue === name)!;
const TZ = 'Asia/Kolkata';

/** The current minute as HH:MM in a time zone: a daily cron at that time is due now. */
const thisMinuteIn = (tz: string, now: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);

describe.each(storeKinds())('scheduled jobs fire (%s)', (kind) => {
  let db: Db;
  let ctx: ServiceContext;
  let jobs: JobRunner | null = null;
  const schema = `boss_${Math.random().toString(36).slice(2, 8)}`;

  const contextAt = (env: Record<string, string>, now?: () => Date) =>
    createContext({ LOG_LEVEL: 'silent', JOBS_SCHEMA: schema, ...env }, { db, criteria: defaultCriteria(), logger: pino({ level: 'silent' }), crmFor: (p) => new LocalCrm(db, p), ...(now ? { now } : {}) });

  beforeEach(async () => {
    db = await openTestDb(kind);
    await db.transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'a-1' }, { id: 'a-2' }, { id: 'a-3' }])));
  });
  afterEach(async () => {
    await jobs?.stop(5000);
    jobs = null;
    if (kind === 'postgres') await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  });

  it('when the daily scan time comes in its time zone, then the cron fires and the scan of that local date runs', async () => {
    // A cron is due for the minute it names: start within it (wait out a minute about to end).
    if (new Date().getUTCSeconds() > 45) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const started = new Date();
    ctx = await contextAt({ SCAN_TIME: thisMinuteIn(TZ, started), SCAN_TIME_ZONE: TZ });
    jobs = await startJobs(ctx, { work: true, schedule: true, pollingIntervalSeconds: 0.5, cronCheckSeconds: 1 });
    await until('the scheduled scan', async () => queue(await jobs!.status(), QUEUES.scan).completed >= 1);
    const status = await jobs.status();
    expect(queue(status, QUEUES.daily)).toMatchObject({ completed: 1, failed: 0 });
    // The scan is for the portal's local date in Asia/Kolkata, not the server's UTC date.
    expect(status.lastScans).toEqual([expect.objectContaining({ portalId: 'local', asOf: localDate(started, TZ) })]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM evaluations WHERE portal_id = 'local' AND as_of = $1`, [localDate(started, TZ)]);
    expect(rows[0].n).toBe(3);
  });

  it('when the monthly snapshot runs on the 1st, then the month that closed is stored in kpi_snapshots, once', async () => {
    const now = () => new Date('2026-12-01T07:00:00.000Z');
    ctx = await contextAt({ SCAN_TIME: '06:30', SCAN_TIME_ZONE: 'Europe/Berlin' }, now);
    // November was scanned (twice): its snapshot is who those scans found eligible.
    for (const asOf of ['2026-11-10', '2026-11-24']) await runScan({ store: ctx.store, crm: ctx.crmFor('local'), criteria: ctx.criteria, portalId: 'local', now }, { asOf });
    const eligible = await db.query<{ account_id: string; contact_id: string | null }>(
      `SELECT DISTINCT account_id, contact_id FROM evaluations WHERE portal_id = 'local' AND decision IN ('propose', 'handoff') AND as_of BETWEEN '2026-11-01' AND '2026-11-30'`,
    );
    expect(eligible.rows.length).toBeGreaterThan(0);

    jobs = await startJobs(ctx, { work: true, schedule: false, pollingIntervalSeconds: 0.5 });
    await jobs.boss.send(QUEUES.monthly, {});
    await until('the snapshot', async () => queue(await jobs!.status(), QUEUES.kpis).completed === 1);
    const snapshots = async () => (await db.query<{ month: string; criteria_version: string; eligible_keys: string[] }>(`SELECT month, criteria_version, eligible_keys FROM kpi_snapshots WHERE portal_id = 'local'`)).rows;
    expect(await snapshots()).toEqual([{ month: '2026-11', criteria_version: ctx.criteria.version, eligible_keys: eligible.rows.map((r) => advocateKey(r.account_id, r.contact_id)).sort() }]);

    // Run again (a retry, a second worker): the stored month is not rewritten.
    const before = await snapshots();
    await jobs.boss.send(QUEUES.kpis, { portalId: 'local', asOf: '2026-11-30' }, { singletonKey: 'local:2026-11-30' });
    await until('the second snapshot job', async () => queue(await jobs!.status(), QUEUES.kpis).completed === 2);
    expect(await snapshots()).toEqual(before);
    expect(queue(await jobs.status(), QUEUES.kpis).failed).toBe(0);
  });

  it('when no scan covered the month that closed, then the snapshot re-evaluates the portfolio as of its last day', async () => {
    const now = () => new Date('2026-12-01T07:00:00.000Z');
    ctx = await contextAt({ SCAN_TIME: '06:30', SCAN_TIME_ZONE: 'Europe/Berlin' }, now);
    jobs = await startJobs(ctx, { work: true, schedule: false, pollingIntervalSeconds: 0.5 });
    await jobs.boss.send(QUEUES.monthly, {});
    await until('the snapshot', async () => queue(await jobs!.status(), QUEUES.kpis).completed === 1);
    const { rows } = await db.query<{ month: string; eligible_keys: string[] }>(`SELECT month, eligible_keys FROM kpi_snapshots WHERE portal_id = 'local'`);
    expect(rows.map((r) => r.month)).toEqual(['2026-11']);
    // The three champions were ready on 2026-11-30 (the dataset is built for late November).
    expect(rows[0].eligible_keys).toHaveLength(3);
    expect(await db.query(`SELECT 1 FROM evaluations WHERE portal_id = 'local'`).then((r) => r.rows.length)).toBe(0);
  });
});
