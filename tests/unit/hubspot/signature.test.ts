import { createHash, createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { ReplayCache, verifyHubSpotSignature } from '../../../backend/src/http/hubspot-signature';

const SECRET = 'app-client-secret-for-tests';
const NOW = Date.parse('2026-11-24T09:00:00.000Z');
const BASE = 'https://advocacy.example.com';

function appWith(options: { allowV2?: boolean | ((req: express.Request) => boolean) } = {}) {
  const calls: Array<{ portalId: unknown; body: unknown }> = [];
  const app = express();
  app.use(express.json({ verify: (req, _res, buf) => void ((req as typeof req & { rawBody?: Buffer }).rawBody = buf) }));
  app.use('/hubspot/v1', verifyHubSpotSignature({ clientSecret: SECRET, publicBaseUrl: BASE, now: () => NOW, replayCache: new ReplayCache(), allowV2: options.allowV2 }));
  app.all('/hubspot/v1/*rest', (req, res) => {
    calls.push({ portalId: res.locals.portalId, body: req.body });
    res.json({ ok: true });
  });
  return { app, calls };
}

const v3 = (method: string, path: string, body: string, timestamp: number, secret = SECRET) =>
  createHmac('sha256', secret).update(`${method}${BASE}${path}${body}${timestamp}`).digest('base64');

describe('HubSpot request signatures', () => {
  it('when a card GET is signed with v3, then it passes and the portal comes from the signed query', async () => {
    const { app, calls } = appWith();
    const path = '/hubspot/v1/accounts/9001/advocacy?portalId=111&userId=7';
    await request(app).get(path).set('x-hubspot-signature-v3', v3('GET', path, '', NOW)).set('x-hubspot-request-timestamp', String(NOW)).expect(200);
    expect(calls).toEqual([{ portalId: '111', body: undefined }]);
  });

  it('when a POST is signed with v3 over its exact body, then it passes', async () => {
    const { app, calls } = appWith();
    const path = '/hubspot/v1/asks/ask-1/outcome?portalId=111';
    const body = JSON.stringify({ status: 'sent' });
    await request(app).post(path).set('content-type', 'application/json').send(body).set('x-hubspot-signature-v3', v3('POST', path, body, NOW)).set('x-hubspot-request-timestamp', String(NOW)).expect(200);
    expect(calls).toHaveLength(1);
  });

  describe('when the signature does not hold, then 401 and the handler never runs', () => {
    const path = '/hubspot/v1/asks/ask-1/outcome?portalId=111';
    const body = JSON.stringify({ status: 'sent' });
    const cases: Array<[string, (r: request.Test) => request.Test, string, string?]> = [
      ['wrong secret', (r) => r.set('x-hubspot-signature-v3', v3('POST', path, body, NOW, 'other-secret')).set('x-hubspot-request-timestamp', String(NOW)), 'INVALID_SIGNATURE'],
      ['altered body', (r) => r.set('x-hubspot-signature-v3', v3('POST', path, JSON.stringify({ status: 'completed' }), NOW)).set('x-hubspot-request-timestamp', String(NOW)), 'INVALID_SIGNATURE'],
      ['altered query (another portal)', (r) => r.set('x-hubspot-signature-v3', v3('POST', path.replace('111', '222'), body, NOW)).set('x-hubspot-request-timestamp', String(NOW)), 'INVALID_SIGNATURE'],
      ['stale timestamp (5 min + 1 s)', (r) => r.set('x-hubspot-signature-v3', v3('POST', path, body, NOW - 301_000)).set('x-hubspot-request-timestamp', String(NOW - 301_000)), 'STALE_SIGNATURE'],
      ['missing headers', (r) => r, 'MISSING_SIGNATURE'],
      ['signature without timestamp', (r) => r.set('x-hubspot-signature-v3', v3('POST', path, body, NOW)), 'MISSING_SIGNATURE'],
    ];
    it.each(cases)('%s', async (_name, sign, code) => {
      const { app, calls } = appWith();
      const res = await sign(request(app).post(path).set('content-type', 'application/json').send(body)).expect(401);
      expect(res.body.error.code).toBe(code);
      expect(calls).toHaveLength(0);
    });
  });

  it('when the same signed request arrives twice, then the replay is refused', async () => {
    const { app, calls } = appWith();
    const path = '/hubspot/v1/accounts/9001/asks?portalId=111';
    const send = () => request(app).post(path).set('x-hubspot-signature-v3', v3('POST', path, '', NOW)).set('x-hubspot-request-timestamp', String(NOW));
    await send().expect(200);
    const replay = await send().expect(401);
    expect(replay.body.error.code).toBe('REPLAYED_SIGNATURE');
    expect(calls).toHaveLength(1);
  });

  it('when a workflow action is signed with v2 and v2 is allowed, then it passes with the portal from the body', async () => {
    const { app, calls } = appWith({ allowV2: true });
    const path = '/hubspot/v1/workflow/evaluate';
    const body = JSON.stringify({ callbackId: 'cb-1', origin: { portalId: 111 }, object: { objectId: 9001, objectType: 'COMPANY' } });
    const sig = createHash('sha256').update(`${SECRET}POST${BASE}${path}${body}`).digest('hex');
    await request(app).post(path).set('content-type', 'application/json').send(body).set('x-hubspot-signature', sig).set('x-hubspot-signature-version', 'v2').expect(200);
    expect(calls[0].portalId).toBe('111');
  });

  it('when v2 is allowed for the workflow route only, then a v2-signed card route is refused and takes no portal from the body', async () => {
    const { app, calls } = appWith({ allowV2: (req) => req.path === '/workflow/evaluate' });
    const path = '/hubspot/v1/accounts/9001/asks';
    const body = JSON.stringify({ origin: { portalId: 222 } });
    const sig = createHash('sha256').update(`${SECRET}POST${BASE}${path}${body}`).digest('hex');
    await request(app).post(path).set('content-type', 'application/json').send(body).set('x-hubspot-signature', sig).set('x-hubspot-signature-version', 'v2').expect(401);
    // v3-signed, no portal in the query: the body's origin is not taken either.
    await request(app).post(path).set('content-type', 'application/json').send(body).set('x-hubspot-signature-v3', v3('POST', path, body, NOW)).set('x-hubspot-request-timestamp', String(NOW)).expect(200);
    expect(calls).toEqual([expect.objectContaining({ portalId: undefined })]);
  });

  it('when v2 is not allowed, then a v2 signature is refused', async () => {
    const { app, calls } = appWith();
    const path = '/hubspot/v1/workflow/evaluate';
    const body = '{}';
    const sig = createHash('sha256').update(`${SECRET}POST${BASE}${path}${body}`).digest('hex');
    await request(app).post(path).set('content-type', 'application/json').send(body).set('x-hubspot-signature', sig).set('x-hubspot-signature-version', 'v2').expect(401);
    expect(calls).toHaveLength(0);
  });
});
