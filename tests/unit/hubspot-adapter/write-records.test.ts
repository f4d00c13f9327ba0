import nock from 'nock';
import type { CrmTask } from '../../../backend/src/crm/port';
import { CrmError } from '../../../backend/src/crm/errors';
import type { Db } from '../../../backend/src/store/db';
import { buildAsk, buildConsent } from '../../support/builders';
import { API, AT, batchAnswer, buildCrm, errorBody, rateLimitBody, useNockedStore } from './hubspot-fixtures';

const task = (k: number, extra: Partial<CrmTask> = {}): CrmTask => ({
  idempotencyKey: `task:ask-${k}`,
  kind: 'ask',
  ownerId: '71',
  accountId: '1000',
  contactId: '5000',
  dealId: null,
  subject: `Advocacy ask ${k}`,
  body: 'Proposed ask: quote',
  dueOn: '2026-11-29',
  ...extra,
});

type TaskInput = { objectWriteTraceId: string; properties: Record<string, string>; associations: Array<{ to: { id: string }; types: Array<{ associationCategory: string; associationTypeId: number }> }> };
const created = (inputs: TaskInput[], prefix = 9) => inputs.map((i, k) => ({ id: `${prefix}${String(k).padStart(4, '0')}`, properties: { hs_task_subject: i.properties.hs_task_subject }, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT, archived: false }));

