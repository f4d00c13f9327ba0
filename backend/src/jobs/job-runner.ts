import PgBoss from 'pg-boss';
import type { Db } from '../store/db';
import type { AppContext as UseCaseContext } from '../use-cases/context';
import { CrmError } from '../crm/errors';
import { installedHubSpotPortals, jobsInstalled, lastSuccessfulScans, queueCounts, recentFailures, type FailedJob, type QueueCounts } from '../store/job-status';
import { anchorAudit } from '../use-cases/anchor-audit';
import { syncDeletedContacts } from '../use-cases/sync-deleted-contacts';
import { purgeUninstalledPortals } from '../use-cases/uninstall-portal';
import { followAppLifecycle } from '../use-cases/follow-app-lifecycle';
import type { AppLifecycleSource } from '../crm/app-lifecycle';
import { snapshotClosedMonth } from '../use-cases/snapshot-closed-month';
import { drainChangeEvents, portalsWithPendingEvents } from '../use-cases/change-event-queue';
import { CREATE_CLAIM_LEASE_MS } from '../crm/create-once';
import { relayOutbox } from './relay-outbox';
import { refreshPortfolio } from './refresh-portfolio';
import { ScanRunningError } from './scan-portfolio';
import { raiseServiceLevelReminders } from './service-level-reminders';
import { notifyDepsOf, sendDailyDigests, sendNotifications, sendWeeklyDigests, type SendResult } from './send-notifications';
import { weekdayIndex } from '../domain/notification-policy';

// The work that keeps running with nobody at the keyboard, as pg-boss jobs in the store
// itself (over PGlite in-process on the embedded default, over the server otherwise): the
// daily scan per portal at the configured local time, the outbox relay, the change-event
// drains, the service-level reminders and the monthly KPI snapshot. Every job is idempotent
// (the scan per date, the relay per idempotency key, reminders per request and stage), so a
// retry, or a second worker, does no harm; a job that fails is retried with backoff and, after
// its last attempt, kept as failed with its reason (`advocacy jobs`, /health).

export const QUEUES = {
  scan: 'scan-portfolio',
  relay: 'relay-outbox',
  drain: 'drain-change-events',
  reminders: 'service-level-reminders',
  kpis: 'kpi-snapshot',
  daily: 'daily-scan',
  sweep: 'outbox-and-events-sweep',
  monthly: 'monthly-kpi-snapshot',
  lifecycle: 'app-lifecycle',
  notify: 'send-notifications',
  dailyDigest: 'daily-digest',
  weeklyDigest: 'weekly-digest',
} as const;

/** The queues that do the work (the rest only fan out per portal on a schedule). */
export const WORK_QUEUES = [QUEUES.scan, QUEUES.relay, QUEUES.drain, QUEUES.reminders, QUEUES.kpis, QUEUES.lifecycle, QUEUES.notify] as const;
const ALL_QUEUES = Object.values(QUEUES);

interface PortalJob {
  portalId: string;
  /** The local date the job is for (scan, reminders) or the month's last day (KPIs). */
  asOf?: string;
  /** A scan handed over by an earlier job of the same key (its privacy duties already ran). */
  resumed?: boolean;
}

/**
 * The jobs run pg-boss over the database itself, beside the store port: the root hands them
 * both, and the CRM's record of the app's installs where there is one (HubSpot OAuth).
 */
export type AppContext = UseCaseContext & { db: Db; appLifecycle?: () => AppLifecycleSource | null };

const retryOf = (ctx: AppContext) => ({ retryLimit: 4, retryDelay: ctx.env.JOB_RETRY_DELAY_SECONDS, retryBackoff: true }) as const;
/**
 * A handed-over scan starts this long after it is sent: by then the job that sent it has
 * completed. pg-boss 10 fetches the oldest job first and, while a job of the same key is still
 * active, that fetch fails (stately's unique index), which would hold up every other portal.
 */
const HANDOVER_GAP_MS = 250;

