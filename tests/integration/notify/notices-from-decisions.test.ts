import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { parseNotificationConfig, type NotificationConfig } from '../../../backend/src/domain/notification-policy';
import type { Notice } from '../../../backend/src/domain/notices';
import { applyDataset } from '../../../backend/src/import/dataset';
import { jobsStatus } from '../../../backend/src/jobs/job-runner';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { MAX_NOTICE_ATTEMPTS, notifyDepsOf, sendDailyDigests, sendNotifications, sendWeeklyDigests } from '../../../backend/src/jobs/send-notifications';
import { AuditLogNotifier } from '../../../backend/src/notify/audit-log-notifier';
import { NotifyError, type Notifier } from '../../../backend/src/notify/port';
import type { Db } from '../../../backend/src/store/db';
import { recordOutcome, revokeConsent } from '../../../backend/src/use-cases/record-outcome';
import { requestReference } from '../../../backend/src/use-cases/reference-requests';
import type { AppContext } from '../../../backend/src/use-cases/context';
import { championsDataset, OWNER, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb, storeKinds } from '../../support/store';

// Notices are raised through the one apply path, in the decision's transaction, once per key
// (like CRM tasks), and sent apart from it: with no messaging tool they go to the audit log and
// `advocacy notifications` lists them. The daily cap sends the rest to the digest; opt-out and
// quiet hours come from the program's notification rules.

const config = (raw: unknown): NotificationConfig => {
  const parsed = parseNotificationConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
};

