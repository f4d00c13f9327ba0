import express, { type RequestHandler } from 'express';
import request from 'supertest';
import type { AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { createApp } from '../../../backend/src/http/create-app';
import { hubspotRoutes } from '../../../backend/src/http/routes/hubspot-routes';
import { applyDataset } from '../../../backend/src/import/dataset';
import { listAudit, verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// HubSpot's privacy-compliant contact deletion (webhook subscription contact.privacyDeletion):
// the person is erased in the portal the event names, and only there.

const fakeVerify: RequestHandler = (req, res, next) => {
  const portal = req.get('x-test-verified-portal');
  if (!portal) return res.status(401).json({ error: { code: 'MISSING_SIGNATURE', message: 'unsigned', requestId: 'x' } });
  res.locals.portalId = portal;
  next();
};

const event = (portalId: number, objectId: string, subscriptionType = 'contact.privacyDeletion', eventId = 1) => ({ eventId, subscriptionId: 77, portalId, appId: 5, occurredAt: 1764579600000, subscriptionType, attemptNumber: 0, objectId, changeSource: 'GDPR', changeFlag: 'DELETED' });
const contactsNamed = async (db: Db, portalId: string) => (await db.query<{ first_name: string }>(`SELECT first_name FROM crm_contacts WHERE portal_id = $1`, [portalId])).rows.length;

describe('HubSpot privacy deletion webhook', () => {
  let db: Db;
  let ctx: AppContext;
  let app: express.Express;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    for (const portal of ['hubspot:111', 'hubspot:222']) await db.transaction((tx) => applyDataset(tx, portal, championsDataset([{ id: '9001' }])));
    ctx = await testContext(db, { crmFor: (portalId) => new LocalCrm(db, portalId) });
    app = createApp({ ctx, extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify: fakeVerify }) }] });
  });
  afterEach(async () => db.close());

  it('when a contact is deleted for privacy in portal 111, then that person is erased there, audited, and portal 222 keeps its own contact of the same id', async () => {
    const res = await request(app).post('/hubspot/v1/webhooks').set('x-test-verified-portal', 'app').send([event(111, 'con-9001'), event(111, 'con-9001', 'contact.deletion', 2)]).expect(200);
    expect(res.body.erased).toEqual([{ portalId: 'hubspot:111', contactId: 'con-9001', erased: true }]);
    expect(await contactsNamed(db, 'hubspot:111')).toBe(0);
    expect(await contactsNamed(db, 'hubspot:222')).toBe(1);
    const [last] = (await listAudit(db, 'hubspot:111', { limit: 1000 })).slice(-1);
    expect(last).toMatchObject({ action: 'contact.erased', entityId: 'con-9001', actor: 'hubspot:privacyDeletion' });
    expect((await verifyAudit(db, 'hubspot:111')).ok).toBe(true);
    expect(await listAudit(db, 'hubspot:222')).toEqual([]);
  });

  it('when HubSpot delivers the same privacy deletion again, then it answers 200 and writes nothing more', async () => {
    await request(app).post('/hubspot/v1/webhooks').set('x-test-verified-portal', 'app').send([event(111, 'con-9001')]).expect(200);
    const again = await request(app).post('/hubspot/v1/webhooks').set('x-test-verified-portal', 'app').send([event(111, 'con-9001')]).expect(200);
    expect(again.body.erased).toEqual([{ portalId: 'hubspot:111', contactId: 'con-9001', erased: false }]);
    expect((await listAudit(db, 'hubspot:111')).filter((e) => e.action === 'contact.erased')).toHaveLength(1);
  });
});
