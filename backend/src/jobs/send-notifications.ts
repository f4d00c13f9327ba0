import { randomUUID } from 'node:crypto';
import { accountRecordUrl } from '../crm/record-links';
import { defaultNotificationConfig, localClock, routeNotice, rulesFor, type NotificationConfig } from '../domain/notification-policy';
import { dailyDigestNotice, weeklyDigestNotice, type Notice } from '../domain/notices';
import { isoWeekOf } from '../domain/notification-policy';
import { AuditLogNotifier } from '../notify/audit-log-notifier';
import { NotifyError, type Delivery, type Notifier, type NoticeLinks } from '../notify/port';
import type { AuditEntryInput, Store, StoredNotification } from '../store/store-port';
import type { AppContext } from '../use-cases/context';

// Delivers the notices decisions recorded (domain/notices.ts), apart from the decision and its
// CRM writes: a scan commits its notices and moves on, and this job sends them later, so a
// messaging outage never holds up a scan or a CRM write. Per notice: an opted-out CSM gets
// nothing, quiet hours make it wait, past the CSM's daily cap it goes into the daily digest (a
// slot of the day is reserved before delivery, so concurrent senders never pass the cap);
// otherwise the notifier delivers it and the delivery is audited in the transaction that marks
// it sent. Each notice is claimed first (two senders never send the same one), sent once
// (its key), retried on the next run when the tool is down, and failed after its last attempt.

export const MAX_NOTICE_ATTEMPTS = 5;
const LEASE_MS = 10 * 60 * 1000;
const BATCH = 200;

export interface NotifyDeps {
  store: Store;
  portalId: string;
  now: () => Date;
  config: NotificationConfig;
  notifier: Notifier;
  links: (notice: Notice) => NoticeLinks;
}

export interface SendResult {
  sent: number;
  digested: number;
  suppressed: number;
  waiting: number;
  /** Failed this time (retried next run) and given up (after the last attempt). */
  failed: number;
  gaveUp: string[];
  /** Set when the tool refused our credentials: the rest stays pending. */
  stoppedBy: NotifyError | null;
}

/** What the sender needs, from the use-case context: its notifier (audit log without one) and rules. */
export async function notifyDepsOf(ctx: AppContext, portalId: string): Promise<NotifyDeps> {
  return {
    store: ctx.store,
    portalId,
    now: ctx.now,
    config: ctx.notifications?.config ?? defaultNotificationConfig(),
    notifier: ctx.notifications ? await ctx.notifications.notifierFor(portalId) : new AuditLogNotifier(),
    links: (n) => ({ record: n.accountId ? accountRecordUrl(portalId, n.accountId, { salesforceInstanceUrl: ctx.env.SALESFORCE_INSTANCE_URL }) : null }),
  };
}

const auditOf = (n: StoredNotification, via: string, to: string | null): AuditEntryInput => ({
  actor: 'system:notify',
  action: 'notification.sent',
  entityType: 'notification',
  entityId: n.key,
  accountId: n.accountId,
  criteriaVersion: null,
  before: null,
  after: { kind: n.kind, ownerId: n.ownerId, askId: n.askId, via, to },
  // The message's text names people: kept beside the entry, erasable with them.
  personal: { subjectId: n.notice.contactId, data: { title: n.notice.title, lines: n.notice.lines } },
});

/** `batch`: how many notices one claim takes (tests take few, so several senders interleave). */
const RECORD_TRIES = 3;
const isDigest = (kind: Notice['kind']) => kind === 'daily_digest' || kind === 'weekly_digest';

/** Marks a delivered notice sent and audits it, in one transaction (retried: the delivery happened). */
async function recordSent(deps: NotifyDeps, n: StoredNotification, claimedBy: string, delivery: Delivery, day: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.store.transaction(async (tx) => {
        const marked = await tx.notices.markSent(deps.portalId, n.key, claimedBy, { ...delivery, deliveredOn: day, at: deps.now().toISOString() });
        if (marked) await tx.audit.append(deps.portalId, [auditOf(n, delivery.via, delivery.to)], deps.now().toISOString());
      });
      return;
    } catch (error) {
      if (attempt >= RECORD_TRIES) throw error;
    }
  }
}

