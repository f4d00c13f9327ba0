import nock from 'nock';
import { randomBytes } from 'node:crypto';
import type { Notice } from '../../../backend/src/domain/notices';
import { NotifyError } from '../../../backend/src/notify/port';
import { slackClient } from '../../../backend/src/notify/slack/slack-client';
import { SlackNotifier } from '../../../backend/src/notify/slack/slack-notifier';
import { SlackWorkspaces, SLACK_BOT_SCOPES } from '../../../backend/src/notify/slack/slack-workspaces';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Store } from '../../../backend/src/store/store-port';
import { openTestDb } from '../../support/store';

// The Slack adapter against Slack's Web API (nock, no network): routing by CRM owner email
// (users.lookupByEmail, cached in the store for a day), the program channel for a CSM Slack does
// not know, Block Kit messages, chat.update in place, the OAuth install (token sealed at rest),
// and every failure: 429 with Retry-After, 5xx, timeouts, users_not_found, channel_not_found,
// revoked and invalid tokens.

const SLACK = 'https://slack.com';
const TOKEN = 'xoxb-1111-2222-abcdefghijkl';
const form = (body: unknown): Record<string, string> => (typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>));

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  key: 'notice:proposal:ask-1',
  kind: 'proposal_ready',
  recipient: { ownerId: 'owner-1', name: 'Sam Carter', email: 'sam@example.test' },
  accountId: 'acc-1',
  accountName: 'Acme <Analytics> & Co',
  askId: 'ask-1',
  contactId: 'con-1',
  day: '2026-11-24',
  title: 'Quote proposed for Acme <Analytics> & Co',
  readiness: { score: 84, band: 'green', top: [{ signal: 'health', points: 22, note: 'health 88' }] },
  ask: { askType: 'quote', rule: 'lowest rung not completed', outreach: { subject: 'A quick favour', body: 'Hi Dana,\nwould you <b>share</b> a quote?' } },
  reasons: [],
  lines: [],
  actions: ['mark_sent', 'snooze', 'not_now'],
  ...overrides,
});

