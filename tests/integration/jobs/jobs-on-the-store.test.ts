import pino from 'pino';
import { createContext, type ServiceContext } from '../../../backend/src/app-context';
import { CrmError } from '../../../backend/src/crm/errors';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { applyDataset } from '../../../backend/src/import/dataset';
import { portalsOf, QUEUES, startJobs, type JobRunner, type JobsStatus } from '../../../backend/src/jobs/job-runner';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset, defaultCriteria, TODAY } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

// The jobs run on pg-boss inside the store: over PGlite in-process for the embedded default,
// over the PostgreSQL server otherwise. A scan sent as a job runs and is recorded as the
// portal's last successful scan; a job that fails on its last attempt is kept with its reason;
// the daily scan is scheduled at the configured local time and time zone.

const until = async (what: string, check: () => Promise<boolean>, tries = 600) => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
};

describe.each(storeKinds())('jobs on pg-boss (%s)', (kind) => {
  let db: Db;
  let ctx: ServiceContext;
  let jobs: JobRunner;
  const broken: CrmPort = new Proxy({} as CrmPort, {
    get: (_t, prop) => (prop === 'kind' ? 'local' : () => Promise.reject(new CrmError('CRM_UNAVAILABLE', 'the CRM did not answer'))),
  });

  beforeEach(async () => {
    db = await openTestDb(kind);
    await db.transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'a-1' }, { id: 'a-2' }, { id: 'a-3' }])));
    const fixed = new Date(`${TODAY}T09:00:00.000Z`);
    ctx = await createContext(
      { LOG_LEVEL: 'silent', SCAN_TIME: '06:30', SCAN_TIME_ZONE: 'Europe/Berlin', JOBS_SCHEMA: `boss_${Math.random().toString(36).slice(2, 8)}` },
      { db, now: () => fixed, criteria: defaultCriteria(), logger: pino({ level: 'silent' }), crmFor: (p) => (p === 'broken' ? broken : new LocalCrm(db, p)) },
    );
    jobs = await startJobs(ctx, { work: true, schedule: true, pollingIntervalSeconds: 0.5 });
  });
  afterEach(async () => {
    await jobs.stop(5000);
    if (kind === 'postgres') await db.exec(`DROP SCHEMA ${ctx.env.JOBS_SCHEMA} CASCADE`);
    await db.close();
  });

  const queue = (s: JobsStatus, name: string) => s.queues.find((q) => q.queue === name)!;

  it('when a scan is sent as a job, then it runs once, and the portal shows it as its last successful scan', async () => {
    expect(await jobs.sendScan('local', TODAY)).toEqual(expect.any(String));
    // The same portal and date while one waits: not a second job.
    const again = await jobs.sendScan('local', TODAY);
    await until('the scan job', async () => queue(await jobs.status(), QUEUES.scan).completed >= 1);
    const status = await jobs.status();
    expect(queue(status, QUEUES.scan)).toMatchObject({ failed: 0, active: 0 });
    expect(queue(status, QUEUES.scan).completed + queue(status, QUEUES.scan).queued).toBe(again ? 2 : 1);
    expect(status.lastScans).toEqual([expect.objectContaining({ portalId: 'local', asOf: TODAY })]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM evaluations WHERE portal_id = 'local'`);
    expect(rows[0].n).toBe(3);
  });

  it('when a job fails on its last attempt, then it is kept as failed with the reason', async () => {
    await jobs.boss.send(QUEUES.scan, { portalId: 'broken', asOf: TODAY }, { singletonKey: `broken:${TODAY}`, retryLimit: 0 });
    await until('the failed scan', async () => queue(await jobs.status(), QUEUES.scan).failed === 1);
    const { failures } = await jobs.status();
    expect(failures).toEqual([expect.objectContaining({ queue: QUEUES.scan, key: `broken:${TODAY}`, reason: expect.stringContaining('CRM_UNAVAILABLE: the CRM did not answer') })]);
  });

  it('when jobs are scheduled, then the daily scan runs at the configured local time in its time zone, and the monthly snapshot on the 1st', async () => {
    const schedules = await jobs.boss.getSchedules();
    const by = Object.fromEntries(schedules.map((s) => [s.name, s as unknown as { cron: string; timezone: string }]));
    expect(by[QUEUES.daily]).toMatchObject({ cron: '30 6 * * *', timezone: 'Europe/Berlin' });
    expect(by[QUEUES.monthly]).toMatchObject({ cron: '30 6 1 * *', timezone: 'Europe/Berlin' });
    expect(by[QUEUES.sweep]).toMatchObject({ cron: '*/5 * * * *' });
    // Work is retried with backoff before it is kept as failed; one per portal (and date) at a time.
    for (const q of [QUEUES.scan, QUEUES.relay, QUEUES.drain, QUEUES.reminders, QUEUES.kpis]) {
      // A job expires one lease (JOB_LEASE_SECONDS, 15 min) after it started; a scan hands over before that.
      expect(await jobs.boss.getQueue(q)).toMatchObject({ policy: 'stately', retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 });
    }
  });

  it('when HubSpot accounts installed the app, then the daily jobs cover each of them beside PORTAL_ID', async () => {
    const hubspot = await createContext(
      { LOG_LEVEL: 'silent', CRM: 'hubspot', PORTAL_ID: 'hubspot:111' },
      { db, criteria: defaultCriteria(), logger: pino({ level: 'silent' }), crmFor: (p) => new LocalCrm(db, p) },
    );
    for (const portalId of ['hubspot:222', 'hubspot:333']) await hubspot.store.hubspot.writeTokens({ portalId, accessTokenEnc: 'x', refreshTokenEnc: 'y', expiresAt: '2026-11-24T10:00:00.000Z' });
    expect((await portalsOf(hubspot)).sort()).toEqual(['hubspot:111', 'hubspot:222', 'hubspot:333']);
    expect(await portalsOf(ctx)).toEqual(['local']);
  });
});
