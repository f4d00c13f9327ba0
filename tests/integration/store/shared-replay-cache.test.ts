import { createHmac, randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { REPLAY_TTL_MS, verifyHubSpotSignature } from '../../../backend/src/http/hubspot-signature';
import { openPglite, openPostgres, type Db } from '../../../backend/src/store/db';
import { migrate } from '../../../backend/src/store/migrate';
import { StoreReplayCache } from '../../../backend/src/store/signature-replays';
import { openTestDb } from '../../support/store';
import { useTempDirs } from '../../support/temp-dirs';

// The replay cache lives in the store: a signed request seen before a restart, or by another
// instance on the same server, is refused.

const SECRET = 'app-client-secret-for-tests';
const NOW = Date.parse('2026-11-24T09:00:00.000Z');
const BASE = 'https://advocacy.example.com';
const PATH = '/hubspot/v1/webhooks';
const BODY = JSON.stringify([{ eventId: 1, portalId: 111, objectId: 9001, propertyName: 'health_score', propertyValue: '91' }]);

function appOn(db: Db, now = NOW) {
  const app = express();
  app.use(express.json({ verify: (req, _res, buf) => void ((req as typeof req & { rawBody?: Buffer }).rawBody = buf) }));
  app.use('/hubspot/v1', verifyHubSpotSignature({ clientSecret: SECRET, publicBaseUrl: BASE, now: () => now, replayCache: new StoreReplayCache(db, REPLAY_TTL_MS) }));
  app.post('/hubspot/v1/webhooks', (_req, res) => res.json({ ok: true }));
  return app;
}

const send = (app: express.Express, timestamp = NOW) =>
  request(app)
    .post(PATH)
    .set('content-type', 'application/json')
    .set('x-hubspot-signature-v3', createHmac('sha256', SECRET).update(`POST${BASE}${PATH}${BODY}${timestamp}`).digest('base64'))
    .set('x-hubspot-request-timestamp', String(timestamp))
    .send(BODY);

describe('the HubSpot replay cache in the store', () => {
  const tempDir = useTempDirs('advocacy-replay-');

  it('when a signed request is replayed after a restart of the embedded store, then it is refused', async () => {
    const dir = tempDir();
    const first = await openPglite(dir);
    await migrate(first);
    await send(appOn(first)).expect(200);
    await first.close();

    const restarted = await openPglite(dir);
    await migrate(restarted);
    try {
      const replay = await send(appOn(restarted)).expect(401);
      expect(replay.body.error.code).toBe('REPLAYED_SIGNATURE');
      // A new request (new timestamp, new signature) still passes.
      await send(appOn(restarted, NOW + 1000), NOW + 1000).expect(200);
    } finally {
      await restarted.close();
    }
  });

  it('when an entry is older than the window, then it is reused, not kept forever', async () => {
    const db = await openTestDb('pglite');
    try {
      const cache = new StoreReplayCache(db, 1000);
      expect(await cache.checkAndRemember('sig-a', NOW)).toBe(false);
      expect(await cache.checkAndRemember('sig-a', NOW + 999)).toBe(true);
      expect(await cache.checkAndRemember('sig-a', NOW + 1000)).toBe(false);
      // Purged on a later call once past the window (at most once a minute).
      expect(await cache.checkAndRemember('sig-b', NOW + 120_000)).toBe(false);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM signature_replays`);
      expect(rows[0].n).toBe(1);
    } finally {
      await db.close();
    }
  });

  (process.env.DATABASE_URL ? it : it.skip)('when two instances share one PostgreSQL server, then a request accepted by one is refused by the other, and of two at once one passes', async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await openPostgres(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const a = await openPostgres(url, { schema, max: 2 });
    const b = await openPostgres(url, { schema, max: 2 });
    try {
      await migrate(a);
      await send(appOn(a)).expect(200);
      expect((await send(appOn(b)).expect(401)).body.error.code).toBe('REPLAYED_SIGNATURE');
      const later = NOW + 5000;
      const both = await Promise.all([send(appOn(a, later), later), send(appOn(b, later), later)]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
    } finally {
      await a.close();
      await b.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  });
});
