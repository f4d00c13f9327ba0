import { createHmac } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import type { Express } from 'express';
import type { AppContext } from '../../../backend/src/app-context';
import { createApp } from '../../../backend/src/http/create-app';
import { ReplayCache, verifyHubSpotSignature } from '../../../backend/src/http/hubspot-signature';
import { hubspotRoutes } from '../../../backend/src/http/routes/hubspot-routes';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { buildAccount, buildContact, buildNps, OWNER } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// What a careless or hostile client gets: a coded 4xx for its mistake (never a 500), security
// headers on every answer, no caching of personal data, a lockout after failed logins, and a
// body that is not parsed before its signature holds.

const TOKEN = 'Zr8uQ2vT6yW1xB4nM7kP0sD3fG5hJ9lC';
const SECRET = 'hubspot-client-secret';
const NOW = Date.parse('2026-11-24T09:00:00.000Z');
const BASE = 'https://app.example';

async function seed(db: Db) {
  const ds = emptyDataset();
  ds.owners.push(OWNER);
  const { healthHistory: _h, ...account } = buildAccount({ accountId: 'acc-ready', name: 'Acme Analytics' });
  ds.accounts.push(account);
  ds.contacts.push(buildContact({ contactId: 'con-ready', accountId: 'acc-ready' }));
  ds.nps.push({ ...buildNps({ contactId: 'con-ready' }), accountId: 'acc-ready' });
  await db.transaction((tx) => applyDataset(tx, 'local', ds));
}