describe.each(storeKinds())('notices from decisions (%s)', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
    const ds = championsDataset([{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }]);
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
  });
  afterEach(async () => db.close());

  const ctxAt = async (now: string, rules: unknown = {}, notifier: Notifier = new AuditLogNotifier()): Promise<AppContext> => {
    const ctx = await testContext(db, { now });
    ctx.notifications = { config: config(rules), notifierFor: async () => notifier };
    return ctx;
  };
  const scan = (ctx: AppContext, asOf = TODAY) => runScan({ store: ctx.store, crm: new LocalCrm(db, 'local'), criteria: ctx.criteria, portalId: 'local', now: ctx.now }, { asOf });
  const rows = async () => (await db.query<{ notice_key: string; kind: string; status: string; reason: string | null; owner_email: string | null }>(`SELECT notice_key, kind, status, reason, owner_email FROM notifications ORDER BY notice_key`)).rows;
  const sentAudit = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'notification.sent'`)).rows[0].n;

  it('when a scan proposes asks, then each proposal raises one notice to its CSM, delivered to the audit log once; a second scan raises and sends nothing', async () => {
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`);
    await scan(ctx);
    const first = await rows();
    expect(first).toHaveLength(3);
    expect(first.every((r) => r.kind === 'proposal_ready' && r.status === 'pending' && r.owner_email === OWNER.email)).toBe(true);

    const sent = await sendNotifications(await notifyDepsOf(ctx, 'local'));
    expect(sent).toEqual(expect.objectContaining({ sent: 3, digested: 0, failed: 0, stoppedBy: null }));
    expect(await sentAudit()).toBe(3);
    const listed = await ctx.store.notices.list('local');
    expect(listed.map((n) => n.deliveredVia)).toEqual(['audit_log', 'audit_log', 'audit_log']);
    const notice = listed[0].notice;
    expect(notice.title).toMatch(/proposed for Account a\d/);
    expect(notice.readiness!.top.length).toBeGreaterThan(0);
    expect(notice.ask!.outreach!.body.length).toBeGreaterThan(0);
    expect(notice.actions).toEqual(['mark_sent', 'snooze', 'not_now']);

    await scan(ctx);
    expect(await rows()).toHaveLength(3);
    expect((await sendNotifications(await notifyDepsOf(ctx, 'local'))).sent).toBe(0);
    expect(await sentAudit()).toBe(3);
  });

  it('when a CSM is past the daily cap, then the rest wait for the daily digest, which sends them as one message', async () => {
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`, { dailyCapPerCsm: 2 });
    await scan(ctx);
    expect(await sendNotifications(await notifyDepsOf(ctx, 'local'))).toEqual(expect.objectContaining({ sent: 2, digested: 1 }));
    expect((await rows()).filter((r) => r.status === 'digested').map((r) => r.reason)).toEqual(['DAILY_CAP']);
    const digest = await sendDailyDigests(await notifyDepsOf(ctx, 'local'));
    expect(digest).toEqual(expect.objectContaining({ digests: 1, items: 1 }));
    expect(digest.send.sent).toBe(1);
    const sentDigest = (await ctx.store.notices.list('local', { status: 'sent' })).find((n) => n.kind === 'daily_digest')!;
    expect(sentDigest.notice.lines).toEqual([expect.stringMatching(/proposed for Account a\d/)]);
    // Run again: the digest is not sent twice.
    expect((await sendDailyDigests(await notifyDepsOf(ctx, 'local'))).digests).toBe(0);
  });

  it('when a CSM opted out (by CRM email, any case), then nothing is sent to them; in quiet hours notices wait until they end', async () => {
    const optedOut = await ctxAt(`${TODAY}T09:00:00.000Z`, { csms: { 'SAM@example.test': { optOut: true } } });
    await scan(optedOut);
    expect(await sendNotifications(await notifyDepsOf(optedOut, 'local'))).toEqual(expect.objectContaining({ sent: 0, suppressed: 3 }));
    expect(await sentAudit()).toBe(0);

    await db.query(`UPDATE notifications SET status = 'pending', reason = NULL`);
    // 23:30 in Berlin (22:30 UTC): quiet from 20:00 to 07:00 there.
    const quiet = { csms: { [OWNER.ownerId]: { quietHours: { start: '20:00', end: '07:00' }, timeZone: 'Europe/Berlin' } } };
    const night = await ctxAt(`${TODAY}T22:30:00.000Z`, quiet);
    expect(await sendNotifications(await notifyDepsOf(night, 'local'))).toEqual(expect.objectContaining({ sent: 0, waiting: 3 }));
    // Still night at 03:00 UTC: not due yet, nothing claimed.
    expect((await sendNotifications(await notifyDepsOf(await ctxAt('2026-11-25T03:00:00.000Z', quiet), 'local'))).sent).toBe(0);
    // 07:05 in Berlin: sent.
    expect((await sendNotifications(await notifyDepsOf(await ctxAt('2026-11-25T06:05:00.000Z', quiet), 'local'))).sent).toBe(3);
  });

  it('when the messaging tool is down, then the scan still commits, the notices stay pending and are retried, and after the last attempt they fail visibly in the jobs status', async () => {
    const down: Notifier = { via: 'test', deliver: async () => { throw new NotifyError('NOTIFY_UNAVAILABLE', 'the service answered 503'); }, update: async () => {} };
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`, {}, down);
    const result = await scan(ctx);
    expect(result.status).toBe('done');
    expect((await db.query(`SELECT 1 FROM asks`)).rows).toHaveLength(3);
    for (let i = 1; i < MAX_NOTICE_ATTEMPTS; i++) expect(await sendNotifications(await notifyDepsOf(ctx, 'local'))).toEqual(expect.objectContaining({ failed: 3, gaveUp: [] }));
    const last = await sendNotifications(await notifyDepsOf(ctx, 'local'));
    expect(last.gaveUp).toHaveLength(3);
    expect(await rows()).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'failed' })]));
    const status = await jobsStatus({ ...ctx, db } as never);
    expect(status.notifications).toEqual(expect.objectContaining({ failed: 3, failures: expect.arrayContaining([expect.objectContaining({ attempts: MAX_NOTICE_ATTEMPTS, error: 'NOTIFY_UNAVAILABLE: the service answered 503' })]) }));
  });

  it('when the tool refuses our credentials, then the batch stops at once and every notice stays pending', async () => {
    let calls = 0;
    const revoked: Notifier = { via: 'test', deliver: async () => { calls++; throw new NotifyError('NOTIFY_AUTH', 'token_revoked'); }, update: async () => {} };
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`, {}, revoked);
    await scan(ctx);
    const r = await sendNotifications(await notifyDepsOf(ctx, 'local'));
    expect(r.stoppedBy?.code).toBe('NOTIFY_AUTH');
    expect(calls).toBe(1);
    expect((await rows()).every((n) => n.status === 'pending')).toBe(true);
  });

  it('when a reference is requested, then its CSM gets an approve/decline notice; revoking the consent behind a completed quote tells the CSM to take it down', async () => {
    const ds = championsDataset([]);
    ds.deals.push({ dealId: 'deal-1', name: 'Prospect GmbH', accountId: null, ownerId: 'rep-1', amount: 1000, stage: 'open', closeDate: '2027-01-31', industry: 'SaaS', region: 'EMEA', sizeBand: 'smb', products: ['core'] });
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`);
    const need = { askType: 'reference_call' as const, industry: 'SaaS', sizeBand: null, region: null, product: null, useCase: null, competitor: null, language: null, dueOn: null };
    const request = await requestReference(ctx, 'local', 'deal-1', need, 'con-a1', 'hubspot-user:7 rep@example.test');
    const ref = (await ctx.store.notices.list('local', { askId: request.askId }))[0];
    expect(ref.notice).toEqual(expect.objectContaining<Partial<Notice>>({ kind: 'reference_requested', actions: ['approve', 'decline'] }));
    expect(ref.notice.lines).toContain('For the deal Prospect GmbH.');

    await scan(ctx);
    const quote = (await ctx.store.asks.list('local', { accountId: 'a2' })).find((a) => a.askType === 'quote')!;
    await recordOutcome(ctx, 'local', quote.askId, { status: 'sent', actor: 'cli:test' });
    await recordOutcome(ctx, 'local', quote.askId, { status: 'accepted', actor: 'cli:test' });
    await recordOutcome(ctx, 'local', quote.askId, { status: 'completed', consent: { scope: 'quote', evidence: 'email of 2026-11-20' }, actor: 'cli:test' });
    const consentId = (await ctx.store.consents.forAccounts('local', ['a2'])).get('a2')![0].consentId;
    await revokeConsent(ctx, 'local', consentId, 'cli:test');
    const revoked = (await ctx.store.notices.list('local')).find((n) => n.kind === 'consent_revoked')!;
    expect(revoked.notice.lines[0]).toContain(quote.askId);
    expect(revoked.ownerEmail).toBe(OWNER.email);
    await revokeConsent(ctx, 'local', consentId, 'cli:test');
    expect((await ctx.store.notices.list('local')).filter((n) => n.kind === 'consent_revoked')).toHaveLength(1);
  });

  it('when a strategic account is handed off, then its CSM gets a hand-off notice with every reason; erasing the contact erases the notice text', async () => {
    await db.transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'big', account: { strategic: true } }])));
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`);
    await scan(ctx);
    const handoff = (await ctx.store.notices.list('local')).find((n) => n.kind === 'handoff_needs_you')!;
    expect(handoff.accountId).toBe('big');
    expect(handoff.notice.reasons.map((r) => r.code)).toContain('STRATEGIC_ACCOUNT');
    await sendNotifications(await notifyDepsOf(ctx, 'local'));

    const proposal = (await ctx.store.notices.list('local')).find((n) => n.accountId === 'a1')!;
    expect(proposal.notice.ask!.outreach).not.toBeNull();
    await ctx.store.privacy.eraseContact('local', 'con-a1');
    const erased = (await ctx.store.notices.get('local', proposal.key))!;
    expect(erased.notice).toEqual(expect.objectContaining({ title: '(erased)', lines: [], ask: null }));
  });

  it('when the week closes, then each CSM notified gets one weekly digest of what is still open, once', async () => {
    const ctx = await ctxAt(`${TODAY}T09:00:00.000Z`);
    await scan(ctx);
    await sendNotifications(await notifyDepsOf(ctx, 'local'));
    const weekly = await sendWeeklyDigests(await notifyDepsOf(ctx, 'local'));
    expect(weekly.digests).toBe(1);
    const digest = (await ctx.store.notices.list('local')).find((n) => n.kind === 'weekly_digest')!;
    expect(digest.notice.title).toMatch(/3 proposed/);
    expect(digest.status).toBe('sent');
    await sendWeeklyDigests(await notifyDepsOf(ctx, 'local'));
    expect((await ctx.store.notices.list('local')).filter((n) => n.kind === 'weekly_digest')).toHaveLength(1);
  });
});