export async function sendNotifications(deps: NotifyDeps, options: { batch?: number } = {}): Promise<SendResult> {
  const { store, portalId, config } = deps;
  const batchSize = options.batch ?? BATCH;
  const result: SendResult = { sent: 0, digested: 0, suppressed: 0, waiting: 0, failed: 0, gaveUp: [], stoppedBy: null };
  const claim = { by: `notify:${randomUUID()}`, leaseMs: LEASE_MS };
  const tried = new Set<string>();
  try {
    for (;;) {
      const now = deps.now();
      const batch = (await store.notices.claimDue(portalId, batchSize, claim, now.toISOString())).filter((n) => !tried.has(n.key));
      if (batch.length === 0) return result;
      for (const n of batch) {
        tried.add(n.key);
        const recipient = n.notice.recipient.email ? n.notice.recipient : { ...n.notice.recipient, email: await store.notices.knownEmailOf(portalId, n.ownerId) };
        const notice: Notice = { ...n.notice, recipient };
        const day = localClock(now, rulesFor(config, recipient).timeZone).day;
        // The cap holds across senders (the job, a manual scan, the digest jobs): the count and
        // the reservation of a slot happen under a lock on the owner's day, in one transaction.
        const routing = await store.transaction(async (tx) => {
          await tx.notices.lockOwnerDay(portalId, n.ownerId, day);
          const taken = await tx.notices.takenOnDay(portalId, n.ownerId, day, n.key);
          const r = routeNotice(config, notice, { now, sentToday: taken });
          if (r.route === 'suppress' || r.route === 'digest') await tx.notices.settle(portalId, n.key, claim.by, r.route === 'suppress' ? 'suppressed' : 'digested', r.reason);
          else if (r.route === 'wait') await tx.notices.defer(portalId, n.key, claim.by, r.until.toISOString(), r.reason);
          else if (!isDigest(n.kind) && !(await tx.notices.reserveSlot(portalId, n.key, claim.by, day))) return { route: 'lost' as const };
          return r;
        });
        if (routing.route === 'lost') continue; // another sender took this notice over
        if (routing.route === 'suppress') {
          result.suppressed++;
          continue;
        }
        if (routing.route === 'wait') {
          result.waiting++;
          continue;
        }
        if (routing.route === 'digest') {
          result.digested++;
          continue;
        }
        let delivery: Delivery;
        try {
          delivery = await deps.notifier.deliver(notice, deps.links(notice));
        } catch (error) {
          const e = error instanceof NotifyError ? error : new NotifyError('NOTIFY_UNAVAILABLE', (error as Error).message);
          if (e.stopsBatch) {
            result.stoppedBy = e;
            await store.notices.fail(portalId, n.key, claim.by, `${e.code}: ${e.message}`, false);
            return result;
          }
          const giveUp = !e.retryable || n.attempts + 1 >= MAX_NOTICE_ATTEMPTS;
          await store.notices.fail(portalId, n.key, claim.by, `${e.code}: ${e.message}`, giveUp);
          result.failed++;
          if (giveUp) result.gaveUp.push(n.key);
          continue;
        }
        // Delivered: from here a failure must not make it count as undelivered (it would be sent
        // again). Recording it is retried; a store that keeps refusing fails the run.
        await recordSent(deps, n, claim.by, delivery, day);
        result.sent++;
      }
    }
  } finally {
    await store.notices.releaseClaims(portalId, claim.by);
  }
}

/** The daily digest: one message per CSM listing what went past their cap, then sent. */
export async function sendDailyDigests(deps: NotifyDeps): Promise<{ digests: number; items: number; send: SendResult }> {
  const { store, portalId } = deps;
  let digests = 0;
  let items = 0;
  for (const owner of await store.notices.awaitingDigest(portalId)) {
    const day = localClock(deps.now(), rulesFor(deps.config, owner.recipient).timeZone).day;
    const digest = dailyDigestNotice(owner.recipient, day, owner.titles.map((title) => ({ title })));
    await store.transaction(async (tx) => {
      await tx.notices.enqueue(portalId, [digest]);
      await tx.notices.attachToDigest(portalId, owner.keys, digest.key);
    });
    digests++;
    items += owner.keys.length;
  }
  return { digests, items, send: await sendNotifications(deps) };
}

/** The weekly digest: per CSM notified in the last 7 days, what is still open of it. */
export async function sendWeeklyDigests(deps: NotifyDeps): Promise<{ digests: number; send: SendResult }> {
  const { store, portalId } = deps;
  const now = deps.now();
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const day = now.toISOString().slice(0, 10);
  const week = isoWeekOf(day);
  const notices = (await store.notices.weeklyFigures(portalId, since)).map((f) => weeklyDigestNotice(f.recipient, week, day, f, f.lines));
  if (notices.length) await store.notices.enqueue(portalId, notices);
  return { digests: notices.length, send: await sendNotifications(deps) };
}
