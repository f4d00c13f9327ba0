import nock from 'nock';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { slackInstallState } from '../../../backend/src/http/routes/slack-routes';
import { SLACK_BOT_SCOPES } from '../../../backend/src/notify/slack/slack-workspaces';
import type { Db } from '../../../backend/src/store/db';
import { NOW, SLACK, slackApp, slackContext, useNock } from '../../support/slack';
import { openTestDb } from '../../support/store';

// The OAuth install: a signed, 10-minute, one-use link made by the CLI names the portal; the
// callback checks it, that the same browser started it, exchanges the code (oauth.v2.access)
// and keeps the bot token sealed for that portal.

describe('the Slack OAuth install', () => {
  useNock();
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
  });
  afterEach(async () => db.close());

  const env = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret-for-tests', TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), PUBLIC_BASE_URL: 'https://advocacy.example.com' };

  it('when an admin opens the link and Slack grants the scopes, then the workspace serves that portal with its token sealed; the link works once and only in that browser', async () => {
    const ctx = await slackContext(db, { env });
    const app = slackApp(ctx);
    const state = slackInstallState(env.SLACK_CLIENT_SECRET, 'hubspot:123', NOW);
    const install = await request(app).get(`/slack/oauth/install?state=${encodeURIComponent(state)}`);
    expect(install.status).toBe(302);
    const to = new URL(install.headers.location);
    expect(to.origin + to.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(to.searchParams.get('scope')).toBe(SLACK_BOT_SCOPES.join(','));
    expect(to.searchParams.get('redirect_uri')).toBe('https://advocacy.example.com/slack/oauth/callback');
    const cookie = String(install.headers['set-cookie']).split(';')[0];

    expect((await request(app).get(`/slack/oauth/callback?code=c1&state=${encodeURIComponent(state)}`)).body.error.code).toBe('STATE_NOT_THIS_BROWSER');
    nock(SLACK).post('/api/oauth.v2.access').reply(200, { ok: true, token_type: 'bot', access_token: 'xoxb-7777-from-oauth', scope: SLACK_BOT_SCOPES.join(','), bot_user_id: 'U0BOT', team: { id: 'T0NEW', name: 'New Co' }, authed_user: { id: 'U0ADMIN' } });
    const done = await request(app).get(`/slack/oauth/callback?code=c1&state=${encodeURIComponent(state)}`).set('cookie', cookie);
    expect(done.status).toBe(200);
    expect(done.text).toContain('New Co');
    expect((await ctx.slackWorkspaces.byId('T0NEW'))).toEqual({ workspaceId: 'T0NEW', portalId: 'hubspot:123', token: 'xoxb-7777-from-oauth' });
    expect((await db.query<{ bot_token: string }>(`SELECT bot_token FROM messaging_workspaces`)).rows[0].bot_token).not.toContain('xoxb');
    expect((await ctx.store.audit.list('hubspot:123')).map((e) => e.action)).toEqual(['messaging.installed']);

    const again = await request(app).get(`/slack/oauth/callback?code=c1&state=${encodeURIComponent(state)}`).set('cookie', cookie);
    expect(again.body.error.code).toBe('STATE_USED');
  });

  it('when the link is older than 10 minutes or forged, then the install is refused before Slack is asked', async () => {
    const app = slackApp(await slackContext(db, { env }));
    const old = slackInstallState(env.SLACK_CLIENT_SECRET, 'hubspot:123', new Date(NOW.getTime() - 11 * 60_000));
    expect((await request(app).get(`/slack/oauth/install?state=${encodeURIComponent(old)}`)).body.error.code).toBe('BAD_STATE');
    const forged = slackInstallState('another-secret', 'hubspot:999', NOW);
    expect((await request(app).get(`/slack/oauth/install?state=${encodeURIComponent(forged)}`)).body.error.code).toBe('BAD_STATE');
  });
});