describe('HubSpot adapter writes (nock against api.hubapi.com)', () => {
  let db: Db;
  useNockedStore((opened) => (db = opened));

  it('when 150 tasks are created, then they go in batches of 100 with the owner, due time, status and associations to company, contact and deal', async () => {
    const bodies: Array<{ inputs: TaskInput[] }> = [];
    const scope = nock(API)
      .post('/crm/v3/objects/tasks/batch/create', (b) => bodies.push(b) > 0)
      .times(2)
      .reply(201, (_u, body) => batchAnswer(created((body as { inputs: TaskInput[] }).inputs, bodies.length)));
    const crm = buildCrm(db);
    const tasks = Array.from({ length: 150 }, (_, k) => task(k, k === 0 ? { dealId: '8001', kind: 'reference_request' } : k === 1 ? { contactId: null, kind: 'handoff' } : {}));

    const results = await crm.createTasks(tasks);

    expect(scope.isDone()).toBe(true);
    expect(bodies.map((b) => b.inputs.length).sort()).toEqual([100, 50]);
    const all = bodies.flatMap((b) => b.inputs);
    const first = all.find((i) => i.objectWriteTraceId === 'task:ask-0')!;
    expect(first.properties).toEqual({
      hs_task_subject: 'Advocacy ask 0',
      hs_task_body: 'Proposed ask: quote<br><br>[advocacy-loop task:ask-0]',
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: 'MEDIUM',
      hs_task_type: 'TODO',
      hs_timestamp: '2026-11-29T12:00:00.000Z',
      hubspot_owner_id: '71',
    });
    expect(first.associations).toEqual([
      { to: { id: '1000' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] },
      { to: { id: '5000' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
      { to: { id: '8001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 216 }] },
    ]);
    const handoff = all.find((i) => i.objectWriteTraceId === 'task:ask-1')!;
    expect(handoff.properties.hs_task_priority).toBe('HIGH');
    expect(handoff.associations.map((a) => a.types[0].associationTypeId)).toEqual([192]);
    expect(results).toHaveLength(150);
    expect(results.every((r) => 'taskId' in r)).toBe(true);
    expect(new Set(results.map((r) => (r as { taskId: string }).taskId)).size).toBe(150);
  });

  it('when the same idempotency keys come again (a retried relay, a restart), then no second task is created', async () => {
    const scope = nock(API).post('/crm/v3/objects/tasks/batch/create').reply(201, (_u, body) => batchAnswer(created((body as { inputs: TaskInput[] }).inputs, 7)));
    const crm = buildCrm(db, { portalId: 'portal-idem' });
    const first = await crm.createTasks([task(1), task(2), task(1)]);
    expect(scope.isDone()).toBe(true);
    expect(first[0]).toEqual(first[2]);

    // A new adapter instance (as after a restart): the map lives in the database.
    const again = await buildCrm(db, { portalId: 'portal-idem' }).createTasks([task(2), task(1)]);
    expect(again).toEqual([first[1], first[0]]);
    expect(nock.pendingMocks()).toEqual([]);
    await expect(buildCrm(db, { portalId: 'portal-idem' }).createTask(task(1))).resolves.toEqual(first[0]);
  });

  it('when the daily limit hits after one batch was created, then that batch is remembered and the resumed relay sends only the rest', async () => {
    const sent: number[] = [];
    nock(API)
      .post('/crm/v3/objects/tasks/batch/create')
      .times(2)
      .reply((_u, body) => {
        const inputs = (body as { inputs: TaskInput[] }).inputs;
        sent.push(inputs.length);
        return inputs.length === 100 ? [201, batchAnswer(created(inputs, 5))] : [429, rateLimitBody('DAILY')];
      });
    const tasks = Array.from({ length: 150 }, (_, k) => task(500 + k));
    const error = await buildCrm(db, { portalId: 'portal-daily' }).createTasks(tasks).catch((e) => e);
    expect(error.code).toBe('CRM_DAILY_LIMIT');
    expect(sent.sort()).toEqual([100, 50]);

    const resumed: TaskInput[][] = [];
    const scope = nock(API)
      .post('/crm/v3/objects/tasks/batch/create', (b) => resumed.push(b.inputs) > 0)
      .reply(201, (_u, body) => batchAnswer(created((body as { inputs: TaskInput[] }).inputs, 6)));
    const results = await buildCrm(db, { portalId: 'portal-daily' }).createTasks(tasks);
    expect(scope.isDone()).toBe(true);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toHaveLength(50);
    expect(results.every((r) => 'taskId' in r)).toBe(true);
    expect(new Set(results.map((r) => (r as { taskId: string }).taskId)).size).toBe(150);
  });

  it('when HubSpot refuses some tasks of a batch (207), then those come back as errors and the others as created', async () => {
    const scope = nock(API)
      .post('/crm/v3/objects/tasks/batch/create')
      .reply(207, (_u, body) => {
        const inputs = (body as { inputs: TaskInput[] }).inputs;
        return batchAnswer(created(inputs.filter((i) => i.objectWriteTraceId !== 'task:ask-32'), 3), {
          numErrors: 1,
          errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: '99 is not a valid owner id', context: { objectWriteTraceId: ['task:ask-32'] } }],
        });
      });
    const results = await buildCrm(db, { portalId: 'portal-207' }).createTasks([task(31), task(32, { ownerId: '99' }), task(33)]);
    expect(scope.isDone()).toBe(true);
    expect(results[0]).toHaveProperty('taskId');
    expect(results[1]).toEqual({ error: 'VALIDATION_ERROR: 99 is not a valid owner id' });
    expect(results[2]).toHaveProperty('taskId');
  });

  it('when HubSpot refuses a whole batch for one bad record (400), then the batch is split until the bad record stands alone', async () => {
    const sizes: number[] = [];
    const scope = nock(API)
      .post('/crm/v3/objects/tasks/batch/create')
      .times(5)
      .reply((_u, body) => {
        const inputs = (body as { inputs: TaskInput[] }).inputs;
        sizes.push(inputs.length);
        if (inputs.some((i) => i.properties.hubspot_owner_id === '99')) return [400, errorBody(400, 'VALIDATION_ERROR', 'Property values were not valid: owner 99')];
        return [201, batchAnswer(created(inputs, sizes.length))];
      });
    const tasks = [task(41), task(42), task(43, { ownerId: '99' }), task(44)];
    const results = await buildCrm(db, { portalId: 'portal-400' }).createTasks(tasks);
    expect(scope.isDone()).toBe(true);
    expect(sizes).toEqual([4, 2, 2, 1, 1]);
    expect(results.map((r) => ('error' in r ? 'error' : 'ok'))).toEqual(['ok', 'ok', 'error', 'ok']);
    expect((results[2] as { error: string }).error).toMatch(/400 VALIDATION_ERROR/);
  });

  it('when asks are saved with the custom object, then new ones are created with associations and known ones updated by id', async () => {
    const createBodies: unknown[] = [];
    const create = nock(API)
      .post('/crm/v3/objects/2-123456/batch/create', (b) => createBodies.push(b) > 0)
      .reply(201, (_u, body) => batchAnswer((body as { inputs: Array<{ objectWriteTraceId: string; properties: Record<string, string> }> }).inputs.map((i, k) => ({ id: `77${k}`, properties: i.properties, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT }))));
    const updateBodies: unknown[] = [];
    const update = nock(API)
      .post('/crm/v3/objects/2-123456/batch/update', (b) => updateBodies.push(b) > 0)
      .reply(200, batchAnswer([{ id: '555', properties: {}, objectWriteTraceId: 'ask-old', createdAt: AT, updatedAt: AT }]));
    const fresh = buildAsk({ askId: 'ask-new', accountId: '1000', contactId: '5000', dealId: null, status: 'proposed', proposedAt: '2026-11-24T09:00:00.000Z', sentAt: null, acceptedAt: null, completedAt: null });
    const known = { ...buildAsk({ askId: 'ask-old', accountId: '1000', status: 'completed', completedAt: '2026-11-20T10:00:00.000Z' }), crmAskId: '555' };
    const consent = buildConsent({ scope: 'quote', grantedOn: '2026-11-20', evidence: 'email of 2026-11-20', expiresOn: null });

    const results = await buildCrm(db).saveAsks([
      { ask: fresh, outcomeNote: null, consent: null },
      { ask: known, outcomeNote: 'Quote approved for the website', consent },
    ]);

    expect(create.isDone() && update.isDone()).toBe(true);
    expect(results).toEqual([{ crmAskId: '770' }, { crmAskId: '555' }]);
    expect(createBodies).toEqual([
      {
        inputs: [
          {
            objectWriteTraceId: 'ask-new',
            properties: { ask_name: 'quote - ask-new', ask_id: 'ask-new', ask_type: 'quote', status: 'proposed', proposed_date: '2026-11-24' },
            associations: [
              { to: { id: '1000' }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: 31 }] },
              { to: { id: '5000' }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: 33 }] },
            ],
          },
        ],
      },
    ]);
    expect(updateBodies).toEqual([
      {
        inputs: [
          {
            id: '555',
            objectWriteTraceId: 'ask-old',
            properties: expect.objectContaining({ status: 'completed', outcome: 'Quote approved for the website', outcome_date: '2026-11-20', consent_scope: 'quote', consent_evidence: 'email of 2026-11-20', consent_date: '2026-11-20' }),
          },
        ],
      },
    ]);
  });

  it('when the adapter is not told the ask object, then it finds it once in the schema list and uses its association ids', async () => {
    const schemas = nock(API)
      .get('/crm-object-schemas/v3/schemas')
      .query({ archived: 'false' })
      .reply(200, {
        results: [
          { id: '1', objectTypeId: '2-999', name: 'other_thing', labels: { singular: 'Other', plural: 'Others' }, requiredProperties: [], properties: [], associations: [], createdAt: AT, updatedAt: AT },
          {
            id: '2',
            objectTypeId: '2-424242',
            name: 'advocacy_ask',
            fullyQualifiedName: 'p1234_advocacy_ask',
            labels: { singular: 'Advocacy Ask', plural: 'Advocacy Asks' },
            requiredProperties: ['ask_name'],
            properties: [],
            associations: [
              { id: '61', fromObjectTypeId: '2-424242', toObjectTypeId: '0-2', name: 'advocacy_ask_to_company' },
              { id: '62', fromObjectTypeId: '0-2', toObjectTypeId: '2-424242', name: 'company_to_advocacy_ask' },
              { id: '63', fromObjectTypeId: '2-424242', toObjectTypeId: '0-1', name: 'advocacy_ask_to_contact' },
            ],
            createdAt: AT,
            updatedAt: AT,
          },
        ],
      });
    const bodies: Array<{ inputs: Array<{ associations: unknown[] }> }> = [];
    const create = nock(API)
      .post('/crm/v3/objects/2-424242/batch/create', (b) => bodies.push(b) > 0)
      .times(2)
      .reply(201, (_u, body) => batchAnswer((body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs.map((i, k) => ({ id: `88${k}`, properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT }))));
    const crm = buildCrm(db, { askObject: null });

    await crm.saveAsks([{ ask: buildAsk({ askId: 'ask-r1', accountId: '1000', contactId: '5000', dealId: '8001' }) }]);
    await crm.saveAsks([{ ask: buildAsk({ askId: 'ask-r2', accountId: '1001', contactId: null }) }]);

    expect(schemas.isDone() && create.isDone()).toBe(true);
    expect(bodies[0].inputs[0].associations).toEqual([
      { to: { id: '1000' }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: 61 }] },
      { to: { id: '5000' }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: 63 }] },
    ]);
  });

  it('when the portal has no ask object, then saving an ask says to run setup', async () => {
    nock(API).get('/crm-object-schemas/v3/schemas').query(true).reply(200, { results: [] });
    const error = await buildCrm(db, { askObject: null }).saveAsk(buildAsk()).catch((e) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.message).toMatch(/advocacy setup hubspot/);
  });

  it('when an ask was already created by a run that died before recording it, then the create is refused as a duplicate and the ask is upserted by ask_id', async () => {
    const create = nock(API).post('/crm/v3/objects/2-123456/batch/create').reply(400, errorBody(400, 'VALIDATION_ERROR', 'ask-dup already has that value for unique property ask_id'));
    const upsertBodies: unknown[] = [];
    const upsert = nock(API)
      .post('/crm/v3/objects/2-123456/batch/upsert', (b) => upsertBodies.push(b) > 0)
      .reply(200, batchAnswer([{ id: '901', new: false, properties: { ask_id: 'ask-dup' }, objectWriteTraceId: 'ask-dup', createdAt: AT, updatedAt: AT }]));
    const results = await buildCrm(db).saveAsks([{ ask: buildAsk({ askId: 'ask-dup' }) }]);
    expect(create.isDone() && upsert.isDone()).toBe(true);
    expect(results).toEqual([{ crmAskId: '901' }]);
    expect(upsertBodies).toEqual([{ inputs: [expect.objectContaining({ id: 'ask-dup', idProperty: 'ask_id', objectWriteTraceId: 'ask-dup' })] }]);
  });

  it('when the portal has no custom objects (notes mode), then an ask becomes a note on the company, contact and deal, and a later save updates that note', async () => {
    const noteBodies: Array<{ inputs: Array<{ properties: Record<string, string>; associations: unknown[]; objectWriteTraceId: string }> }> = [];
    const create = nock(API)
      .post('/crm/v3/objects/notes/batch/create', (b) => noteBodies.push(b) > 0)
      .reply(201, (_u, body) => batchAnswer((body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs.map((i) => ({ id: '4401', properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT }))));
    const crm = buildCrm(db, { mode: 'notes', askObject: null, portalId: 'portal-notes' });
    const ask = buildAsk({ askId: 'ask-n1', accountId: '1000', contactId: '5000', dealId: '8001', askType: 'case_study', proposedAt: '2026-11-24T09:00:00.000Z' });

    await expect(crm.saveAsk(ask)).resolves.toEqual({ crmAskId: '4401' });
    expect(create.isDone()).toBe(true);
    const input = noteBodies[0].inputs[0];
    expect(input.properties.hs_timestamp).toBe('2026-11-24T09:00:00.000Z');
    expect(input.properties.hs_note_body).toContain('Advocacy ask: case study');
    expect(input.associations).toEqual([
      { to: { id: '1000' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 190 }] },
      { to: { id: '5000' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
      { to: { id: '8001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 214 }] },
    ]);

    const updateBodies: unknown[] = [];
    const update = nock(API)
      .post('/crm/v3/objects/notes/batch/update', (b) => updateBodies.push(b) > 0)
      .reply(200, batchAnswer([{ id: '4401', properties: {}, objectWriteTraceId: 'ask-n1', createdAt: AT, updatedAt: AT }]));
    await expect(crm.saveAsk({ ...ask, status: 'accepted', acceptedAt: '2026-11-25T09:00:00.000Z' }, { outcomeNote: 'Yes <gladly>' })).resolves.toEqual({ crmAskId: '4401' });
    expect(update.isDone()).toBe(true);
    expect(JSON.stringify(updateBodies)).toContain('Outcome: Yes &lt;gladly&gt;');
  });

  it('when readiness is written back, then companies are updated 100 a call with the four properties and blanks clear a value', async () => {
    const bodies: Array<{ inputs: Array<{ id: string; properties: Record<string, string> }> }> = [];
    const scope = nock(API)
      .post('/crm/v3/objects/companies/batch/update', (b) => bodies.push(b) > 0)
      .times(2)
      .reply(200, (_u, body) => batchAnswer((body as { inputs: Array<{ id: string; objectWriteTraceId: string }> }).inputs.map((i) => ({ id: i.id, properties: {}, objectWriteTraceId: i.objectWriteTraceId, createdAt: AT, updatedAt: AT }))));
    const updates = Array.from({ length: 120 }, (_, k) => ({ accountId: String(1000 + k), readinessScore: k === 0 ? null : 81.5, band: k === 0 ? null : ('green' as const), advocacyStatus: 'candidate', lastAskDate: k === 0 ? null : '2026-11-24' }));
    await buildCrm(db).writeBack(updates);
    expect(scope.isDone()).toBe(true);
    expect(bodies.map((b) => b.inputs.length).sort()).toEqual([100, 20]);
    const all = bodies.flatMap((b) => b.inputs);
    expect(all.find((i) => i.id === '1000')!.properties).toEqual({ advocacy_readiness_score: '', advocacy_readiness_band: '', advocacy_status: 'candidate', advocacy_last_ask_date: '' });
    expect(all.find((i) => i.id === '1001')!.properties).toEqual({ advocacy_readiness_score: '81.5', advocacy_readiness_band: 'green', advocacy_status: 'candidate', advocacy_last_ask_date: '2026-11-24' });
  });

  it('when a write-back record is refused, then writeBack fails naming how many', async () => {
    nock(API)
      .post('/crm/v3/objects/companies/batch/update')
      .reply(207, batchAnswer([{ id: '1', properties: {}, objectWriteTraceId: '1', createdAt: AT, updatedAt: AT }], { numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found', context: { objectWriteTraceId: ['2'] } }] }));
    const error = await buildCrm(db)
      .writeBack([
        { accountId: '1', readinessScore: 50, band: 'amber', advocacyStatus: 'not_ready', lastAskDate: null },
        { accountId: '2', readinessScore: 50, band: 'amber', advocacyStatus: 'not_ready', lastAskDate: null },
      ])
      .catch((e) => e);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.message).toBe('HubSpot refused 1 of 2 company updates');
  });
});
