import nock from 'nock';
import { CrmError } from '../../../backend/src/crm/errors';
import type { AccountSignals } from '../../../backend/src/crm/port';
import type { Db } from '../../../backend/src/store/db';
import { API, associationsAnswer, batchAnswer, buildCrm, company, contact, errorBody, ownersAnswer, rateLimitBody, useNockedStore } from './hubspot-fixtures';

// getAccounts: the webhook path's read of many named companies, with batch calls only.

const ids = (n: number, from = 1000) => Array.from({ length: n }, (_, i) => String(from + i));
type Input = { inputs: Array<{ id: string }>; properties?: string[] };

/** Companies batch read answering every asked id it has (a 207 with OBJECT_NOT_FOUND for the rest). */
function companiesRead(have: (id: string) => boolean, bodies: Input[] = [], only: (b: Input) => boolean = () => true) {
  return nock(API)
    .post('/crm/v3/objects/companies/batch/read', (b) => only(b as Input) && bodies.push(b as Input) > 0)
    .query({ archived: 'false' })
    .reply((_uri, body) => {
      const asked = (body as Input).inputs.map((i) => i.id);
      const missing = asked.filter((id) => !have(id));
      const results = asked.filter(have).map((id) => company(id));
      return missing.length
        ? [207, batchAnswer(results, { numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist.', context: { ids: missing } }] })]
        : [200, batchAnswer(results)];
    });
}

const contactsFor = (companyIds: string[]) => Object.fromEntries(companyIds.map((id) => [id, [`${id}1`, `${id}2`]]));

function contactsRead(times = 1, bodies: Input[] = []) {
  return nock(API)
    .post('/crm/v3/objects/contacts/batch/read', (b) => bodies.push(b as Input) > 0)
    .query({ archived: 'false' })
    .times(times)
    .reply(200, (_uri, body) => batchAnswer((body as Input).inputs.map(({ id }) => contact(id))));
}

const owners = () => nock(API).get('/crm/v3/owners/').query(true).reply(200, ownersAnswer);
const signalsOf = (v: AccountSignals | null | CrmError | undefined) => v as AccountSignals;

describe('HubSpot adapter: many named companies at once (nock against api.hubapi.com)', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when 250 companies are asked for, then they come 100 per companies batch read, their contacts through one v4 association read and 100-id contact reads, and one that HubSpot does not have is null', async () => {
    const asked = ids(250);
    const bodies: Input[] = [];
    const reads = [0, 1, 2].map(() => companiesRead((id) => id !== '1249', bodies));
    const assocBodies: unknown[] = [];
    const assoc = nock(API)
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => assocBodies.push(b) > 0)
      .reply(200, associationsAnswer(contactsFor(asked.slice(0, 249))));
    const contactBodies: Input[] = [];
    const contacts = contactsRead(5, contactBodies);
    const ownerList = owners();

    const read = await buildCrm(db).getAccounts([...asked, '1000', 'not-a-hubspot-id']);

    expect(bodies.map((b) => b.inputs.length).sort()).toEqual([100, 100, 50]);
    expect(bodies[0].properties).toEqual(expect.arrayContaining(['name', 'health_score', 'hubspot_owner_id']));
    expect(new Set(bodies.flatMap((b) => b.inputs.map((i) => i.id)))).toEqual(new Set(asked));
    expect(assocBodies).toEqual([{ inputs: asked.slice(0, 249).map((id) => ({ id })) }]);
    expect(contactBodies.map((b) => b.inputs.length).sort()).toEqual([100, 100, 100, 100, 98]);
    expect(read.size).toBe(251);
    expect(signalsOf(read.get('1000')).account).toMatchObject({ accountId: '1000', name: 'Company 1000', healthScore: 88, ownerId: '71' });
    expect(signalsOf(read.get('1000')).contacts.map((c) => c.contactId)).toEqual(['10001', '10002']);
    expect(signalsOf(read.get('1000')).owner?.name).toBe('Sam Carter');
    expect(read.get('1249')).toBeNull();
    expect(read.get('not-a-hubspot-id')).toBeNull();
    for (const scope of [...reads, assoc, contacts, ownerList]) expect(scope.isDone()).toBe(true);
  });

  it('when one companies batch keeps failing with 503, then only its 100 ids come back as that error and the others are read', async () => {
    const asked = ids(200);
    const first = new Set(asked.slice(0, 100));
    const ok = companiesRead(() => true, [], (b) => first.has(b.inputs[0].id));
    // The second batch (ids 1100-1199) answers 503 on every try (3 attempts in the test policy).
    const broken = nock(API)
      .post('/crm/v3/objects/companies/batch/read', (b) => !first.has((b as Input).inputs[0].id))
      .query(true)
      .times(3)
      .reply(503, errorBody(503, 'SERVICE_UNAVAILABLE', 'try later'));
    nock(API).post('/crm/v4/associations/companies/contacts/batch/read').reply(200, associationsAnswer(contactsFor(asked.slice(0, 100))));
    contactsRead(2);
    owners();

    const read = await buildCrm(db).getAccounts(asked);

    expect(broken.isDone()).toBe(true);
    expect(ok.isDone()).toBe(true);
    expect(asked.slice(0, 100).every((id) => signalsOf(read.get(id)).account.accountId === id)).toBe(true);
    const failed = asked.slice(100).map((id) => read.get(id));
    expect(failed.every((v) => v instanceof CrmError && v.code === 'CRM_UNAVAILABLE')).toBe(true);
  });

  it('when a batch read meets a 429 TEN_SECONDLY_ROLLING, then it waits and goes again, and every company is read', async () => {
    const waits: number[] = [];
    const limited = nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'), { 'Retry-After': '1' });
    const ok = companiesRead(() => true);
    nock(API).post('/crm/v4/associations/companies/contacts/batch/read').reply(200, associationsAnswer(contactsFor(['1', '2'])));
    contactsRead();
    owners();

    const read = await buildCrm(db, {}, waits).getAccounts(['1', '2']);

    expect(limited.isDone() && ok.isDone()).toBe(true);
    expect(waits).toContain(1000);
    expect([...read.values()].map((v) => signalsOf(v).account.accountId)).toEqual(['1', '2']);
  });

  it('when the contacts of the companies cannot be read (timeout), then those companies come back as the timeout, not as companies without contacts', async () => {
    companiesRead(() => true);
    nock(API).post('/crm/v4/associations/companies/contacts/batch/read').reply(200, associationsAnswer(contactsFor(['1', '2'])));
    nock(API).post('/crm/v3/objects/contacts/batch/read').query(true).times(3).delay(800).reply(200, batchAnswer([]));
    owners();

    const read = await buildCrm(db).getAccounts(['1', '2']);

    expect([...read.values()].map((v) => (v instanceof CrmError ? v.code : 'read'))).toEqual(['CRM_TIMEOUT', 'CRM_TIMEOUT']);
  });

  it('when HubSpot answers 429 DAILY, then getAccounts throws the stop instead of answering per company', async () => {
    nock(API).post('/crm/v3/objects/companies/batch/read').query(true).reply(429, rateLimitBody('DAILY'));

    const error = await buildCrm(db).getAccounts(['1', '2']).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CrmError);
    expect((error as CrmError).code).toBe('CRM_DAILY_LIMIT');
  });
});
