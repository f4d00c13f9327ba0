import { createHmac } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { AppContext } from '../../../backend/src/app-context';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { createApp } from '../../../backend/src/http/create-app';
import { ReplayCache, verifyHubSpotSignature } from '../../../backend/src/http/hubspot-signature';
import { hubspotRoutes } from '../../../backend/src/http/routes/hubspot-routes';
import { applyDataset } from '../../../backend/src/import/dataset';
import { runScan } from '../../../backend/src/jobs/scan-portfolio';
import { createStore } from '../../../backend/src/store/pg-store';
import { listAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { championsDataset, defaultCriteria, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// What a CSM sees on the company card after the daily scan, through the real app: the
// scan's own proposal is the ask in progress (not a conflict with itself), then it is sent,
// answered and completed; a strategic account's CSM records the ask they made themselves.

const PORTAL = 'local';

async function seed(db: Db) {
  const ds = championsDataset([{ id: 'acc-1' }, { id: 'acc-strategic', account: { strategic: true } }]);
  await db.transaction((tx) => applyDataset(tx, PORTAL, ds));
}

describe('company card flow over the API', () => {
  let db: Db;
  let ctx: AppContext;
  let app: Express;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await seed(db);
    ctx = await testContext(db);
    app = createApp({ ctx });
  });
  afterEach(async () => db.close());

  const scan = () => runScan({ store: createStore(db), crm: new LocalCrm(db, PORTAL), criteria: defaultCriteria(), portalId: PORTAL, now: ctx.now }, { asOf: TODAY });
  const view = async (id = 'acc-1') => (await request(app).get(`/api/v1/accounts/${id}/advocacy`).expect(200)).body;

  it('when the scan proposed an ask, then the account reads propose with that ask proposed for its contact, its rule and its outreach, not a conflict with itself', async () => {
    await scan();
    const body = await view();
    expect(body.evaluation.decision).toBe('propose');
    expect(body.evaluation.reasons.map((r: { code: string }) => r.code)).not.toContain('RECENT_ASK_CONFLICT');
    expect(body.openAsk).toMatchObject({ status: 'proposed', contactId: 'con-acc-1', contactName: 'Champion acc-1', askType: 'quote', ageDays: 0, next: ['sent', 'cancelled'], csmOwned: false });
    expect(body.openAsk.rule).toEqual({ kind: 'ladder', detail: expect.any(String) });
    expect(body.openAsk.outreach.subject.length).toBeGreaterThan(0);
    expect(body.openAsk.outreach.body).toContain('Champion');
    expect(body.openAsk.taskId).toMatch(/^task-/);
  });

  it('when the proposal is sent, accepted and completed with consent, then the card shows waiting with its age, then accepted, then no ask in progress', async () => {
    await scan();
    const askId = (await view()).openAsk.askId;
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'sent' }).expect(200);
    const later = await testContext(db, { now: '2026-11-27T09:00:00.000Z' });
    const laterApp = createApp({ ctx: later });
    const waiting = (await request(laterApp).get('/api/v1/accounts/acc-1/advocacy').expect(200)).body;
    expect(waiting.openAsk).toMatchObject({ askId, status: 'sent', ageDays: 3, next: ['accepted', 'declined', 'no_response', 'cancelled'] });
    // The customer has been asked now: another ask really would conflict with this one.
    expect(waiting.evaluation.decision).toBe('handoff');
    expect(waiting.evaluation.reasons[0].code).toBe('RECENT_ASK_CONFLICT');
    await request(laterApp).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'accepted' }).expect(200);
    expect((await request(laterApp).get('/api/v1/accounts/acc-1/advocacy')).body.openAsk).toMatchObject({ status: 'accepted', next: ['completed', 'cancelled'] });
    await request(laterApp).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'completed', consent: { scope: 'quote', evidence: 'email of 27 November' } }).expect(200);
    const done = (await request(laterApp).get('/api/v1/accounts/acc-1/advocacy')).body;
    expect(done.openAsk).toBeNull();
    expect(done.asks[0]).toMatchObject({ askId, status: 'completed' });
    expect(done.consents[0]).toMatchObject({ scope: 'quote', evidence: 'email of 27 November' });
  });

  it('when the CSM edits the note of a proposal, then it is kept, audited with before and after, and the ask does not move', async () => {
    await scan();
    const askId = (await view()).openAsk.askId;
    const res = await request(app).post(`/api/v1/asks/${askId}/note`).send({ note: 'Dana prefers a call first' }).expect(200);
    expect(res.body.ask).toMatchObject({ askId, status: 'proposed', outcomeNote: 'Dana prefers a call first' });
    const audit = await listAudit(db, PORTAL, { accountId: 'acc-1', limit: 50 });
    expect(audit.find((e) => e.action === 'ask.note_edited')).toMatchObject({ actor: 'api:local', before: { note: null }, after: { note: 'Dana prefers a call first' } });
    await request(app).post(`/api/v1/asks/${askId}/note`).send({}).expect(400);
  });

  it('when the CSM cancels a proposal with a reason, then it is cancelled with that reason and nothing is in progress', async () => {
    await scan();
    const askId = (await view()).openAsk.askId;
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'cancelled', note: 'renewal talks started' }).expect(200);
    const body = await view();
    expect(body.openAsk).toBeNull();
    expect(body.asks[0]).toMatchObject({ askId, status: 'cancelled', outcomeNote: 'renewal talks started' });
  });

  it('when the CSM of a strategic account records the ask they made, then it is a sent, CSM-owned ask that caps, cooldowns and KPIs count, audited and mirrored', async () => {
    const before = await view('acc-strategic');
    expect(before.evaluation.decision).toBe('handoff');
    const body = { askType: 'reference_call', contactId: 'con-acc-strategic', askedOn: '2026-11-20', note: 'asked at the QBR' };
    const res = await request(app).post('/api/v1/accounts/acc-strategic/csm-asks').send(body).expect(201);
    expect(res.body.ask).toMatchObject({ status: 'sent', askType: 'reference_call', csmOwned: true, contactName: 'Champion acc-strategic', outcomeNote: 'asked at the QBR', sentAt: '2026-11-20T12:00:00.000Z' });
    // The same ask recorded again (a double click) is the same ask.
    const again = await request(app).post('/api/v1/accounts/acc-strategic/csm-asks').send(body).expect(200);
    expect(again.body.ask.askId).toBe(res.body.ask.askId);
    expect((await db.query(`SELECT count(*)::int AS n FROM asks WHERE source = 'csm'`)).rows[0]).toEqual({ n: 1 });

    const after = await view('acc-strategic');
    expect(after.openAsk).toMatchObject({ askId: res.body.ask.askId, status: 'sent', ageDays: 4, csmOwned: true, rule: null });
    expect(after.evaluation.reasons.map((r: { code: string }) => r.code)).toContain('RECENT_ASK_CONFLICT');
    const advocate = (await request(app).get('/api/v1/contacts/con-acc-strategic/advocate').expect(200)).body;
    expect(advocate.caps.accountAsks.used).toBe(1);
    expect(advocate.caps.referenceCalls.used).toBe(1);
    const kpis = (await request(app).get('/api/v1/kpis?months=1').expect(200)).body;
    expect(kpis.months[0]).toMatchObject({ month: '2026-11', asked: 1, sent: 1 });
    expect(kpis.asksByOutcome.sent).toBe(1);
    expect(kpis.acceptanceByAskType.find((t: { askType: string }) => t.askType === 'reference_call')).toMatchObject({ sent: 1, accepted: 0 });

    const audit = await listAudit(db, PORTAL, { accountId: 'acc-strategic', limit: 50 });
    expect(audit.find((e) => e.action === 'ask.created')).toMatchObject({ actor: 'api:local', after: { csmOwned: true, askType: 'reference_call', status: 'sent', askedOn: '2026-11-20' } });
    const mirrored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE ask_id = $1 AND status = 'done'`, [res.body.ask.askId]);
    expect(mirrored.rows[0].n).toBe(1);
  });

  it('when the CSM ask is dated after today, names a contact of another account, or misses its type, then it is refused and nothing is stored', async () => {
    const future = await request(app).post('/api/v1/accounts/acc-strategic/csm-asks').send({ askType: 'quote', contactId: 'con-acc-strategic', askedOn: '2026-12-01' }).expect(400);
    expect(future.body.error.code).toBe('DATE_IN_FUTURE');
    const other = await request(app).post('/api/v1/accounts/acc-strategic/csm-asks').send({ askType: 'quote', contactId: 'con-acc-1', askedOn: TODAY }).expect(404);
    expect(other.body.error.code).toBe('CONTACT_NOT_FOUND');
    const bad = await request(app).post('/api/v1/accounts/acc-strategic/csm-asks').send({ contactId: 'con-acc-1', askedOn: TODAY }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await db.query(`SELECT count(*)::int AS n FROM asks`)).rows[0]).toEqual({ n: 0 });
  });

  it('when the local API is called with its token, then the audit names the token holder', async () => {
    const token = 'k3J9xQ2mPz7LwR4tV8nB1cY6dF0gH5sA';
    const guarded = createApp({ ctx, apiToken: token, apiTokenName: 'ops-bot' });
    await scan();
    const askId = (await view()).openAsk.askId;
    await request(guarded).post(`/api/v1/asks/${askId}/outcome`).set('authorization', `Bearer ${token}`).send({ status: 'sent' }).expect(200);
    const audit = await listAudit(db, PORTAL, { accountId: 'acc-1', limit: 50 });
    expect(audit.find((e) => e.action === 'ask.transitioned')?.actor).toBe('api:ops-bot');
  });

  it('when a card action comes signed from HubSpot, then the audit names the HubSpot user by id and email', async () => {
    const hubspotPortal = 'hubspot:111';
    await db.transaction((tx) => applyDataset(tx, hubspotPortal, championsDataset([{ id: '9001' }])));
    const secret = 'client-secret';
    const now = Date.parse(`${TODAY}T09:00:00.000Z`);
    const hsCtx = await testContext(db, { crmFor: (p) => new LocalCrm(db, p) });
    const signed = createApp({
      ctx: hsCtx,
      extraRouters: [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx: hsCtx, verify: verifyHubSpotSignature({ clientSecret: secret, publicBaseUrl: 'https://app.example', now: () => now, replayCache: new ReplayCache() }) }) }],
    });
    const path = '/hubspot/v1/accounts/9001/csm-asks?portalId=111&userId=4242&userEmail=dana.csm@example.test&appId=77';
    const payload = { askType: 'review', contactId: 'con-9001', askedOn: TODAY };
    const raw = JSON.stringify(payload);
    const signature = createHmac('sha256', secret).update(`POSThttps://app.example${path.replace('%40', '@')}${raw}${now}`).digest('base64');
    await request(signed).post(path).set('content-type', 'application/json').set('x-hubspot-signature-v3', signature).set('x-hubspot-request-timestamp', String(now)).send(raw).expect(201);
    const audit = await listAudit(db, hubspotPortal, { accountId: '9001', limit: 50 });
    expect(audit.find((e) => e.action === 'ask.created')?.actor).toBe('hubspot-user:4242 <dana.csm@example.test>');
  });
});