/** Sends these exact bytes (supertest would re-serialize a Buffer sent as JSON). */
async function rawPost(app: Express, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: { error?: { code: string; requestId: string } } }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('hardened HTTP edges', () => {
  let db: Db;
  let ctx: AppContext;
  let app: Express;
  let askId: string;
  beforeAll(async () => {
    db = await openTestDb('pglite');
    await seed(db);
    ctx = await testContext(db);
    app = createApp({ ctx });
    askId = (await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201)).body.ask.askId;
  });
  afterAll(async () => db.close());

  const expectCoded = (res: { status: number; body: { error?: { code: string; requestId: string } } }, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.body.error!.requestId).toEqual(expect.any(String));
  };

  it('when a plain JSON body is sent with Content-Encoding: gzip, then 400 BAD_REQUEST_BODY (not 500); a real gzip body is read; an unknown encoding is 415', async () => {
    const body = JSON.stringify({ status: 'sent' });
    const plain = await request(app).post(`/api/v1/asks/${askId}/outcome`).set('content-type', 'application/json').set('content-encoding', 'gzip').send(body);
    expectCoded(plain, 400, 'BAD_REQUEST_BODY');
    const unknown = await request(app).post(`/api/v1/asks/${askId}/outcome`).set('content-type', 'application/json').set('content-encoding', 'compress').send(body);
    expectCoded(unknown, 415, 'UNSUPPORTED_ENCODING');
    const zipped = await rawPost(app, '/api/v1/asks/ask-none/outcome', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(body));
    expectCoded(zipped, 404, 'ASK_NOT_FOUND');
  });

  it('when a note holds a NUL (\\u0000) or a lone surrogate (\\ud800), then 400 INVALID_TEXT naming the field, and the ask is unchanged', async () => {
    const nul = await request(app).post(`/api/v1/asks/${askId}/outcome`).set('content-type', 'application/json').send('{"status":"sent","note":"hi\\u0000there"}');
    expectCoded(nul, 400, 'INVALID_TEXT');
    expect(nul.body.error.message).toBe('note contains a NUL character (\\u0000)');
    const surrogate = await request(app).post(`/api/v1/asks/${askId}/outcome`).set('content-type', 'application/json').send('{"status":"sent","note":"broken \\ud800 half"}');
    expectCoded(surrogate, 400, 'INVALID_TEXT');
    expect(surrogate.body.error.message).toMatch(/^note contains a lone UTF-16 surrogate/);
    const notUtf8 = await rawPost(app, `/api/v1/asks/${askId}/outcome`, { 'content-type': 'application/json' }, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expectCoded(notUtf8, 400, 'INVALID_ENCODING');
    const asks = await request(app).get('/api/v1/asks').expect(200);
    expect(asks.body.asks.find((a: { askId: string }) => a.askId === askId).status).toBe('proposed');
  });

  it('when an outcome brings a consent that expires before it was granted, then 400 CONSENT_DATES_INCONSISTENT and the ask is unchanged', async () => {
    const res = await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'sent', consent: { scope: 'quote', evidence: 'email from Dana', grantedOn: '2026-11-20', expiresOn: '2026-11-01' } });
    expectCoded(res, 400, 'CONSENT_DATES_INCONSISTENT');
    expect(res.body.error.message).toBe('consent cannot expire on 2026-11-01, before it was granted (2026-11-20)');
    const asks = await request(app).get('/api/v1/asks').expect(200);
    expect(asks.body.asks.find((a: { askId: string }) => a.askId === askId).status).toBe('proposed');
  });

  it('when asOf=0000-12-31 is asked, then 400 VALIDATION_FAILED naming the date range (not 500)', async () => {
    const res = await request(app).get('/api/v1/accounts/acc-ready/advocacy?asOf=0000-12-31');
    expectCoded(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/asOf: must be a date as YYYY-MM-DD between 1900-01-01 and 2999-12-31/);
    expectCoded(await request(app).get('/api/v1/kpis?asOf=0000-12-31'), 400, 'VALIDATION_FAILED');
  });

  it('when the path is /accounts/acc%zz/advocacy (a malformed escape), then 400 MALFORMED_URI', async () => {
    expectCoded(await request(app).get('/api/v1/accounts/acc%zz/advocacy'), 400, 'MALFORMED_URI');
  });

  it('when any route answers, then it carries helmet\'s security headers and Cache-Control: no-store', async () => {
    for (const res of [await request(app).get('/api/v1/accounts/acc-ready/advocacy').expect(200), await request(app).get('/api/v1/nowhere').expect(404), await request(app).get('/health').expect(200)]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('when /health is asked without the API token, then it says only that it is alive; with the token, which store and criteria', async () => {
    const locked = createApp({ ctx, apiToken: TOKEN });
    expect((await request(locked).get('/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(locked).get('/health').set('authorization', 'Bearer wrong').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(app).get('/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(locked).get('/health').set('authorization', `Bearer ${TOKEN}`).expect(200)).body).toEqual({ status: 'ok', store: 'pglite', criteriaVersion: '2026-11-01.1' });
  });

  it('when one address sends wrong bearer tokens past the limit, then it gets 429 TOO_MANY_FAILED_AUTH, even with the right token; successful calls never count', async () => {
    const locked = createApp({ ctx, apiToken: TOKEN, authFailureLimit: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 5; i++) await request(locked).get('/api/v1/kpis').set('authorization', `Bearer ${TOKEN}`).expect(200);
    for (let i = 0; i < 3; i++) await request(locked).get('/api/v1/kpis').set('authorization', `Bearer guess-${i}`).expect(401);
    const blocked = await request(locked).get('/api/v1/kpis').set('authorization', 'Bearer guess-4');
    expectCoded(blocked, 429, 'TOO_MANY_FAILED_AUTH');
    expectCoded(await request(locked).get('/api/v1/kpis').set('authorization', `Bearer ${TOKEN}`), 429, 'TOO_MANY_FAILED_AUTH');
    // Liveness stays open to a locked-out address.
    await request(locked).get('/health').expect(200);
  });

  it('when forged HubSpot signatures pile up, then the signed routes lock the address out too', async () => {
    const signed = createApp({
      ctx,
      authFailureLimit: { limit: 2, windowMs: 60_000 },
      extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify: verifyHubSpotSignature({ clientSecret: SECRET, publicBaseUrl: BASE, now: () => NOW, replayCache: new ReplayCache() }) }) }],
    });
    const path = '/hubspot/v1/kpis?portalId=111';
    for (let i = 0; i < 2; i++) await request(signed).get(path).set('x-hubspot-signature-v3', `forged-${i}`).set('x-hubspot-request-timestamp', String(NOW)).expect(401);
    expectCoded(await request(signed).get(path).set('x-hubspot-signature-v3', 'forged-3').set('x-hubspot-request-timestamp', String(NOW)), 429, 'TOO_MANY_FAILED_AUTH');
  });

  it('when an unsigned request sends a body that is not JSON to a signed route, then the answer is 401 (the signature is checked before any parsing), and a signed one gets 400 MALFORMED_JSON', async () => {
    const signed = createApp({ ctx, extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify: verifyHubSpotSignature({ clientSecret: SECRET, publicBaseUrl: BASE, now: () => NOW, replayCache: new ReplayCache() }) }) }] });
    const path = '/hubspot/v1/webhooks';
    const broken = '{"this is": not json';
    const unsigned = await request(signed).post(path).set('content-type', 'application/json').send(broken);
    expectCoded(unsigned, 401, 'MISSING_SIGNATURE');
    const sig = createHmac('sha256', SECRET).update(`POST${BASE}${path}${broken}${NOW}`).digest('base64');
    const parsedAfter = await request(signed).post(path).set('content-type', 'application/json').set('x-hubspot-signature-v3', sig).set('x-hubspot-request-timestamp', String(NOW)).send(broken);
    expectCoded(parsedAfter, 400, 'MALFORMED_JSON');
  });

  it('when a body over 1 MB is sent, then 413 BODY_TOO_LARGE before any signature or parsing', async () => {
    const signed = createApp({ ctx, extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify: verifyHubSpotSignature({ clientSecret: SECRET, publicBaseUrl: BASE, now: () => NOW, replayCache: new ReplayCache() }) }) }] });
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    expectCoded(await request(signed).post('/hubspot/v1/webhooks').set('content-type', 'application/json').send(big), 413, 'BODY_TOO_LARGE');
    expectCoded(await request(app).post(`/api/v1/asks/${askId}/outcome`).set('content-type', 'application/json').send(big), 413, 'BODY_TOO_LARGE');
  });
});
