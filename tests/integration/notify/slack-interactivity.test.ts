import nock from 'nock';
import request from 'supertest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { applyDataset } from '../../../backend/src/import/dataset';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { notifyDepsOf, sendNotifications } from '../../../backend/src/jobs/send-notifications';
import type { Db } from '../../../backend/src/store/db';
import type { ServiceContext } from '../../../backend/src/app-context';
import { createApp } from '../../../backend/src/http/create-app';
import { slackRouters } from '../../../backend/src/cli/commands/serve';
import { championsDataset, OWNER, TODAY } from '../../support/builders';
import { blockAction, eventually, form, NOW, signed, SLACK, slackApp, slackContext, useNock } from '../../support/slack';
import { openTestDb } from '../../support/store';
import { requestReference } from '../../../backend/src/use-cases/reference-requests';

// Interactive requests are signed like Slack's (v0: HMAC-SHA256 of v0:timestamp:body with the
// signing secret): only a valid one, from the installed workspace, by the ask's CSM (or a
// program admin), acts. Wrong secret, stale, replayed, altered body, another workspace and a
// user who is not the ask's CSM are refused, and the ask stays as it was.

describe('Slack interactivity', () => {
  useNock();
  let db: Db;
  let ctx: ServiceContext;
  let key: string;
  let askId: string;
  const adminRules = join(tmpdir(), `advocacy-notify-${process.pid}.json`);

  beforeEach(async () => {
    db = await openTestDb('pglite');
    await db.transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'a1' }])));
    writeFileSync(adminRules, JSON.stringify({ admins: ['head@example.test'] }));
    ctx = await slackContext(db, { notifications: adminRules });
    await runScan({ store: ctx.store, crm: new LocalCrm(db, 'local'), criteria: ctx.criteria, portalId: 'local', now: ctx.now }, { asOf: TODAY });
    nock(SLACK).post('/api/users.lookupByEmail', (b) => form(b).email === OWNER.email).reply(200, { ok: true, user: { id: 'U0SAM' } });
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'D0SAM', ts: '1732438800.000100' });
    expect((await sendNotifications(await notifyDepsOf(ctx, 'local'))).sent).toBe(1);
    const [n] = await ctx.store.notices.list('local');
    key = n.key;
    askId = n.askId!;
  });
  afterEach(async () => db.close());

  const status = async () => (await ctx.store.asks.get('local', askId))!.status;
  const slackActs = async () => (await db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'ask.transitioned'`)).rows.map((r) => r.actor);
  const updates = () => nock(SLACK).post('/api/chat.update').reply(200, { ok: true });
  const post = (body: string, headers: Record<string, string>) => request(slackApp(ctx)).post('/slack/interactivity').set(headers).send(body);

  it('when the request is validly signed by the ask CSM in the installed workspace, then the ask is marked sent, audited as the Slack user, and the message updated', async () => {
    const update = updates();
    const body = blockAction({ user: 'U0SAM', actionId: 'advocacy.mark_sent', value: key });
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await status()).toBe('sent');
    expect(await slackActs()).toEqual([`slack-user:T0ACME/U0SAM <${OWNER.email}>`]);
    expect(await eventually(() => update.isDone())).toBe(true);
  });

  it('when the signature is made with another secret, is stale, or covers another body, then it is refused and nothing acts', async () => {
    const body = blockAction({ user: 'U0SAM', actionId: 'advocacy.mark_sent', value: key });
    expect((await post(body, signed(body, { secret: 'b'.repeat(32) }))).body.error.code).toBe('INVALID_SIGNATURE');
    const stale = await post(body, signed(body, { at: new Date(NOW.getTime() - 6 * 60_000) }));
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('STALE_SIGNATURE');
    const altered = blockAction({ user: 'U0SAM', actionId: 'advocacy.not_now', option: `${key}|0` });
    expect((await post(altered, signed(body))).body.error.code).toBe('INVALID_SIGNATURE');
    expect((await post(body, {})).body.error.code).toBe('MISSING_SIGNATURE');
    expect(await status()).toBe('proposed');
    expect(await slackActs()).toEqual([]);
  });

  it('when a valid request is sent again, then the replay is refused (the store remembers the signature)', async () => {
    updates();
    const body = blockAction({ user: 'U0SAM', actionId: 'advocacy.snooze', value: key });
    const headers = signed(body);
    expect((await post(body, headers)).status).toBe(200);
    const again = await post(body, headers);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('REPLAYED_SIGNATURE');
    const audit = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'ask.snoozed'`)).rows[0].n;
    expect(audit).toBe(1);
    // Snoozed: still proposed, and told again in 7 days.
    expect(await status()).toBe('proposed');
    expect((await ctx.store.notices.list('local')).map((n) => n.key)).toContain(`${key}:snoozed:2026-12-01`);
  });

  it('when the request comes from another workspace, then it is refused even when validly signed', async () => {
    const body = blockAction({ team: 'T0OTHER', user: 'U0SAM', actionId: 'advocacy.mark_sent', value: key });
    const res = await post(body, signed(body));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WORKSPACE_UNKNOWN');
    expect(await status()).toBe('proposed');
  });

  it('when the clicking user is not the ask CSM, then it is refused; a program admin may act, with a reason', async () => {
    nock(SLACK).post('/api/users.info', (b) => form(b).user === 'U0EVE').reply(200, { ok: true, user: { id: 'U0EVE', profile: { email: 'eve@example.test' } } });
    const body = blockAction({ user: 'U0EVE', actionId: 'advocacy.mark_sent', value: key });
    const res = await post(body, signed(body));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_YOUR_ASK');
    expect(await status()).toBe('proposed');

    nock(SLACK).post('/api/users.info').reply(200, { ok: true, user: { id: 'U0HEAD', profile: { email: 'Head@example.test' } } });
    updates();
    const admin = blockAction({ user: 'U0HEAD', actionId: 'advocacy.not_now', option: `${key}|1` });
    expect((await post(admin, signed(admin, { at: new Date(NOW.getTime() + 1000) }))).status).toBe(200);
    const ask = (await ctx.store.asks.get('local', askId))!;
    expect(ask.status).toBe('cancelled');
    expect(ask.outcomeNote).toBe('Not now: Relationship needs care first');
    expect(await slackActs()).toEqual(['slack-user:T0ACME/U0HEAD <Head@example.test>']);
  });

  it('when a reference request reaches the CSM, then Approve records it sent and Decline (reason) cancels it with the reason, as the deal card would', async () => {
    const ds = championsDataset([{ id: 'a2' }]);
    for (const dealId of ['deal-1', 'deal-2']) ds.deals.push({ dealId, name: `Prospect ${dealId}`, accountId: null, ownerId: 'rep-1', amount: 1000, stage: 'open', closeDate: '2027-01-31', industry: 'SaaS', region: 'EMEA', sizeBand: 'smb', products: ['core'] });
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
    const need = { askType: 'reference_call' as const, industry: 'SaaS', sizeBand: null, region: null, product: null, useCase: null, competitor: null, language: null, dueOn: null };
    const first = await requestReference(ctx, 'local', 'deal-1', need, 'con-a1', 'hubspot-user:7 rep@example.test');
    const second = await requestReference(ctx, 'local', 'deal-2', need, 'con-a2', 'hubspot-user:7 rep@example.test');
    let buttons: string[] = [];
    nock(SLACK).post('/api/chat.postMessage', (b) => ((buttons = [...buttons, ...JSON.parse(form(b).blocks).find((x: { type: string }) => x.type === 'actions').elements.map((e: { action_id: string }) => e.action_id)]), true)).times(2).reply(200, { ok: true, channel: 'D0SAM', ts: '2.0' });
    expect((await sendNotifications(await notifyDepsOf(ctx, 'local'))).sent).toBe(2);
    expect(buttons).toEqual(['advocacy.approve', 'advocacy.decline', 'advocacy.approve', 'advocacy.decline']);
    const keyOf = async (id: string) => (await ctx.store.notices.list('local', { askId: id }))[0].key;
    updates();
    updates();
    const approve = blockAction({ user: 'U0SAM', actionId: 'advocacy.approve', value: await keyOf(first.askId) });
    expect((await post(approve, signed(approve))).status).toBe(200);
    const decline = blockAction({ user: 'U0SAM', actionId: 'advocacy.decline', option: `${await keyOf(second.askId)}|0` });
    expect((await post(decline, signed(decline, { at: new Date(NOW.getTime() + 1000) }))).status).toBe(200);
    expect((await ctx.store.asks.get('local', first.askId))!.status).toBe('sent');
    const declined = (await ctx.store.asks.get('local', second.askId))!;
    expect(declined).toMatchObject({ status: 'cancelled', outcomeNote: 'Declined: Advocate unavailable' });
    // Mark sent is not an action of a reference request.
    const wrong = blockAction({ user: 'U0SAM', actionId: 'advocacy.mark_sent', value: await keyOf(first.askId) });
    expect((await post(wrong, signed(wrong, { at: new Date(NOW.getTime() + 2000) }))).body.error.code).toBe('ACTION_NOT_OFFERED');
  });

  it('when an address keeps sending bad signatures, then the failed-authentication limit answers 429 even to a valid one', async () => {
    const app = createApp({ ctx, extraRouters: slackRouters(ctx), authFailureLimit: { limit: 2, windowMs: 60_000 } });
    const body = blockAction({ user: 'U0SAM', actionId: 'advocacy.mark_sent', value: key });
    for (let i = 0; i < 2; i++) expect((await request(app).post('/slack/interactivity').set(signed(body, { secret: 'c'.repeat(32) })).send(body)).status).toBe(401);
    const locked = await request(app).post('/slack/interactivity').set(signed(body)).send(body);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_FAILED_AUTH');
    expect(await status()).toBe('proposed');
  });

  it('when the payload is not what Slack sends, then it is refused naming the problem, after the signature check', async () => {
    const body = 'payload=%7B%22type%22%3A%22view_submission%22%7D';
    const res = await post(body, signed(body));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const noReason = blockAction({ user: 'U0SAM', actionId: 'advocacy.not_now', option: `${key}|99` });
    expect((await post(noReason, signed(noReason, { at: new Date(NOW.getTime() + 2000) }))).body.error.message).toMatch(/reason/);
  });
});