describe('the Slack adapter', () => {
  let db: Db;
  let store: Store;
  let clock = new Date('2026-11-24T09:00:00Z');
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  beforeEach(async () => {
    db = await openTestDb('pglite');
    store = createStore(db);
    clock = new Date('2026-11-24T09:00:00Z');
  });
  afterEach(async () => {
    nock.cleanAll();
    await db.close();
  });
  afterAll(() => nock.enableNetConnect());

  const pauses: number[] = [];
  const notifier = async (options: { retries?: number; timeoutMs?: number; programChannel?: string | null } = {}) =>
    new SlackNotifier({
      client: await slackClient(TOKEN, { apiUrl: `${SLACK}/api/`, timeoutMs: options.timeoutMs ?? 5000, retries: options.retries ?? 2, minRetryMs: 1 }),
      workspaceId: 'T0001',
      portalId: 'hubspot:123',
      directory: store.messaging,
      programChannel: options.programChannel === undefined ? 'C0PROGRAM' : options.programChannel,
      now: () => clock,
      pause: async (ms) => void pauses.push(ms),
    });
  const lookup = (status: 'found' | 'missing') =>
    nock(SLACK)
      .post('/api/users.lookupByEmail', (b) => form(b).email === 'sam@example.test')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, status === 'found' ? { ok: true, user: { id: 'U0SAM' } } : { ok: false, error: 'users_not_found' });

  it('when a notice is delivered, then the CSM found by their CRM email gets one Block Kit DM with readiness, why, the outreach (escaped), the record link and the buttons; the directory answer is kept for a day', async () => {
    let sent: Record<string, string> = {};
    lookup('found');
    nock(SLACK).post('/api/chat.postMessage', (b) => ((sent = form(b)), true)).reply(200, { ok: true, channel: 'D0SAM', ts: '1732438800.000100' });
    const delivery = await (await notifier()).deliver(notice(), { record: 'https://app.hubspot.com/contacts/123/record/0-2/acc-1' });
    expect(delivery).toEqual({ via: 'slack', to: 'D0SAM', ref: '1732438800.000100' });
    expect(sent.channel).toBe('U0SAM');
    const text = sent.blocks;
    expect(text).toContain('Acme &lt;Analytics&gt; &amp; Co');
    expect(text).not.toContain('<b>');
    expect(text).toContain('Readiness:* 84 (green)');
    expect(text).toContain('health +22');
    expect(text).toContain('<https://app.hubspot.com/contacts/123/record/0-2/acc-1|');
    const actions = JSON.parse(text).find((b: { type: string }) => b.type === 'actions').elements.map((e: { action_id: string }) => e.action_id);
    expect(actions).toEqual(['advocacy.mark_sent', 'advocacy.snooze', 'advocacy.not_now', 'advocacy.open_record']);
    expect(nock.isDone()).toBe(true);

    // Cached: no second lookup within the day; asked again after it.
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'D0SAM', ts: '2.0' });
    await (await notifier()).deliver(notice(), { record: null });
    expect(nock.isDone()).toBe(true);
    clock = new Date('2026-11-25T09:30:00Z');
    lookup('found');
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'D0SAM', ts: '3.0' });
    await (await notifier()).deliver(notice(), { record: null });
    expect(nock.isDone()).toBe(true);
  });

  it('when Slack has no user with that email (users_not_found), then the notice goes to the program channel; without one it is refused', async () => {
    let channel = '';
    lookup('missing');
    nock(SLACK).post('/api/chat.postMessage', (b) => ((channel = form(b).channel), true)).reply(200, { ok: true, channel: 'C0PROGRAM', ts: '1.0' });
    expect(await (await notifier()).deliver(notice(), { record: null })).toEqual({ via: 'slack', to: 'C0PROGRAM', ref: '1.0' });
    expect(channel).toBe('C0PROGRAM');
    expect(await store.messaging.cachedUser('hubspot:123', 'T0001', 'sam@example.test')).toEqual(expect.objectContaining({ userId: null }));
    await expect((await notifier({ programChannel: null })).deliver(notice(), { record: null })).rejects.toMatchObject({ code: 'NOTIFY_REFUSED' });
  });

  it('when several notices go to one channel, then posts to it are spaced a second apart (Slack allows about one per second per channel)', async () => {
    lookup('missing');
    nock(SLACK).post('/api/chat.postMessage').times(3).reply(200, { ok: true, channel: 'C0PROGRAM', ts: '1.0' });
    pauses.length = 0;
    const one = await notifier();
    for (let i = 0; i < 3; i++) await one.deliver(notice({ key: `notice:proposal:ask-${i}` }), { record: null });
    expect(pauses).toHaveLength(2);
    expect(pauses.every((ms) => ms > 0 && ms <= 1000)).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('when Slack answers 429 with Retry-After, then the SDK waits and retries, and the message goes out once', async () => {
    lookup('found');
    nock(SLACK).post('/api/chat.postMessage').reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '0' });
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'D0SAM', ts: '1.0' });
    expect((await (await notifier()).deliver(notice(), { record: null })).ref).toBe('1.0');
    expect(nock.isDone()).toBe(true);
  });

  it('when Slack answers 5xx, then it is retried with backoff; past the last retry the notice is "unavailable" (retried by the next run)', async () => {
    lookup('found');
    nock(SLACK).post('/api/chat.postMessage').reply(503, 'busy');
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'D0SAM', ts: '1.0' });
    expect((await (await notifier()).deliver(notice(), { record: null })).ref).toBe('1.0');

    nock(SLACK).post('/api/chat.postMessage').times(3).reply(500, 'down');
    const error = await (await notifier({ retries: 2 })).deliver(notice(), { record: null }).catch((e) => e);
    expect(error).toBeInstanceOf(NotifyError);
    expect(error).toMatchObject({ code: 'NOTIFY_UNAVAILABLE', message: expect.stringContaining('HTTP 500') });
    expect(error.retryable).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('when Slack does not answer in time, then the call times out and the notice is "unavailable"', async () => {
    lookup('found');
    nock(SLACK).post('/api/chat.postMessage').delay(2000).reply(200, { ok: true, channel: 'D0SAM', ts: '1.0' });
    const error = await (await notifier({ retries: 0, timeoutMs: 200 })).deliver(notice(), { record: null }).catch((e) => e);
    expect(error).toMatchObject({ code: 'NOTIFY_UNAVAILABLE', message: expect.stringContaining('timed out') });
  });

  it('when the channel is gone (channel_not_found), then the notice is refused for good; a revoked or invalid token stops everything', async () => {
    lookup('found');
    nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    const refused = await (await notifier()).deliver(notice(), { record: null }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'NOTIFY_REFUSED', message: expect.stringContaining('channel_not_found') });
    expect(refused.retryable).toBe(false);

    for (const error of ['token_revoked', 'invalid_auth']) {
      nock(SLACK).post('/api/chat.postMessage').reply(200, { ok: false, error });
      const e = await (await notifier()).deliver(notice(), { record: null }).catch((x) => x);
      expect(e).toMatchObject({ code: 'NOTIFY_AUTH', message: expect.stringContaining(error) });
      expect(e.stopsBatch).toBe(true);
    }
    // A revoked token on the directory call stops as well.
    await db.query(`DELETE FROM messaging_users`);
    nock(SLACK).post('/api/users.lookupByEmail').reply(200, { ok: false, error: 'token_revoked' });
    await expect((await notifier()).deliver(notice(), { record: null })).rejects.toMatchObject({ code: 'NOTIFY_AUTH' });
  });

  it('when an action was taken, then the message is updated in place (chat.update) with what was done and no buttons', async () => {
    let update: Record<string, string> = {};
    nock(SLACK).post('/api/chat.update', (b) => ((update = form(b)), true)).reply(200, { ok: true, channel: 'D0SAM', ts: '1.0' });
    await (await notifier()).update({ via: 'slack', to: 'D0SAM', ref: '1.0' }, notice(), { record: null }, { text: 'Marked sent', by: '<@U0SAM>' });
    expect(update).toMatchObject({ channel: 'D0SAM', ts: '1.0' });
    expect(update.blocks).toContain('Marked sent by <@U0SAM>');
    expect(update.blocks).not.toContain('advocacy.mark_sent');
    nock(SLACK).post('/api/chat.update').reply(200, { ok: false, error: 'message_not_found' });
    await expect((await notifier()).update({ via: 'slack', to: 'D0SAM', ref: '1.0' }, notice(), { record: null }, { text: 'x', by: 'y' })).rejects.toMatchObject({ code: 'NOTIFY_REFUSED' });
  });

  it('when a workspace installs through OAuth, then its bot token is stored sealed for the portal, opens only with the key, and a short grant is refused', async () => {
    const key = randomBytes(32);
    const workspaces = (k: Buffer) => new SlackWorkspaces(store.messaging, { apiUrl: `${SLACK}/api/`, timeoutMs: 5000, retries: 0, keys: [{ id: 'k1', key: k }], single: null, oauth: { clientId: '111.222', clientSecret: 'shh' } });
    let asked: Record<string, string> = {};
    nock(SLACK)
      .post('/api/oauth.v2.access', (b) => ((asked = form(b)), true))
      .reply(200, { ok: true, token_type: 'bot', access_token: 'xoxb-9999-sealed-token', scope: SLACK_BOT_SCOPES.join(','), bot_user_id: 'U0BOT', team: { id: 'T0NEW', name: 'Acme' }, authed_user: { id: 'U0ADMIN' } });
    expect(await workspaces(key).install('code-1', 'https://advocacy.example/slack/oauth/callback', 'hubspot:123')).toEqual({ workspaceId: 'T0NEW', teamName: 'Acme', installedBy: 'U0ADMIN' });
    expect(asked).toMatchObject({ client_id: '111.222', client_secret: 'shh', code: 'code-1', redirect_uri: 'https://advocacy.example/slack/oauth/callback' });
    const row = (await db.query<{ bot_token: string }>(`SELECT bot_token FROM messaging_workspaces`)).rows[0];
    expect(row.bot_token).not.toContain('xoxb');
    expect(await workspaces(key).ofPortal('hubspot:123')).toEqual({ workspaceId: 'T0NEW', portalId: 'hubspot:123', token: 'xoxb-9999-sealed-token' });
    expect(await workspaces(key).byId('T0NEW')).toEqual(expect.objectContaining({ portalId: 'hubspot:123' }));
    await expect(workspaces(randomBytes(32)).ofPortal('hubspot:123')).rejects.toThrow(/does not open/);

    nock(SLACK).post('/api/oauth.v2.access').reply(200, { ok: true, token_type: 'bot', access_token: 'xoxb-1', scope: 'chat:write', team: { id: 'T0X' } });
    await expect(workspaces(key).install('code-2', 'https://x/cb', 'hubspot:123')).rejects.toMatchObject({ code: 'NOTIFY_REFUSED', message: expect.stringContaining('users:read.email') });
    nock(SLACK).post('/api/oauth.v2.access').reply(200, { ok: false, error: 'invalid_code' });
    await expect(workspaces(key).install('bad', 'https://x/cb', 'hubspot:123')).rejects.toMatchObject({ message: expect.stringContaining('invalid_code') });
  });
});