export interface JobsOptions {
  /** Take and run jobs (serve, worker); false: only send and read them. */
  work: boolean;
  /** Register the cron schedules (safe from any number of processes). */
  schedule: boolean;
  pollingIntervalSeconds?: number;
  /** How often pg-boss looks for a schedule that is due (pg-boss default 30 s). */
  cronCheckSeconds?: number;
}

export interface JobsStatus {
  /** False until a service or worker has run pg-boss on this store. */
  installed: boolean;
  queues: QueueCounts[];
  failures: FailedJob[];
  lastScans: Array<{ portalId: string; asOf: string; finishedAt: string | null }>;
  schedule: { dailyScan: string; timeZone: string };
  /** Notices waiting to be sent, and those given up after their last attempt (with the error). */
  notifications: { pending: number; failed: number; failures: Array<{ portalId: string; key: string; kind: string; attempts: number; error: string | null }> };
}

export interface JobRunner {
  readonly boss: PgBoss;
  sendScan(portalId: string, asOf: string): Promise<string | null>;
  status(): Promise<JobsStatus>;
  /** Stops taking jobs; waits up to `timeoutMs` for running ones to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

/** The local date in a time zone: what "today" is for a portal's daily scan. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const lastDayOfPreviousMonth = (today: string) => new Date(Date.parse(`${today.slice(0, 8)}01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export const dailyCron = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return `${m} ${h} * * *`;
};

/** The 1st of every month at the scan time. */
export const monthlyCron = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return `${m} ${h} 1 * *`;
};

/** Every week on a day (0 = Sunday) at a time. */
export const weeklyCron = (time: string, weekday: number) => {
  const [h, m] = time.split(':').map(Number);
  return `${m} ${h} * * ${weekday}`;
};

/** A send that gave up on a notice, or was refused our credentials, fails its job: the reason shows in `advocacy jobs`. */
function notifyOutcome(r: SendResult) {
  if (r.stoppedBy) throw new Error(`${r.stoppedBy.code}: ${r.stoppedBy.message}`);
  if (r.gaveUp.length) throw new Error(`${r.gaveUp.length} notification(s) given up after their last attempt (${r.gaveUp.slice(0, 3).join(', ')}); ${r.sent} sent`);
  if (r.failed) throw new Error(`${r.failed} notification(s) could not be sent yet; ${r.sent} sent`);
  return { sent: r.sent, digested: r.digested, suppressed: r.suppressed, waiting: r.waiting };
}

export async function portalsOf(ctx: AppContext): Promise<string[]> {
  const portals = new Set([ctx.defaultPortalId]);
  if (ctx.env.CRM === 'hubspot') for (const p of await installedHubSpotPortals(ctx.db)) portals.add(p);
  return [...portals];
}

function bossFor(ctx: AppContext, options: JobsOptions): PgBoss {
  return new PgBoss({
    // Through the store's own connection: PGlite in-process, or the server's pool.
    db: { executeSql: (text: string, values: unknown[]) => ctx.db.executeSql(text, values) },
    schema: ctx.env.JOBS_SCHEMA,
    // Kept long enough to read why a job failed; done jobs go after a week.
    deleteAfterDays: 30,
    archiveCompletedAfterSeconds: 7 * 24 * 3600,
    // How soon the job of a process killed outright is found expired and retried.
    maintenanceIntervalSeconds: ctx.env.JOB_EXPIRY_CHECK_SECONDS,
    ...(options.pollingIntervalSeconds !== undefined ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}),
    ...(options.cronCheckSeconds !== undefined ? { cronMonitorIntervalSeconds: options.cronCheckSeconds, cronWorkerIntervalSeconds: options.cronCheckSeconds } : {}),
  } as PgBoss.ConstructorOptions);
}

