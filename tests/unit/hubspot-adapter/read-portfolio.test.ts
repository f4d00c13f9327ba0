import nock from 'nock';
import type { Db } from '../../../backend/src/store/db';
import { API, AT, associationsAnswer, batchAnswer, buildCrm, company, contact, ownersAnswer, useNockedStore } from './hubspot-fixtures';

describe('HubSpot adapter reads (nock against api.hubapi.com)', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when the portfolio is listed, then companies come 100 a call (the last call only as many as the page still needs), contacts through one v4 association read and 100-id batch reads, with owner names and a resumable cursor', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(1000 + i));
    const props = (q: Record<string, unknown>) => String(q.properties).split(',');
    const first = nock(API)
      .get('/crm/v3/objects/companies')
      .query((q) => q.limit === '100' && q.after === undefined && props(q).includes('health_score') && props(q).includes('hubspot_owner_id') && q.archived === 'false')
      .reply(200, { results: ids.slice(0, 100).map((id) => company(id)), paging: { next: { after: '1100', link: `${API}/crm/v3/objects/companies?after=1100` } } });
    const second = nock(API)
      .get('/crm/v3/objects/companies')
      .query((q) => q.limit === '50' && q.after === '1100')
      .reply(200, { results: ids.slice(100).map((id) => company(id, id === '1149' ? { health_score: null, hubspot_owner_id: '99' } : {})), paging: { next: { after: '1150' } } });
    // Every company has two contacts, except the last with none.
    const links: Record<string, string[]> = Object.fromEntries(ids.slice(0, 149).map((id, i) => [id, [String(5000 + 2 * i), String(5001 + 2 * i)]]));
    const assocBodies: unknown[] = [];
    const assoc = nock(API)
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => assocBodies.push(b) > 0)
      .reply(207, { ...associationsAnswer(links), numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'No companies is associated with 1149', context: { fromObjectId: ['1149'] } }] });
    const contactBodies: Array<{ inputs: Array<{ id: string }>; properties: string[] }> = [];
    const contacts = nock(API)
      .post('/crm/v3/objects/contacts/batch/read', (b) => contactBodies.push(b) > 0)
      .query({ archived: 'false' })
      .times(3)
      .reply(200, (_uri, body) => batchAnswer((body as { inputs: Array<{ id: string }> }).inputs.map(({ id }) => contact(id, id === '5001' ? { jobtitle: 'Engineer', nps_score: '6' } : {}))));
    const owners = nock(API).get('/crm/v3/owners/').query({ limit: '500', archived: 'false' }).reply(200, ownersAnswer);
    const crm = buildCrm(db);

    const page = await crm.listAccounts({ cursor: null, limit: 150 });

    expect(page.items).toHaveLength(150);
    expect(assocBodies).toEqual([{ inputs: ids.map((id) => ({ id })) }]);
    expect(contactBodies.map((b) => b.inputs.length).sort()).toEqual([100, 100, 98]);
    expect(contactBodies[0].properties).toEqual(expect.arrayContaining(['firstname', 'lastname', 'jobtitle', 'nps_score', 'nps_date', 'hs_email_optout']));
    const a = page.items[0];
    expect(a.account).toMatchObject({ accountId: '1000', name: 'Company 1000', ownerId: '71', healthScore: 88, customerSince: '2024-05-01', industry: 'COMPUTER_SOFTWARE', region: 'Germany' });
    expect(a.owner).toEqual({ ownerId: '71', name: 'Sam Carter', email: 'sam.carter@example.com' });
    expect(a.contacts.map((c) => [c.contactId, c.seniority])).toEqual([
      ['5000', 'vp'],
      ['5001', 'individual'],
    ]);
    expect(a.npsResponses).toEqual([
      { contactId: '5000', date: '2026-09-15', score: 10 },
      { contactId: '5001', date: '2026-09-15', score: 6 },
    ]);
    const last = page.items[149];
    expect(last.contacts).toEqual([]);
    expect(last.account.healthScore).toBeNull();
    expect(last.owner).toEqual({ ownerId: '99', name: '99', email: null });
    expect(page.nextCursor).not.toBeNull();
    expect(page.nextCursor).not.toContain('1150');
    for (const scope of [first, second, assoc, contacts, owners]) expect(scope.isDone()).toBe(true);

    // The cursor resumes where the page stopped (a scan checkpoint), and the owner list is cached.
    const resumed = nock(API)
      .get('/crm/v3/objects/companies')
      .query((q) => q.after === '1150')
      .reply(200, { results: [company('1150')] });
    const assoc2 = nock(API).post('/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id: '1150' }] }).reply(200, associationsAnswer({ '1150': ['7000'] }));
    const contacts2 = nock(API).post('/crm/v3/objects/contacts/batch/read').query(true).reply(200, batchAnswer([contact('7000')]));
    const next = await crm.listAccounts({ cursor: page.nextCursor, limit: 150 });
    expect(next.items.map((s) => s.account.accountId)).toEqual(['1150']);
    expect(next.items[0].contacts.map((c) => c.contactId)).toEqual(['7000']);
    expect(next.nextCursor).toBeNull();
    for (const scope of [resumed, assoc2, contacts2]) expect(scope.isDone()).toBe(true);
  });

  it('when a company has more contacts than one association page, then the adapter follows that company\'s paging', async () => {
    nock(API).get('/crm/v3/objects/companies').query(true).reply(200, { results: [company('1')] });
    const firstAssoc = nock(API)
      .post('/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id: '1' }] })
      .reply(200, batchAnswer([{ from: { id: '1' }, to: [{ toObjectId: 11, associationTypes: [] }], paging: { next: { after: 'MTE%3D', link: null } } }]));
    const secondAssoc = nock(API)
      .post('/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id: '1', after: 'MTE%3D' }] })
      .reply(200, associationsAnswer({ '1': ['12'] }));
    nock(API).post('/crm/v3/objects/contacts/batch/read', (b) => b.inputs.length === 2).query(true).reply(200, batchAnswer([contact('11'), contact('12')]));
    nock(API).get('/crm/v3/owners/').query(true).reply(200, ownersAnswer);

    const page = await buildCrm(db).listAccounts({ cursor: null, limit: 100 });

    expect(page.items[0].contacts.map((c) => c.contactId)).toEqual(['11', '12']);
    expect(firstAssoc.isDone() && secondAssoc.isDone()).toBe(true);
  });

  it('when prefetch is on, then the next page is read while the scan works and served from memory when asked for', async () => {
    const p1 = nock(API).get('/crm/v3/objects/companies').query((q) => q.after === undefined).reply(200, { results: [company('1')], paging: { next: { after: '2' } } });
    const p2 = nock(API).get('/crm/v3/objects/companies').query((q) => q.after === '2').reply(200, { results: [company('2')] });
    nock(API).post('/crm/v4/associations/companies/contacts/batch/read').times(2).reply(200, (_u, body) => associationsAnswer(Object.fromEntries((body as { inputs: Array<{ id: string }> }).inputs.map((i) => [i.id, []]))));
    nock(API).get('/crm/v3/owners/').query(true).reply(200, ownersAnswer);
    const crm = buildCrm(db, { prefetch: true });

    const one = await crm.listAccounts({ cursor: null, limit: 1 });
    const two = await crm.listAccounts({ cursor: one.nextCursor, limit: 1 });

    expect(two.items.map((s) => s.account.accountId)).toEqual(['2']);
    expect(two.nextCursor).toBeNull();
    expect(p1.isDone() && p2.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('when a company, a deal or a contact does not exist, then the reads answer null', async () => {
    const notFound = { status: 'error', message: 'resource not found', correlationId: 'x', category: 'OBJECT_NOT_FOUND' };
    const a = nock(API).get('/crm/v3/objects/companies/404404').query(true).reply(404, notFound);
    const d = nock(API).get('/crm/v3/objects/deals/505505').query(true).reply(404, notFound);
    const c = nock(API).get('/crm/v4/objects/contacts/606606/associations/companies').query(true).reply(404, notFound);
    const crm = buildCrm(db);

    await expect(crm.getAccount('404404')).resolves.toBeNull();
    await expect(crm.getDeal('505505')).resolves.toBeNull();
    await expect(crm.accountIdOfContact('606606')).resolves.toBeNull();
    expect(a.isDone() && d.isDone() && c.isDone()).toBe(true);
  });

  it('when a deal is read, then stage, amount and close date come from its properties and the prospect attributes from its primary company', async () => {
    const deal = nock(API)
      .get('/crm/v3/objects/deals/8001')
      .query((q) => String(q.properties).includes('hs_is_closed_won') && q.associations === 'companies')
      .reply(200, {
        id: '8001',
        properties: { dealname: 'Globex expansion', amount: '48000', dealstage: 'closedwon', closedate: '2026-10-31T15:00:00.000Z', hs_is_closed_won: 'true', hs_is_closed: 'true', hubspot_owner_id: '72' },
        associations: { companies: { results: [{ id: '3001', type: 'deal_to_company_unlabeled' }, { id: '3002', type: 'deal_to_company' }] } },
        createdAt: AT,
        updatedAt: AT,
        archived: false,
      });
    const comp = nock(API).get('/crm/v3/objects/companies/3002').query(true).reply(200, company('3002', { industry: 'BANKING', country: 'Japan' }));
    const contactLink = nock(API)
      .get('/crm/v4/objects/contacts/5000/associations/companies')
      .query(true)
      .reply(200, { results: [{ toObjectId: 3001, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] }, { toObjectId: 3002, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' }] }] });
    const crm = buildCrm(db);

    await expect(crm.getDeal('8001')).resolves.toEqual({
      dealId: '8001',
      name: 'Globex expansion',
      accountId: '3002',
      ownerId: '72',
      amount: 48000,
      stage: 'won',
      closeDate: '2026-10-31',
      industry: 'BANKING',
      region: 'Japan',
      sizeBand: null,
      products: [],
    });
    await expect(crm.accountIdOfContact('5000')).resolves.toBe('3002');
    expect(deal.isDone() && comp.isDone() && contactLink.isDone()).toBe(true);
  });
});
