import request from 'supertest';
import type { Express } from 'express';
import type { AppContext } from '../../../backend/src/app-context';
import { createApp } from '../../../backend/src/http/create-app';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { buildAccount, buildContact, buildNps, OWNER, TODAY } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// The real app in-process: routes, validation, use cases, the embedded store.

async function seed(db: Db) {
  const ds = emptyDataset();
  ds.owners.push(OWNER);
  const { healthHistory: _h, ...ready } = buildAccount({ accountId: 'acc-ready', name: 'Acme Analytics' });
  const { healthHistory: _s, ...strategic } = buildAccount({ accountId: 'acc-strategic', name: 'Globex', strategic: true });
  ds.accounts.push(ready, strategic);
  ds.contacts.push(buildContact({ contactId: 'con-ready', accountId: 'acc-ready' }), buildContact({ contactId: 'con-strategic', accountId: 'acc-strategic' }));
  ds.nps.push({ ...buildNps({ contactId: 'con-ready' }), accountId: 'acc-ready' }, { ...buildNps({ contactId: 'con-strategic' }), accountId: 'acc-strategic' });
  await db.transaction((tx) => applyDataset(tx, 'local', ds));
}

describe('advocacy HTTP API', () => {
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

  it('when health is asked with the API token, then it answers ok with the store and criteria version', async () => {
    const token = 'h3alth-T0ken-with-32-characters!';
    const res = await request(createApp({ ctx, apiToken: token })).get('/health').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ status: 'ok', store: 'pglite', criteriaVersion: '2026-11-01.1' });
  });

  it('when an account is read, then it returns readiness with contributions that add up, and the proposal', async () => {
    const res = await request(app).get('/api/v1/accounts/acc-ready/advocacy').expect(200);
    const { evaluation } = res.body;
    expect(evaluation.decision).toBe('propose');
    expect(evaluation.askType).toBe('quote');
    const sum = evaluation.readiness.contributions.reduce((s: number, c: { points: number }) => s + c.points * 10, 0) / 10;
    expect(sum).toBeCloseTo(evaluation.readiness.score, 5);
    expect(evaluation.proposal.outreach.body).toContain('Dana');
    expect(res.body.account).toMatchObject({ accountId: 'acc-ready', ownerName: OWNER.name });
  });

  it('when a strategic account is read, then the decision is a hand-off with its reason', async () => {
    const res = await request(app).get('/api/v1/accounts/acc-strategic/advocacy').expect(200);
    expect(res.body.evaluation.decision).toBe('handoff');
    expect(res.body.evaluation.reasons.map((r: { code: string }) => r.code)).toEqual(['STRATEGIC_ACCOUNT']);
  });

  it('when "create task now" is clicked twice, then one ask and one task exist and both replies agree', async () => {
    const first = await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201);
    const second = await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201);
    expect(second.body).toEqual(first.body);
    expect(first.body.taskId).toMatch(/^task-/);
    expect((await db.query(`SELECT count(*)::int AS n FROM crm_tasks`)).rows[0]).toEqual({ n: 1 });
    const task = (await db.query(`SELECT owner_id, account_id, contact_id, kind, due_on FROM crm_tasks`)).rows[0];
    expect(task).toEqual({ owner_id: OWNER.ownerId, account_id: 'acc-ready', contact_id: 'con-ready', kind: 'ask', due_on: '2026-11-29' });
  });

  it('when "create task now" is asked for a hand-off account, then it is refused with the reasons', async () => {
    const res = await request(app).post('/api/v1/accounts/acc-strategic/asks').expect(409);
    expect(res.body.error).toMatchObject({ code: 'NOTHING_TO_PROPOSE', requestId: expect.any(String) });
    expect(res.body.error.details.reasons[0].code).toBe('STRATEGIC_ACCOUNT');
  });

  it('when outcomes are recorded, then the ask moves along its lifecycle and a quote needs consent to complete', async () => {
    const { body } = await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201);
    const askId = body.ask.askId;
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'sent' }).expect(200);
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'accepted' }).expect(200);
    const refused = await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'completed' }).expect(409);
    expect(refused.body.error.code).toBe('CONSENT_REQUIRED');
    const done = await request(app)
      .post(`/api/v1/asks/${askId}/outcome`)
      .send({ status: 'completed', note: 'quote approved', consent: { scope: 'quote', evidence: 'email from Dana, 2026-11-24' } })
      .expect(200);
    expect(done.body.ask).toMatchObject({ status: 'completed', outcomeNote: 'quote approved' });
    const history = await request(app).get('/api/v1/accounts/acc-ready/history').expect(200);
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['ask.proposed', 'task.created', 'ask.transitioned', 'consent.recorded']),
    );
  });

  it('when an outcome is recorded, then the answer names the ask\'s contact as the account view does', async () => {
    const { body } = await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201);
    expect(body.ask.contactName).toBe('Dana Reyes');
    const sent = await request(app).post(`/api/v1/asks/${body.ask.askId}/outcome`).send({ status: 'sent' }).expect(200);
    expect(sent.body.ask).toMatchObject({ askId: body.ask.askId, contactId: 'con-ready', contactName: 'Dana Reyes', status: 'sent' });
  });

  it('when a consent is revoked, then no new ask of its scope is proposed to that advocate', async () => {
    const { body } = await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201);
    expect(body.ask.askType).toBe('quote');
    const askId = body.ask.askId;
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'sent' }).expect(200);
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'accepted', consent: { scope: 'quote', evidence: 'email from Dana' } }).expect(200);
    const consentId = (await db.query<{ consent_id: string }>(`SELECT consent_id FROM consents`)).rows[0].consent_id;
    const revoked = await request(app).post(`/api/v1/consents/${consentId}/revoke`).expect(200);
    expect(revoked.body.consent.revokedOn).toBe(TODAY);
    await request(app).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'cancelled' }).expect(200);
    const view = await request(app).get('/api/v1/accounts/acc-ready/advocacy').expect(200);
    expect(view.body.evaluation.skippedAsks).toEqual(expect.arrayContaining([expect.objectContaining({ askType: 'quote', code: 'CONSENT_REVOKED' })]));
  });

  it('when an invalid transition is asked, then it is refused naming what is allowed', async () => {
    const { body } = await request(app).post('/api/v1/accounts/acc-ready/asks').expect(201);
    const res = await request(app).post(`/api/v1/asks/${body.ask.askId}/outcome`).send({ status: 'completed' }).expect(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect(res.body.error.message).toMatch(/proposed.*sent, cancelled/);
  });

  it('when the input is malformed, then a 400 lists each problem', async () => {
    const res = await request(app).post('/api/v1/asks/ask-x/outcome').send({ status: 'won', extra: 1 }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['status']));
    const bad = await request(app).get('/api/v1/accounts/acc-ready/advocacy?asOf=2026-02-30').expect(400);
    expect(bad.body.error.details[0].path).toBe('asOf');
    const json = await request(app).post('/api/v1/asks/ask-x/outcome').set('content-type', 'application/json').send('{"status":').expect(400);
    expect(json.body.error.code).toBe('MALFORMED_JSON');
  });

  it('when an unknown account or route is asked, then 404 with the error shape', async () => {
    const res = await request(app).get('/api/v1/accounts/nope/advocacy').expect(404);
    expect(res.body.error).toEqual({ code: 'ACCOUNT_NOT_FOUND', message: expect.any(String), details: { accountId: 'nope' }, requestId: expect.any(String) });
    await request(app).get('/api/v1/nothing').expect(404);
  });

  it('when a contact advocate profile is read, then it shows caps and do-not-contact', async () => {
    const res = await request(app).get('/api/v1/contacts/con-ready/advocate').expect(200);
    expect(res.body.contact).toMatchObject({ contactId: 'con-ready', doNotContact: false });
    expect(res.body.caps.accountAsks).toEqual({ used: 0, max: 4, availableOn: null });
    expect(res.body.latestNps).toEqual({ score: 10, date: '2026-09-15' });
  });

  it('when KPIs are asked, then the report covers the months asked for', async () => {
    const res = await request(app).get('/api/v1/kpis?months=3').expect(200);
    expect(res.body.months.map((m: { month: string }) => m.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(res.body.asOf).toBe(TODAY);
  });

  it('when an API token is configured, then requests without it are refused', async () => {
    const locked = createApp({ ctx, apiToken: 's3cret-token' });
    await request(locked).get('/api/v1/kpis').expect(401);
    await request(locked).get('/api/v1/kpis').set('authorization', 'Bearer s3cret-token').expect(200);
  });
});