/** Backlog, failures and last scans, read from the store (no pg-boss needed to read them). */
export async function jobsStatus(ctx: AppContext): Promise<JobsStatus> {
  const schema = ctx.env.JOBS_SCHEMA;
  const installed = await jobsInstalled(ctx.db, schema);
  return {
    installed,
    queues: installed ? await queueCounts(ctx.db, schema, ALL_QUEUES) : [],
    failures: installed ? await recentFailures(ctx.db, schema, ALL_QUEUES) : [],
    lastScans: await lastSuccessfulScans(ctx.db),
    schedule: { dailyScan: ctx.env.SCAN_TIME, timeZone: ctx.env.SCAN_TIME_ZONE },
    notifications: await ctx.store.notices.counts(),
  };
}

export async function startJobs(ctx: AppContext, options: JobsOptions): Promise<JobRunner> {
  const boss = bossFor(ctx, options);
  const RETRY = retryOf(ctx);
  const lease = ctx.env.JOB_LEASE_SECONDS;
  // Set by stop(): a scan hands over after the page in hand, so SIGTERM never waits for a whole scan.
  let stopping = false;
  boss.on('error', (error) => ctx.logger.warn({ err: { message: error.message } }, 'job queue error'));
  await boss.start();
  // A portal's scan for a date, a portal's relay, drain, reminders: one running at a time and
  // one waiting (stately, keyed by portal [and date]); a second send while one waits adds nothing.
  // A job expires one lease after it started: the job of a process killed outright (kill -9, a
  // lost machine) is then retried by another process, from the scan's last committed page.
  for (const q of WORK_QUEUES) await boss.createQueue(q, { name: q, policy: 'stately', ...RETRY, expireInSeconds: lease });
  for (const q of [QUEUES.daily, QUEUES.sweep, QUEUES.monthly, QUEUES.dailyDigest, QUEUES.weeklyDigest]) await boss.createQueue(q, { name: q, policy: 'standard', retryLimit: 2, retryDelay: 60, expireInSeconds: 600 });

  const sendFor = (queue: string, job: PortalJob, startAfter?: Date) =>
    boss.send(queue, job, { singletonKey: job.asOf ? `${job.portalId}:${job.asOf}` : job.portalId, ...(startAfter ? { startAfter } : {}) });
  const tz = ctx.env.SCAN_TIME_ZONE;
  // A relay of the portal once the create claims in the way have run out (not only at the next sweep).
  const relayAfterCreateClaims = (portalId: string) => sendFor(QUEUES.relay, { portalId }, new Date(Date.now() + CREATE_CLAIM_LEASE_MS + 1000));

  if (options.schedule) {
    await boss.schedule(QUEUES.daily, dailyCron(ctx.env.SCAN_TIME), {}, { tz });
    await boss.schedule(QUEUES.sweep, '*/5 * * * *', {}, { tz });
    await boss.schedule(QUEUES.monthly, monthlyCron(ctx.env.SCAN_TIME), {}, { tz });
    // Uninstalls are read from HubSpot's webhooks journal, which keeps 3 days: every 5 minutes.
    if (ctx.appLifecycle?.()) await boss.schedule(QUEUES.lifecycle, '*/5 * * * *', {}, { tz, singletonKey: 'app' });
    else await boss.unschedule(QUEUES.lifecycle).catch(() => undefined);
    // The digests at the program's times, in its time zone (backend/config/notifications.default.json).
    const rules = ctx.notifications?.config;
    if (rules) {
      await boss.schedule(QUEUES.dailyDigest, dailyCron(rules.dailyDigestTime), {}, { tz: rules.timeZone });
      await boss.schedule(QUEUES.weeklyDigest, weeklyCron(rules.weeklyDigest.time, weekdayIndex(rules.weeklyDigest.day)), {}, { tz: rules.timeZone });
    }
  }

  const workers: string[] = [];
  if (options.work) {
    const portalWork = (queue: string, run: (job: PortalJob) => Promise<unknown>) =>
      boss.work<PortalJob>(queue, { batchSize: 1, ...(options.pollingIntervalSeconds !== undefined ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {}) }, async ([job]) => {
        try {
          return await run(job.data);
        } catch (error) {
          // pg-boss keeps the thrown error as the job's output: the reason shown in `advocacy jobs`.
          const code = error instanceof CrmError ? `${error.code}: ` : '';
          throw new Error(`${code}${(error as Error).message}`);
        }
      });
    workers.push(
      await portalWork(QUEUES.scan, async ({ portalId, asOf, resumed }) => {
        const startedAt = Date.now();
        // The daily path's privacy duties first: purge uninstalled portals past their grace
        // period, erase people the CRM deleted (a CRM that cannot answer now is read next time).
        const purged = resumed ? [] : await purgeUninstalledPortals(ctx);
        const deletions = resumed ? null : await syncDeletedContacts(ctx, portalId).catch((error) => ({ checked: false, erased: [] as string[], error: (error as Error).message }));
        // Within half its lease (so a live job never expires) and not past a SIGTERM: after
        // that the page in hand commits, its outbox claims are released, and a follow-up job of
        // the same key resumes from the checkpoint on whichever process takes it.
        const shouldYield = () => stopping || Date.now() - startedAt >= (lease * 1000) / 2;
        // The incremental refresh: what changed or is due, a full scan weekly (FULL_SCAN_EVERY_DAYS) or when the criteria changed.
        let result: Awaited<ReturnType<typeof refreshPortfolio>>;
        try {
          // A manual `advocacy scan` of this date (or another job) holding the scan lock is waited
          // for while this job may run; then the job hands over and waits again in a new one.
          result = await refreshPortfolio({ store: ctx.store, crm: ctx.crmFor(portalId), criteria: ctx.criteria, portalId, now: ctx.now, serial: ctx.serial, claimLeaseMs: lease * 1000, fullEveryDays: ctx.env.FULL_SCAN_EVERY_DAYS, overlapMinutes: ctx.env.REFRESH_OVERLAP_MINUTES }, { asOf: asOf!, shouldYield, lockWaitMs: (lease * 1000) / 2 });
        } catch (error) {
          if (!(error instanceof ScanRunningError) || stopping) throw error;
          await sendFor(QUEUES.scan, { portalId, asOf, resumed: true }, new Date(Date.now() + HANDOVER_GAP_MS));
          return { handedOver: true, waitingFor: error.holder };
        }
        if (result.status === 'yielded') {
          await sendFor(QUEUES.scan, { portalId, asOf, resumed: true }, new Date(Date.now() + HANDOVER_GAP_MS));
          return { handedOver: true, newlyEvaluated: result.newlyEvaluated, tasksCreated: result.tasksCreated };
        }
        // Like the CLI's scan, the daily one ends with a signed checkpoint of the audit head
        // (README "Audit log"); a log that no longer matches its last checkpoint fails the job.
        const anchored = await anchorAudit(ctx, portalId);
        // The scan's notices go out on their own job: a messaging outage fails that job, never the scan.
        await sendFor(QUEUES.notify, { portalId });
        if (result.status === 'stopped') throw new Error(`the CRM stopped the scan (${result.stopReason}); progress is saved`);
        // Writes a killed process was creating wait for its create claims to run out: relay then.
        if ((await ctx.store.outbox.pending(portalId, 1)).length) await relayAfterCreateClaims(portalId);
        return { mode: result.mode, fullBecause: result.fullBecause, selected: result.selected, summary: result.summary, tasksCreated: result.tasksCreated, checkpoint: anchored.checkpoint?.seq ?? null, checkpointNotWritten: anchored.destinations.filter((d) => !d.ok), purged: purged.map((p) => p.portalId), deletions };
      }),
      await portalWork(QUEUES.relay, async ({ portalId }) => {
        const r = await relayOutbox({ store: ctx.store, crm: ctx.crmFor(portalId), portalId, now: ctx.now, serial: ctx.serial, claimLeaseMs: lease * 1000 });
        if (r.busy) await relayAfterCreateClaims(portalId);
        if (r.stoppedBy) throw r.stoppedBy;
        // Failed items are kept with their error and sent by the retry (with backoff).
        if (r.failed > 0) throw new Error(`${r.failed} CRM write(s) failed; ${r.sent} sent`);
        return { sent: r.sent, tasks: r.tasks };
      }),
      await portalWork(QUEUES.drain, async ({ portalId }) => {
        const r = await drainChangeEvents(ctx, portalId, 'system:jobs');
        if (r.stopped) throw new Error(`the CRM said stop: ${r.stopped}`);
        if (r.failed > 0) throw new Error(`${r.failed} account(s) could not be re-evaluated`);
        return r;
      }),
      await portalWork(QUEUES.reminders, ({ portalId, asOf }) =>
        raiseServiceLevelReminders({ store: ctx.store, crm: ctx.crmFor(portalId), criteria: ctx.criteria, portalId, now: ctx.now }, asOf ?? localDate(ctx.now(), tz)),
      ),
      await portalWork(QUEUES.kpis, async ({ portalId, asOf }) => {
        // asOf is the closed month's last day; without it, the month before today's.
        const month = asOf ? asOf.slice(0, 7) : lastDayOfPreviousMonth(localDate(ctx.now(), tz)).slice(0, 7);
        return snapshotClosedMonth(ctx, portalId, month);
      }),
      await boss.work(QUEUES.lifecycle, { batchSize: 1 }, async () => {
        const journal = ctx.appLifecycle?.();
        if (!journal) return { skipped: 'no app lifecycle source (HubSpot OAuth not configured)' };
        try {
          return await followAppLifecycle(ctx, journal, await installedHubSpotPortals(ctx.db));
        } catch (error) {
          const code = error instanceof CrmError ? `${error.code}: ` : '';
          throw new Error(`${code}${(error as Error).message}`);
        }
      }),
      await portalWork(QUEUES.notify, async ({ portalId }) => notifyOutcome(await sendNotifications(await notifyDepsOf(ctx, portalId)))),
      // The schedules fan out: one job per portal, keyed so a portal's date is sent once.
      await boss.work(QUEUES.daily, async () => {
        const asOf = localDate(ctx.now(), tz);
        for (const portalId of await portalsOf(ctx)) {
          await sendFor(QUEUES.scan, { portalId, asOf });
          await sendFor(QUEUES.reminders, { portalId, asOf });
        }
      }),
      await boss.work(QUEUES.sweep, async () => {
        for (const portalId of await portalsOf(ctx)) await sendFor(QUEUES.relay, { portalId });
        for (const portalId of await portalsOf(ctx)) await sendFor(QUEUES.notify, { portalId });
        for (const portalId of await portalsWithPendingEvents(ctx)) await sendFor(QUEUES.drain, { portalId });
      }),
      await boss.work(QUEUES.monthly, async () => {
        // The 1st of a month: snapshot the month that just closed.
        const lastDay = lastDayOfPreviousMonth(localDate(ctx.now(), tz));
        for (const portalId of await portalsOf(ctx)) await sendFor(QUEUES.kpis, { portalId, asOf: lastDay });
      }),
      await boss.work(QUEUES.dailyDigest, async () => {
        for (const portalId of await portalsOf(ctx)) notifyOutcome((await sendDailyDigests(await notifyDepsOf(ctx, portalId))).send);
      }),
      await boss.work(QUEUES.weeklyDigest, async () => {
        for (const portalId of await portalsOf(ctx)) notifyOutcome((await sendWeeklyDigests(await notifyDepsOf(ctx, portalId))).send);
      }),
    );
  }

  return {
    boss,
    sendScan: (portalId, asOf) => sendFor(QUEUES.scan, { portalId, asOf }),
    status: () => jobsStatus(ctx),
    stop: async (timeoutMs = 30_000) => {
      stopping = true;
      for (const id of workers) await boss.offWork({ id }).catch(() => undefined);
      // graceful: a running scan hands over after its page in hand (see shouldYield), other
      // jobs finish; past the timeout pg-boss fails what is still running, to be retried.
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: false });
    },
  };
}
