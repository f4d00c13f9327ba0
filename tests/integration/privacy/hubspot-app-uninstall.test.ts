import nock from 'nock';
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { createContext, type ServiceContext } from '../../../backend/src/app-context';
import { HubSpotAppJournal, JOURNAL_SCOPES } from '../../../backend/src/crm/hubspot/app-journal';
import { HubSpotTokenStore } from '../../../backend/src/crm/hubspot/token-store';
import { portalsOf, QUEUES, startJobs } from '../../../backend/src/jobs/job-runner';
import { listAudit, verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { followAppLifecycle } from '../../../backend/src/use-cases/follow-app-lifecycle';
import { purgeUninstalledPortals } from '../../../backend/src/use-cases/uninstall-portal';
import { defaultCriteria } from '../../support/builders';
import { openTestDb } from '../../support/store';

// A HubSpot OAuth app learns of an uninstall from its webhooks journal (APP_LIFECYCLE_EVENT,
// APP_UNINSTALL), read with the app's client-credentials token: each uninstall goes through the
// uninstall use case once (tokens now, data after the grace period, audited), whatever the
// journal's faults; a refresh token HubSpot rejects as revoked stops the portal's scans
// without purging anything.

const API = 'https://api.hubapi.com';
const FILES = 'https://journal-files.example.test';
const A = 'hubspot:111';
const B = 'hubspot:222';
const T0 = new Date('2026-11-24T09:00:00.000Z');
const DAY = 86_400_000;
const JOURNAL = '/webhooks-journal/journal/2026-03';
const SUBSCRIPTIONS = '/webhooks-journal/subscriptions/2026-03';

const policy = (waits: number[] = []) => ({ timeoutMs: 300, attempts: 3, baseDelayMs: 10, maxDelayMs: 40, rateLimitAttempts: 4, rateLimitWaitMs: 1000, sleep: async (ms: number) => void waits.push(ms) });
const journalFor = (waits: number[] = []) => new HubSpotAppJournal({ clientId: 'app-cid', clientSecret: 'app-secret', policy: policy(waits), now: () => T0 });

const tokenAnswer = (token = 'cc-token-1') => ({ access_token: token, expires_in: 1800, token_type: 'bearer', token_use: 'client_credentials' });
const pointer = (offset: string) => ({ currentOffset: offset, expiresAt: '2026-11-24T10:00:00Z', url: `${FILES}/entries/${offset}.json` });
const uninstallEvent = (hubId: number, occurredAt = T0.getTime() - 60_000) => ({ type: 'APP_LIFECYCLE_EVENT', action: 'APP_UNINSTALL', portalId: hubId, appId: 99, occurredAt });
const allCovered = { results: [{ id: 7, subscriptionType: 'APP_LIFECYCLE_EVENT', actions: ['APP_INSTALL', 'APP_UNINSTALL'], appId: 99, portalId: null }] };

describe('HubSpot app uninstall from the webhooks journal', () => {
  let db: Db;
  let ctx: ServiceContext;
  const tokenRows = async (portalId: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hubspot_tokens WHERE portal_id = $1`, [portalId])).rows[0].n;
  const actions = async (portalId: string) => (await listAudit(db, portalId)).map((e) => e.action);

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(() => nock.enableNetConnect());
  beforeEach(async () => {
    db = await openTestDb('pglite');
    for (const p of [A, B]) await db.query(`INSERT INTO hubspot_tokens (portal_id, access_token_enc, refresh_token_enc, expires_at, updated_at) VALUES ($1, 'sealed-a', 'sealed-r', $2, $3)`, [p, T0.toISOString(), new Date(T0.getTime() - 30 * DAY).toISOString()]);
    ctx = await createContext({ LOG_LEVEL: 'silent', UNINSTALL_GRACE_DAYS: '7' }, { db, now: () => T0, criteria: defaultCriteria(), logger: pino({ level: 'silent' }), appLifecycle: null });
  });
  afterEach(async () => {
    nock.cleanAll();
    await db.close();
  });

  it('when the journal reports an uninstall, then the portal is subscribed, its tokens go at once, its data after the grace period, audited once, and a second read does nothing more', async () => {
    let form: URLSearchParams | null = null;
    const token = nock(API).post('/oauth/v1/token', (b) => (form = new URLSearchParams(b)) !== null).reply(200, tokenAnswer());
    const list = nock(API).get(SUBSCRIPTIONS).matchHeader('authorization', 'Bearer cc-token-1').reply(200, { results: [{ id: 5, subscriptionType: 'APP_LIFECYCLE_EVENT', actions: ['APP_UNINSTALL'], portalId: 222 }] });
    let created: unknown = null;
    const subscribe = nock(API).post(SUBSCRIPTIONS, (b) => (created = b) !== null).reply(200, { id: 6, subscriptionType: 'APP_LIFECYCLE_EVENT', portalId: 111, actions: ['APP_INSTALL', 'APP_UNINSTALL'] });
    const earliest = nock(API).get(`${JOURNAL}/earliest`).reply(200, pointer('off-1'));
    // The pre-signed file is fetched without our token.
    const file = nock(FILES, { badheaders: ['authorization'] }).get('/entries/off-1.json').reply(200, { offset: 'off-1', journalEvents: [uninstallEvent(111), { type: 'OBJECT', action: 'UPDATE', portalId: 111, objectTypeId: '0-1', objectId: 5, occurredAt: T0.getTime() }] });
    const caughtUp = nock(API).get(`${JOURNAL}/offset/off-1/next`).reply(204);

    const run = await followAppLifecycle(ctx, journalFor(), [A, B]);

    expect([token, list, subscribe, earliest, file, caughtUp].every((s) => s.isDone())).toBe(true);
    expect(form!.get('grant_type')).toBe('client_credentials');
    expect(form!.get('scope')!.split(' ')).toEqual(JOURNAL_SCOPES);
    expect(created).toEqual({ subscriptionType: 'APP_LIFECYCLE_EVENT', portalId: 111, actions: ['APP_INSTALL', 'APP_UNINSTALL'] });
    expect(run).toEqual({ subscribed: [A], entries: 1, uninstalled: [A], skipped: [], restarted: false });
    expect(await tokenRows(A)).toBe(0);
    expect(await tokenRows(B)).toBe(1);
    expect(await actions(A)).toEqual(['portal.uninstalled']);
    expect((await listAudit(db, A))[0].after).toMatchObject({ source: 'hubspot:app-uninstall', occurredAt: new Date(T0.getTime() - 60_000).toISOString() });
    expect(await ctx.store.hubspot.journalOffset('hubspot-app:app-cid')).toBe('off-1');

    // The journal hands the same entry again (a restart before the offset was saved).
    await ctx.store.hubspot.saveJournalOffset('hubspot-app:app-cid', null);
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer());
    nock(API).get(SUBSCRIPTIONS).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/earliest`).reply(200, pointer('off-1'));
    nock(FILES).get('/entries/off-1.json').reply(200, { offset: 'off-1', journalEvents: [uninstallEvent(111)] });
    nock(API).get(`${JOURNAL}/offset/off-1/next`).reply(204);
    const again = await followAppLifecycle(ctx, journalFor(), [B]);
    expect(again).toMatchObject({ entries: 1, uninstalled: [], skipped: [{ portalId: A, reason: 'already_handled' }] });
    expect(await actions(A)).toEqual(['portal.uninstalled']);

    const later = await createContext({ LOG_LEVEL: 'silent', UNINSTALL_GRACE_DAYS: '7' }, { db, now: () => new Date(T0.getTime() + 8 * DAY), criteria: defaultCriteria(), logger: pino({ level: 'silent' }), appLifecycle: null });
    expect((await purgeUninstalledPortals(later)).map((p) => p.portalId)).toEqual([A]);
    expect(await actions(A)).toEqual(['portal.uninstalled', 'portal.purged']);
    expect((await verifyAudit(db, A)).ok).toBe(true);
  });

  it('when the portal installed the app again after the uninstall event, then the late event is not acted on', async () => {
    await db.query(`UPDATE hubspot_tokens SET updated_at = $2 WHERE portal_id = $1`, [A, new Date(T0.getTime() - 1000).toISOString()]);
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer());
    nock(API).get(SUBSCRIPTIONS).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/earliest`).reply(200, pointer('off-1'));
    nock(FILES).get('/entries/off-1.json').reply(200, { offset: 'off-1', journalEvents: [uninstallEvent(111, T0.getTime() - 3_600_000)] });
    nock(API).get(`${JOURNAL}/offset/off-1/next`).reply(204);
    const run = await followAppLifecycle(ctx, journalFor(), [A, B]);
    expect(run.skipped).toEqual([{ portalId: A, reason: 'reinstalled_since' }]);
    expect(await tokenRows(A)).toBe(1);
    expect(await actions(A)).toEqual([]);
  });

  it('when the journal answers 401, then a new client-credentials token is taken and the read goes on', async () => {
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer('cc-old'));
    nock(API).get(SUBSCRIPTIONS).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/earliest`).matchHeader('authorization', 'Bearer cc-old').reply(401, { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' });
    const fresh = nock(API).post('/oauth/v1/token').reply(200, tokenAnswer('cc-new'));
    nock(API).get(`${JOURNAL}/earliest`).matchHeader('authorization', 'Bearer cc-new').reply(200, pointer('off-1'));
    nock(FILES).get('/entries/off-1.json').reply(200, { offset: 'off-1', journalEvents: [uninstallEvent(222)] });
    nock(API).get(`${JOURNAL}/offset/off-1/next`).reply(204);
    const run = await followAppLifecycle(ctx, journalFor(), [A, B]);
    expect(fresh.isDone()).toBe(true);
    expect(run.uninstalled).toEqual([B]);
  });

  it('when HubSpot refuses the app\'s client credentials, then the run fails with CRM_AUTH naming the settings, and nothing changes', async () => {
    nock(API).post('/oauth/v1/token').reply(400, { status: 'BAD_CLIENT_ID', message: 'missing or invalid client_id' });
    const error = await followAppLifecycle(ctx, journalFor(), [A]).catch((e) => e);
    expect(error.code).toBe('CRM_AUTH');
    expect(error.message).toMatch(/HUBSPOT_CLIENT_SECRET/);
    expect(error.message).not.toContain('app-secret');
    expect(await tokenRows(A)).toBe(1);
  });

  it('when the journal answers 429 and then 5xx, then it waits for Retry-After, backs off, and reads the entry', async () => {
    const waits: number[] = [];
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer());
    nock(API).get(SUBSCRIPTIONS).reply(429, { status: 'error', message: 'slow down', policyName: 'SECONDLY' }, { 'Retry-After': '2' });
    nock(API).get(SUBSCRIPTIONS).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/earliest`).reply(503, { status: 'error', message: 'unavailable' });
    nock(API).get(`${JOURNAL}/earliest`).reply(200, pointer('off-1'));
    nock(FILES).get('/entries/off-1.json').reply(502, 'bad gateway');
    nock(FILES).get('/entries/off-1.json').reply(200, { offset: 'off-1', journalEvents: [uninstallEvent(111)] });
    nock(API).get(`${JOURNAL}/offset/off-1/next`).reply(204);
    const run = await followAppLifecycle(ctx, journalFor(waits), [A]);
    expect(run.uninstalled).toEqual([A]);
    expect(waits).toEqual([2000, 10, 10]);
  });

  it('when the journal keeps failing or does not answer, then the run fails with the CRM error and the saved position stays where it was', async () => {
    await ctx.store.hubspot.saveJournalOffset('hubspot-app:app-cid', 'off-7');
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer());
    nock(API).get(SUBSCRIPTIONS).times(2).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/offset/off-7/next`).times(3).reply(500, { status: 'error', message: 'internal' });
    const journal = journalFor();
    const failed = await followAppLifecycle(ctx, journal, [A]).catch((e) => e);
    expect(failed.code).toBe('CRM_UNAVAILABLE');
    nock(API).get(`${JOURNAL}/offset/off-7/next`).times(3).delay(1000).reply(204);
    const slow = await followAppLifecycle(ctx, journal, [A]).catch((e) => e);
    expect(slow.code).toBe('CRM_TIMEOUT');
    expect(await ctx.store.hubspot.journalOffset('hubspot-app:app-cid')).toBe('off-7');
    expect(await tokenRows(A)).toBe(1);
  });

  it('when the saved position is older than the journal keeps (404), then it reads again from the earliest entry', async () => {
    await ctx.store.hubspot.saveJournalOffset('hubspot-app:app-cid', 'off-old');
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer());
    nock(API).get(SUBSCRIPTIONS).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/offset/off-old/next`).reply(404, { status: 'error', message: 'offset expired' });
    nock(API).get(`${JOURNAL}/earliest`).reply(200, pointer('off-9'));
    nock(FILES).get('/entries/off-9.json').reply(200, { offset: 'off-9', journalEvents: [uninstallEvent(111)] });
    nock(API).get(`${JOURNAL}/offset/off-9/next`).reply(204);
    const run = await followAppLifecycle(ctx, journalFor(), [A]);
    expect(run).toMatchObject({ restarted: true, uninstalled: [A] });
    expect(await ctx.store.hubspot.journalOffset('hubspot-app:app-cid')).toBe('off-9');
  });

  it('when the job runs on pg-boss, then it follows the journal with the installed portals', async () => {
    const jobsCtx = await createContext({ LOG_LEVEL: 'silent', JOBS_SCHEMA: `boss_${Math.random().toString(36).slice(2, 8)}` }, { db, now: () => T0, criteria: defaultCriteria(), logger: pino({ level: 'silent' }), appLifecycle: journalFor() });
    nock(API).post('/oauth/v1/token').reply(200, tokenAnswer());
    nock(API).get(SUBSCRIPTIONS).reply(200, allCovered);
    nock(API).get(`${JOURNAL}/earliest`).reply(200, pointer('off-1'));
    nock(FILES).get('/entries/off-1.json').reply(200, { offset: 'off-1', journalEvents: [uninstallEvent(111)] });
    nock(API).get(`${JOURNAL}/offset/off-1/next`).reply(204);
    const jobs = await startJobs(jobsCtx, { work: true, schedule: true, pollingIntervalSeconds: 0.5 });
    try {
      expect((await jobs.boss.getSchedules()).map((s) => s.name)).toContain(QUEUES.lifecycle);
      await jobs.boss.send(QUEUES.lifecycle, {});
      for (let i = 0; i < 300 && (await tokenRows(A)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await tokenRows(A)).toBe(0);
      expect(await actions(A)).toEqual(['portal.uninstalled']);
    } finally {
      await jobs.stop(5000);
    }
  });

  it('when HubSpot rejects a refresh token as revoked, then the portal\'s tokens are not used again and it is not scanned, but nothing is purged until an uninstall confirms', async () => {
    const tokens = new HubSpotTokenStore(db, randomBytes(32), { clientId: 'cid', clientSecret: 'csecret' }, () => T0, 300, async (portalId, at) => {
      await ctx.store.audit.append(portalId, [{ actor: 'system:hubspot-oauth', action: 'portal.tokens_revoked', entityType: 'portal', entityId: portalId, accountId: null, criteriaVersion: null, before: null, after: {} }], at);
    });
    await tokens.save(A, { accessToken: 'old', refreshToken: 'gone', expiresAt: new Date(T0.getTime() - 1000) });
    await tokens.save(B, { accessToken: 'old-b', refreshToken: 'r-b', expiresAt: new Date(T0.getTime() - 1000) });
    const refused = nock(API).post('/oauth/v1/token').reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' });
    const error = await tokens.accessToken(A).catch((e) => e);
    expect(refused.isDone()).toBe(true);
    expect(error).toMatchObject({ code: 'CRM_AUTH', details: { revoked: true } });
    expect(error.message).toMatch(/hubspot:111/);
    // No second call to HubSpot for a revoked portal.
    expect(await tokens.accessToken(A).catch((e) => e.details)).toMatchObject({ revoked: true });
    expect(await portalsOf({ ...ctx, env: { ...ctx.env, CRM: 'hubspot' } })).toEqual(['local', B]);
    expect(await tokenRows(A)).toBe(1);
    expect(await actions(A)).toEqual(['portal.tokens_revoked']);
    expect(await purgeUninstalledPortals(await createContext({ LOG_LEVEL: 'silent' }, { db, now: () => new Date(T0.getTime() + 400 * DAY), criteria: defaultCriteria(), appLifecycle: null }))).toEqual([]);

    // A 400 that is not a revocation (a wrong client id) leaves the tokens usable.
    nock(API).post('/oauth/v1/token').reply(400, { status: 'BAD_CLIENT_ID', message: 'missing or invalid client_id' });
    expect(await tokens.accessToken(B).catch((e) => e.details)).toEqual({ status: 400 });
    nock(API).post('/oauth/v1/token').reply(200, { access_token: 'new-b', refresh_token: 'r-b', expires_in: 1800, token_type: 'bearer' });
    expect(await tokens.accessToken(B)).toBe('new-b');

    // Installing again makes the portal usable and scanned again.
    await tokens.save(A, { accessToken: 'fresh', refreshToken: 'fresh-r', expiresAt: new Date(T0.getTime() + 1800_000) });
    expect(await tokens.accessToken(A)).toBe('fresh');
    expect(await portalsOf({ ...ctx, env: { ...ctx.env, CRM: 'hubspot' } })).toEqual(['local', A, B]);
  });
});
