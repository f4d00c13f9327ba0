import request from 'supertest';
import { CrmError } from '../../../backend/src/crm/errors';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { createApp } from '../../../backend/src/http/create-app';
import { applyDataset, emptyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { buildContact, championsDataset, OWNER } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

async function seed(db: Db) {
  const ds = championsDataset([
    { id: 'fin-emea', account: { industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market' } },
    { id: 'fin-na', account: { industry: 'FinTech', region: 'NA', sizeBand: 'smb' } },
    { id: 'retail', account: { industry: 'Retail', region: 'EMEA', sizeBand: 'mid-market' } },
    { id: 'fin-strategic', account: { industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', strategic: true } },
  ]);
  ds.deals.push({ dealId: 'deal-1', name: 'Prospect GmbH', accountId: null, ownerId: 'rep-1', amount: 120000, stage: 'open', closeDate: '2027-01-31', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', products: ['core'] });
  await db.transaction((tx) => applyDataset(tx, 'local', ds));
}

describe('reference requests from a deal', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await seed(db);
  });
  afterEach(async () => db.close());

  it('when a rep matches, requests, and the CSM acts, then the request moves and only one task is created', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const view = await request(app).get('/api/v1/deals/deal-1/reference-requests').expect(200);
    expect(view.body.prefill).toMatchObject({ askType: 'reference_call', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', product: 'core' });

    const matched = await request(app).post('/api/v1/deals/deal-1/reference-matches').send(view.body.prefill).expect(200);
    expect(matched.body.matches.map((m: { contactId: string }) => m.contactId)).toEqual(['con-fin-emea', 'con-retail', 'con-fin-na']);
    expect(matched.body.matches[0].matched.map((m: { attribute: string }) => m.attribute)).toEqual(['industry', 'sizeBand', 'region', 'product']);

    const body = { need: view.body.prefill, contactId: 'con-fin-emea' };
    const first = await request(app).post('/api/v1/deals/deal-1/reference-requests').send(body).expect(201);
    const again = await request(app).post('/api/v1/deals/deal-1/reference-requests').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(first.body.request).toMatchObject({ status: 'requested', contactName: 'Champion fin-emea', overdue: false });
    const tasks = (await db.query(`SELECT kind, owner_id, deal_id, contact_id FROM crm_tasks`)).rows;
    expect(tasks).toEqual([{ kind: 'reference_request', owner_id: OWNER.ownerId, deal_id: 'deal-1', contact_id: 'con-fin-emea' }]);

    await request(app).post(`/api/v1/asks/${first.body.request.askId}/outcome`).send({ status: 'sent' }).expect(200);
    const later = await request(app).get('/api/v1/deals/deal-1/reference-requests').expect(200);
    expect(later.body.requests).toEqual([expect.objectContaining({ status: 'approved', overdue: false })]);

    // The same advocate is not offered again while asked.
    const rematch = await request(app).post('/api/v1/deals/deal-1/reference-matches').send(view.body.prefill).expect(200);
    expect(rematch.body.matches.map((m: { contactId: string }) => m.contactId)).not.toContain('con-fin-emea');
  });

  it('when the CRM cannot be read as the CSM records the outcome of a request, then the outcome is kept and the answer names the contact as the request kept it', async () => {
    const need = { industry: 'FinTech', region: 'EMEA' };
    await request(createApp({ ctx: await testContext(db) })).post('/api/v1/deals/deal-1/reference-requests').send({ need, contactId: 'con-fin-emea' }).expect(201);
    const askId = (await db.query<{ ask_id: string }>(`SELECT ask_id FROM asks WHERE deal_id = 'deal-1'`)).rows[0].ask_id;
    // Another process (no reference index yet) whose CRM does not answer account reads.
    const down = (portalId: string) => {
      const local = new LocalCrm(db, portalId);
      return new Proxy(local, {
        get: (target, key) => {
          if (key === 'getAccount') return async () => Promise.reject(new CrmError('CRM_UNAVAILABLE', 'CRM down'));
          const value = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const res = await request(createApp({ ctx: await testContext(db, { crmFor: down }) })).post(`/api/v1/asks/${askId}/outcome`).send({ status: 'sent' }).expect(200);
    expect(res.body.ask).toMatchObject({ askId, status: 'sent', contactId: 'con-fin-emea', contactName: 'Champion fin-emea' });
    expect((await db.query(`SELECT status FROM asks WHERE ask_id = $1`, [askId])).rows).toEqual([{ status: 'sent' }]);
  });

  it('when a strategic account\'s contact is requested, then it is refused with the reason', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const res = await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'FinTech' }, contactId: 'con-fin-strategic' }).expect(409);
    expect(res.body.error.code).toBe('NO_ADVOCATE');
    expect(res.body.error.message).toMatch(/STRATEGIC_ACCOUNT/);
  });

  it('when the CSM has not decided after 2 business days, then the request shows overdue', async () => {
    const app = createApp({ ctx: await testContext(db, { now: '2026-11-20T15:00:00.000Z' }) }); // a Friday
    await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'FinTech' }, contactId: 'con-fin-na' }).expect(201);
    const wednesday = createApp({ ctx: await testContext(db, { now: '2026-11-25T09:00:00.000Z' }) });
    const res = await request(wednesday).get('/api/v1/deals/deal-1/reference-requests').expect(200);
    expect(res.body.requests[0]).toMatchObject({ status: 'requested', overdue: true, overdueReason: 'the CSM was due to decide by 2026-11-24' });
  });

  it('when the reference is completed and the deal then closes won, then the KPIs count its amount as influenced', async () => {
    const app = createApp({ ctx: await testContext(db, { now: '2026-11-10T10:00:00.000Z' }) });
    const { body } = await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'FinTech' }, contactId: 'con-fin-emea' }).expect(201);
    for (const status of ['sent', 'accepted']) await request(app).post(`/api/v1/asks/${body.request.askId}/outcome`).send({ status }).expect(200);
    const feedback = { advocate: 'Happy to help again next quarter', prospect: 'Convinced us on the migration risk' };
    await request(app).post(`/api/v1/asks/${body.request.askId}/outcome`).send({ status: 'completed', note: 'Call held on Tuesday', feedback }).expect(200);
    const { body: view } = await request(app).get('/api/v1/deals/deal-1/reference-requests').expect(200);
    expect(view.requests).toEqual([expect.objectContaining({ status: 'completed', outcomeNote: 'Call held on Tuesday', feedback })]);
    await request(app).post(`/api/v1/asks/${body.request.askId}/outcome`).send({ status: 'completed', feedback: { reviewer: 'x' } }).expect(400);
    // The rep's deal closes won two weeks later (the CRM's record changes; re-imported here).
    const ds = emptyDataset();
    ds.deals.push({ dealId: 'deal-1', name: 'Prospect GmbH', accountId: null, ownerId: 'rep-1', amount: 120000, stage: 'won', closeDate: '2026-11-20', industry: 'FinTech', region: 'EMEA', sizeBand: 'mid-market', products: ['core'] });
    ds.deals.push({ dealId: 'deal-2', name: 'Other AG', accountId: null, ownerId: 'rep-1', amount: 50000, stage: 'lost', closeDate: '2026-11-21', industry: 'Retail', region: 'EMEA', sizeBand: 'smb', products: [] });
    await db.transaction((tx) => applyDataset(tx, 'local', ds));

    const later = createApp({ ctx: await testContext(db, { now: '2026-11-24T10:00:00.000Z' }) });
    const { body: kpis } = await request(later).get('/api/v1/kpis?months=2').expect(200);
    expect(kpis.references.influencedRevenue).toBe(120000);
    expect(kpis.references.winRate).toEqual({ withReference: 1, withoutReference: 0 });
    expect(kpis.references.serviceLevels).toMatchObject({ requests: 1, decided: 1, decidedInTime: 1, fulfilled: 1, fulfilledInTime: 1, overdueNow: 0 });
    expect(kpis.references.loadPerAdvocate).toEqual([{ contactId: 'con-fin-emea', accountId: 'fin-emea', requests: 1, completed: 1 }]);
  });

  it('when the CSM declined a request, then the rep can ask the same advocate again as a new request', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const body = { need: { industry: 'FinTech' }, contactId: 'con-fin-na' };
    const first = (await request(app).post('/api/v1/deals/deal-1/reference-requests').send(body).expect(201)).body.request;
    await request(app).post(`/api/v1/asks/${first.askId}/outcome`).send({ status: 'cancelled', note: 'Customer mid-migration' }).expect(200);
    const second = (await request(app).post('/api/v1/deals/deal-1/reference-requests').send(body).expect(201)).body.request;
    expect(second.askId).not.toBe(first.askId);
    expect(second.status).toBe('requested');
    const listed = (await request(app).get('/api/v1/deals/deal-1/reference-requests').expect(200)).body.requests;
    expect(listed.map((r: { status: string }) => r.status).sort()).toEqual(['declined', 'requested']);
  });

  it('when the advocate became do-not-contact after the list was shown, then the request is refused on fresh data', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const shown = (await request(app).post('/api/v1/deals/deal-1/reference-matches').send({ industry: 'FinTech' }).expect(200)).body.matches;
    expect(shown.map((m: { contactId: string }) => m.contactId)).toContain('con-fin-na');
    const ds = emptyDataset();
    ds.contacts.push(buildContact({ contactId: 'con-fin-na', accountId: 'fin-na', firstName: 'Champion', lastName: 'fin-na', doNotContact: true }));
    await db.transaction((tx) => applyDataset(tx, 'local', ds));
    const res = await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'FinTech' }, contactId: 'con-fin-na' }).expect(409);
    expect(res.body.error.message).toMatch(/do-not-contact/);
    expect((await db.query(`SELECT count(*)::int AS n FROM crm_tasks`)).rows[0]).toEqual({ n: 0 });
  });

  it('when the chosen advocate shares nothing with the need, then the request is refused', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const res = await request(app).post('/api/v1/deals/deal-1/reference-requests').send({ need: { industry: 'Mining' }, contactId: 'con-fin-na' }).expect(409);
    expect(res.body.error.message).toMatch(/shares nothing/);
  });

  it('when nothing fits, then the answer explains why', async () => {
    const app = createApp({ ctx: await testContext(db) });
    const res = await request(app).post('/api/v1/deals/deal-1/reference-matches').send({ industry: 'Mining' }).expect(200);
    expect(res.body).toEqual({ matches: [], explanation: 'no advocate fits the industry "Mining"' });
  });
});
