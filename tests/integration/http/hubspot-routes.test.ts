import express, { type RequestHandler } from 'express';
import request from 'supertest';
import type { AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { createApp } from '../../../backend/src/http/create-app';
import { hubspotRoutes } from '../../../backend/src/http/routes/hubspot-routes';
import { drainChangeEvents } from '../../../backend/src/use-cases/change-event-queue';
import { ReplayCache, verifyHubSpotSignature } from '../../../backend/src/http/hubspot-signature';
import { createHmac } from 'node:crypto';
import { applyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// The HubSpot-facing routes with a stand-in for signature verification that only sets the
// verified portal from a test header: what matters here is that routes act on that portal only.

const fakeVerify: RequestHandler = (req, res, next) => {
  const portal = req.get('x-test-verified-portal');
  if (!portal) return res.status(401).json({ error: { code: 'MISSING_SIGNATURE', message: 'unsigned', requestId: 'x' } });
  res.locals.portalId = portal;
  next();
};

async function seedPortal(db: Db, portalId: string, accountId: string, name: string) {
  await db.transaction((tx) => applyDataset(tx, portalId, championsDataset([{ id: accountId, account: { name } }])));
}

describe('HubSpot routes', () => {
  let db: Db;
  let ctx: AppContext;
  let app: express.Express;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await seedPortal(db, 'hubspot:111', '9001', 'Acme (portal 111)');
    await seedPortal(db, 'hubspot:222', '9002', 'Globex (portal 222)');
    ctx = await testContext(db, { crmFor: (portalId) => new LocalCrm(db, portalId) });
    app = createApp({ ctx, extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify: fakeVerify }) }] });
  });
  afterEach(async () => db.close());

  it('when a card asks for its own portal\'s company, then it gets the advocacy view', async () => {
    const res = await request(app).get('/hubspot/v1/accounts/9001/advocacy').set('x-test-verified-portal', '111').expect(200);
    expect(res.body.account.name).toBe('Acme (portal 111)');
  });

  it('when portal 111 asks for portal 222\'s company, then it is not found and nothing is written', async () => {
    await request(app).get('/hubspot/v1/accounts/9002/advocacy').set('x-test-verified-portal', '111').expect(404);
    await request(app).post('/hubspot/v1/accounts/9002/asks').set('x-test-verified-portal', '111').expect(404);
    expect((await db.query(`SELECT count(*)::int AS n FROM asks`)).rows[0]).toEqual({ n: 0 });
  });

  it('when the request is not verified, then nothing runs', async () => {
    await request(app).get('/hubspot/v1/accounts/9001/advocacy').expect(401);
    await request(app).post('/hubspot/v1/workflow/evaluate').send({}).expect(401);
  });

  it('when the workflow action body names another portal than the signature, then it is refused', async () => {
    const res = await request(app)
      .post('/hubspot/v1/workflow/evaluate')
      .set('x-test-verified-portal', '111')
      .send({ callbackId: 'cb-9', origin: { portalId: 222 }, object: { objectId: 9002, objectType: 'COMPANY' } })
      .expect(403);
    expect(res.body.error.code).toBe('PORTAL_MISMATCH');
  });

  it('when the workflow action runs, then it answers with output fields and a retry returns the same', async () => {
    const body = { callbackId: 'cb-10', origin: { portalId: 111 }, object: { objectId: 9001, objectType: 'COMPANY' }, inputFields: {} };
    const first = await request(app).post('/hubspot/v1/workflow/evaluate').set('x-test-verified-portal', '111').send(body).expect(200);
    const again = await request(app).post('/hubspot/v1/workflow/evaluate').set('x-test-verified-portal', '111').send(body).expect(200);
    expect(first.body.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', decision: 'propose', ask_type: 'quote' });
    expect(again.body).toEqual(first.body);
    expect((await db.query(`SELECT portal_id, count(*)::int AS n FROM crm_tasks GROUP BY portal_id`)).rows).toEqual([{ portal_id: 'hubspot:111', n: 1 }]);
  });

  it('when a webhook batch carries events of two portals, then each company is re-evaluated in its own portal, once', async () => {
    const events = [
      { eventId: 1, portalId: 111, objectId: 9001, subscriptionType: 'company.propertyChange', propertyName: 'health_score' },
      { eventId: 2, portalId: 222, objectId: 9002, subscriptionType: 'company.propertyChange', propertyName: 'health_score' },
      { eventId: 3, portalId: 111, objectId: 9001, subscriptionType: 'company.propertyChange', propertyName: 'nps' },
    ];
    const res = await request(app).post('/hubspot/v1/webhooks').set('x-test-verified-portal', 'app').send(events).expect(200);
    // Answered once stored; the re-evaluation runs behind the answer.
    expect(res.body.results).toEqual([
      { portalId: 'hubspot:111', accepted: 2, duplicates: 0 },
      { portalId: 'hubspot:222', accepted: 1, duplicates: 0 },
    ]);
    expect(await drainChangeEvents(ctx, 'hubspot:111')).toEqual({ evaluated: 0, failed: 0, stopped: null }); // the route's own drain did it
    const tasksByPortal = async () => (await db.query(`SELECT portal_id, account_id, count(*)::int AS n FROM crm_tasks GROUP BY portal_id, account_id ORDER BY portal_id`)).rows;
    expect(await tasksByPortal()).toEqual([
      { portal_id: 'hubspot:111', account_id: '9001', n: 1 },
      { portal_id: 'hubspot:222', account_id: '9002', n: 1 },
    ]);
    const evaluated = async () => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'candidate.evaluated'`)).rows[0].n;
    const before = await evaluated();
    const replay = await request(app).post('/hubspot/v1/webhooks').set('x-test-verified-portal', 'app').send(events).expect(200);
    expect(replay.body.results).toEqual([
      { portalId: 'hubspot:111', accepted: 0, duplicates: 2 },
      { portalId: 'hubspot:222', accepted: 0, duplicates: 1 },
    ]);
    await Promise.all([drainChangeEvents(ctx, 'hubspot:111'), drainChangeEvents(ctx, 'hubspot:222')]);
    expect(await evaluated()).toBe(before);
    expect(await tasksByPortal()).toHaveLength(2);
  });

  it('when the real signature check guards the routes, then a signed request reads its portal and a re-pointed one is refused', async () => {
    const secret = 'client-secret';
    const now = Date.parse('2026-11-24T09:00:00.000Z');
    const signed = createApp({
      ctx,
      extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify: verifyHubSpotSignature({ clientSecret: secret, publicBaseUrl: 'https://app.example', now: () => now, replayCache: new ReplayCache() }) }) }],
    });
    const sign = (path: string) => createHmac('sha256', secret).update(`GEThttps://app.example${path}${now}`).digest('base64');
    const own = '/hubspot/v1/accounts/9001/advocacy?portalId=111';
    await request(signed).get(own).set('x-hubspot-signature-v3', sign(own)).set('x-hubspot-request-timestamp', String(now)).expect(200);
    const other = '/hubspot/v1/accounts/9002/advocacy?portalId=222';
    await request(signed).get(other).set('x-hubspot-signature-v3', sign(own)).set('x-hubspot-request-timestamp', String(now)).expect(401);
  });
});
