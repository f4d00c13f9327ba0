import nock from 'nock';
import request from 'supertest';
import { createApp } from '../../../backend/src/http/create-app';
import { HubSpotTokenStore } from '../../../backend/src/crm/hubspot/token-store';
import { hubspotOAuthRoutes, newState, STATE_COOKIE, stateIsValid, stateNonce } from '../../../backend/src/http/routes/hubspot-oauth-routes';
import { consumeOAuthState } from '../../../backend/src/store/oauth-states';
import type { Db } from '../../../backend/src/store/db';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

const NOW = new Date('2026-11-24T09:00:00.000Z');
const APP = { clientId: 'client-1', clientSecret: 'shh-secret', redirectUri: 'https://advocacy.example.com/hubspot/oauth/callback' };

describe('HubSpot OAuth install', () => {
  let db: Db;
  let store: HubSpotTokenStore;
  const stored = async () => (await db.query<{ portal_id: string; access_token_enc: string }>(`SELECT portal_id, access_token_enc FROM hubspot_tokens`)).rows;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(async () => {
    db = await openTestDb('pglite');
    store = new HubSpotTokenStore(db, Buffer.alloc(32, 9), { clientId: APP.clientId, clientSecret: APP.clientSecret }, () => NOW);
  });
  afterEach(async () => {
    nock.cleanAll();
    await db.close();
  });
  afterAll(() => nock.enableNetConnect());

  const appWith = async (setUp?: (portalId: string) => Promise<string>) => {
    nock.enableNetConnect('127.0.0.1');
    const router = hubspotOAuthRoutes({
      ...APP,
      scopes: ['crm.objects.companies.read', 'crm.objects.contacts.read'],
      optionalScopes: ['crm.schemas.custom.write'],
      install: (code, redirectUri) => store.install(code, redirectUri),
      consumeState: (nonce, now) => consumeOAuthState(db, nonce, now, 20 * 60_000),
      setUp,
      now: () => NOW,
    });
    return createApp({ ctx: await testContext(db), extraRouters: [{ path: '/hubspot/oauth', router }] });
  };
  /** The cookie the browser that started the install (and got this state) sends back. */
  const browserOf = (state: string) => `${STATE_COOKIE}=${stateNonce(state)}`;
  const callback = (app: Awaited<ReturnType<typeof appWith>>, query: { code?: string; state: string }) =>
    request(app).get('/hubspot/oauth/callback').query(query).set('Cookie', browserOf(query.state));

  it('when an admin starts the install, then they are sent to HubSpot with the app, scopes and a signed state', async () => {
    const res = await request(await appWith()).get('/hubspot/oauth/install').expect(302);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('client-1');
    expect(url.searchParams.get('redirect_uri')).toBe(APP.redirectUri);
    expect(url.searchParams.get('scope')).toBe('crm.objects.companies.read crm.objects.contacts.read');
    expect(url.searchParams.get('optional_scope')).toBe('crm.schemas.custom.write');
    expect(stateIsValid(APP.clientSecret, url.searchParams.get('state')!, NOW)).toBe(true);
  });

  it('when HubSpot calls back with a code, then the tokens are stored under the portal they belong to', async () => {
    const token = nock('https://api.hubapi.com')
      .post('/oauth/v1/token', (body) => body.grant_type === 'authorization_code' && body.code === 'code-1' && body.redirect_uri === APP.redirectUri && body.client_id === 'client-1' && body.client_secret === 'shh-secret')
      .reply(200, { token_type: 'bearer', access_token: 'at-1', refresh_token: 'rt-1', expires_in: 1800 });
    const info = nock('https://api.hubapi.com')
      .get('/oauth/v1/access-tokens/at-1')
      .reply(200, { token: 'at-1', user: 'admin@example.com', hub_domain: 'acme.com', scopes: ['oauth'], hub_id: 4242, app_id: 7, expires_in: 1799, user_id: 9, token_type: 'access' });
    const res = await callback(await appWith(), { code: 'code-1', state: newState(APP.clientSecret, NOW) }).expect(200);
    expect(res.text).toMatch(/installed for HubSpot account 4242/);
    const rows = await stored();
    expect(rows.map((r) => r.portal_id)).toEqual(['hubspot:4242']);
    expect(rows[0].access_token_enc).not.toContain('at-1');
    await expect(store.load('hubspot:4242')).resolves.toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: new Date(NOW.getTime() + 1800_000) });
    expect(token.isDone() && info.isDone()).toBe(true);
  });

  it('when the account is installed, then it is set up at once, and a failed setup still leaves it installed with what to do', async () => {
    const exchange = () => {
      nock('https://api.hubapi.com').post('/oauth/v1/token').reply(200, { token_type: 'bearer', access_token: 'at-2', refresh_token: 'rt-2', expires_in: 1800 });
      nock('https://api.hubapi.com').get('/oauth/v1/access-tokens/at-2').reply(200, { token: 'at-2', hub_id: 777, app_id: 7, expires_in: 1799, user_id: 9, scopes: ['oauth'], token_type: 'access' });
    };
    const setUpFor: string[] = [];
    exchange();
    const ok = await callback(await appWith(async (portalId) => (setUpFor.push(portalId), 'Set up: 5 created.')), { code: 'c', state: newState(APP.clientSecret, NOW) }).expect(200);
    expect(setUpFor).toEqual(['hubspot:777']);
    expect(ok.text).toMatch(/installed for HubSpot account 777\. Set up: 5 created\./);
    exchange();
    const failed = await callback(await appWith(async () => Promise.reject(new Error('HubSpot is unavailable'))), { code: 'c', state: newState(APP.clientSecret, NOW) }).expect(200);
    expect(failed.text).toMatch(/Setup did not finish \(HubSpot is unavailable\); run `advocacy setup hubspot` with PORTAL_ID=hubspot:777/);
    expect((await stored()).map((r) => r.portal_id)).toEqual(['hubspot:777']);
  });

  const exchangeFor = (accessToken: string, hubId: number) => {
    nock('https://api.hubapi.com').post('/oauth/v1/token').reply(200, { token_type: 'bearer', access_token: accessToken, refresh_token: `r-${accessToken}`, expires_in: 1800 });
    nock('https://api.hubapi.com').get(`/oauth/v1/access-tokens/${accessToken}`).reply(200, { token: accessToken, hub_id: hubId, app_id: 7, expires_in: 1799, user_id: 9, scopes: ['oauth'], token_type: 'access' });
  };

  it('when the install starts, then the browser gets an HttpOnly, Secure, SameSite=Lax cookie holding the state\'s nonce, for the callback path only', async () => {
    const res = await request(await appWith()).get('/hubspot/oauth/install').expect(302);
    const state = new URL(res.headers.location).searchParams.get('state')!;
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0];
    expect(cookie).toContain(`${STATE_COOKIE}=${stateNonce(state)};`);
    expect(cookie).toMatch(/Path=\/hubspot\/oauth\/callback/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('when the same state comes back twice (a replayed callback), then the second is refused and nothing more is exchanged', async () => {
    const app = await appWith();
    const start = await request(app).get('/hubspot/oauth/install').expect(302);
    const state = new URL(start.headers.location).searchParams.get('state')!;
    exchangeFor('at-once', 555);
    await callback(app, { code: 'code-a', state }).expect(200);
    const again = await callback(app, { code: 'code-b', state }).expect(400);
    expect(again.body.error.code).toBe('STATE_USED');
    expect(nock.pendingMocks()).toEqual([]);
    expect((await stored()).map((r) => r.portal_id)).toEqual(['hubspot:555']);
  });

  it('when a valid state arrives from a browser that did not start the install (no cookie, or another install\'s cookie), then it is refused and nothing is exchanged', async () => {
    const app = await appWith();
    const state = new URL((await request(app).get('/hubspot/oauth/install')).headers.location).searchParams.get('state')!;
    const other = new URL((await request(app).get('/hubspot/oauth/install')).headers.location).searchParams.get('state')!;
    const scope = nock('https://api.hubapi.com').post('/oauth/v1/token').reply(200, {});
    const none = await request(app).get('/hubspot/oauth/callback').query({ code: 'victim', state }).expect(400);
    expect(none.body.error.code).toBe('STATE_NOT_THIS_BROWSER');
    const wrong = await request(app).get('/hubspot/oauth/callback').query({ code: 'victim', state }).set('Cookie', browserOf(other)).expect(400);
    expect(wrong.body.error.code).toBe('STATE_NOT_THIS_BROWSER');
    expect(scope.isDone()).toBe(false);
    expect(await stored()).toEqual([]);
    // The right browser can still finish: a refused attempt does not use the state up.
    nock.cleanAll();
    exchangeFor('at-late', 556);
    await callback(app, { code: 'code-c', state }).expect(200);
  });

  it('when the state is forged or too old, then nothing is exchanged or stored', async () => {
    const app = await appWith();
    const forged = await callback(app, { code: 'code-1', state: newState('another-secret', NOW) }).expect(400);
    expect(forged.body.error.code).toBe('BAD_STATE');
    const old = newState(APP.clientSecret, new Date(NOW.getTime() - 11 * 60_000));
    expect((await callback(app, { code: 'code-1', state: old }).expect(400)).body.error.code).toBe('BAD_STATE');
    expect(await stored()).toEqual([]);
  });

  it('when HubSpot refuses the code, then the install fails with a clear error and stores nothing', async () => {
    nock('https://api.hubapi.com').post('/oauth/v1/token').reply(400, { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' });
    const res = await callback(await appWith(), { code: 'stale', state: newState(APP.clientSecret, NOW) }).expect(502);
    expect(res.body.error).toMatchObject({ code: 'INSTALL_FAILED', details: { status: 400 } });
    expect(JSON.stringify(res.body)).not.toContain('shh-secret');
    expect(await stored()).toEqual([]);
  });

  it('when the admin denies access or the code is missing, then the answer says so', async () => {
    const app = await appWith();
    expect((await request(app).get('/hubspot/oauth/callback').query({ error: 'access_denied' }).expect(400)).body.error.code).toBe('INSTALL_DENIED');
    expect((await request(app).get('/hubspot/oauth/callback').query({ state: 'x' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});
