import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import express from 'express';
import request from 'supertest';
import { SLACK_INTERACTIVITY_PATH, SLACK_OAUTH_CALLBACK_PATH, slackRoutes } from '../../../backend/src/http/routes/slack-routes';
import { errorMiddleware } from '../../../backend/src/http/errors';
import { readRawBody } from '../../../backend/src/http/body';
import { SLACK_BOT_SCOPES, SlackWorkspaces } from '../../../backend/src/notify/slack/slack-workspaces';
import type { AppContext } from '../../../backend/src/use-cases/context';

// The Slack app manifest in the repo (README "Slack, step by step") asks for exactly the scopes
// the code uses and points at the request URLs the backend serves: a test, so they cannot drift.

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../backend/config/slack-manifest.json'), 'utf8'));

describe('the Slack app manifest', () => {
  it("when its bot scopes are read, then they are exactly the scopes the install asks for and checks", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  it('when its URLs are read, then interactivity and the OAuth redirect are the paths the backend serves', async () => {
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_INTERACTIVITY_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.oauth_config.redirect_urls.map((u: string) => new URL(u).pathname)).toEqual([SLACK_OAUTH_CALLBACK_PATH]);
    expect(manifest.settings.socket_mode_enabled).toBe(false);

    // Mounted as serve mounts it (under /slack), both paths answer (refusing an unsigned or stateless call), not 404.
    const ctx = { now: () => new Date(), logger: pino({ level: 'silent' }) } as unknown as AppContext;
    const workspaces = new SlackWorkspaces({} as never, { apiUrl: 'https://slack.com/api/', timeoutMs: 1000, retries: 0, keys: null, single: null, oauth: null });
    const app = express();
    app.use(readRawBody());
    app.use('/slack', slackRoutes({ ctx, signingSecret: 'a'.repeat(32), workspaces, replays: { checkAndRemember: () => false }, emailOf: async () => null, oauth: { clientId: '1.2', clientSecret: 's', redirectUri: 'https://x/slack/oauth/callback', consumeState: async () => true } }));
    app.use(errorMiddleware);
    const interactivity = await request(app).post(SLACK_INTERACTIVITY_PATH).send('payload=%7B%7D');
    expect(interactivity.status).toBe(401);
    expect(interactivity.body.error.code).toBe('MISSING_SIGNATURE');
    const callback = await request(app).get(`${SLACK_OAUTH_CALLBACK_PATH}?code=c&state=s`);
    expect(callback.body.error.code).toBe('BAD_STATE');
  });
});
