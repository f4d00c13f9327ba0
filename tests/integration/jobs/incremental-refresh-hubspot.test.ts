import { HubSpotCrm } from '../../../backend/src/crm/hubspot/hubspot-crm';
import { PortalLimiter } from '../../../backend/src/crm/hubspot/portal-limiter';
import { staticToken } from '../../../backend/src/crm/hubspot/token-store';
import { refreshPortfolio } from '../../../backend/src/jobs/refresh-portfolio';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import type { Store } from '../../../backend/src/store/store-port';
import { startHubSpotStub, type HubSpotStub } from '../../../bench/support/hubspot-stub';
import { defaultCriteria } from '../../support/builders';
import { openTestDb } from '../../support/store';

// The daily refresh through the HubSpot adapter on the HubSpot stub: the next day it finds what
// changed with the CRM search (companies and contacts modified since the last refresh, paged by
// id), leaves out the companies whose only change was the app's own write-back, and reads just
// those accounts with batch calls; every request is counted by the stub.

const PORTAL = 'hubspot:test';
const DAY1 = '2026-11-24';
const DAY2 = '2026-11-25';

describe('the incremental daily refresh on HubSpot', () => {
  let db: Db;
  let store: Store;
  let stub: HubSpotStub;
  let clock = Date.parse(`${DAY1}T06:00:00.000Z`);
  const kinds = () => ({ ...stub.stats.byKind });
  const delta = (before: Record<string, number>) => Object.fromEntries(Object.entries(stub.stats.byKind).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));

  beforeAll(async () => {
    stub = await startHubSpotStub({ companies: 30, scale: 100, clock: () => clock });
    db = await openTestDb('pglite');
    store = createStore(db);
  });
  afterAll(async () => {
    await db.close();
    stub.server.close();
  });

  test('when a company and a contact changed since the day before, then only their accounts are read, by search and batch reads, never the portfolio (those whose only change is their ask here are judged from stored signals)', async () => {
    const crm = new HubSpotCrm({
      portalId: PORTAL,
      db,
      auth: staticToken('test-token'),
      basePath: stub.url,
      limiter: new PortalLimiter({ perWindow: 190, windowMs: stub.windowMs, maxConcurrent: 4, marginShare: 0 }),
      prefetch: false,
      sleep: async () => undefined,
    });
    const deps = { store, crm, criteria: defaultCriteria(), portalId: PORTAL, now: () => new Date(clock), fullEveryDays: 7, overlapMinutes: 15 };

    const first = await refreshPortfolio(deps, { asOf: DAY1 });
    expect(first.mode).toBe('full');
    expect(first.summary.evaluated).toBe(30);
    expect(stub.stats.records.companyUpdates).toBe(30);

    // Users change company 3's health and a contact of company 7 in the afternoon.
    clock = Date.parse(`${DAY1}T15:00:00.000Z`);
    stub.edit.company(3, { health_score: '41' });
    stub.edit.contact(stub.idsOf(7).contactIds[0], { nps_score: '2', nps_date: DAY1 });
    clock = Date.parse(`${DAY2}T06:00:00.000Z`);

    const before = kinds();
    const companiesReadBefore = stub.stats.records.companiesRead;
    const next = await refreshPortfolio(deps, { asOf: DAY2 });
    expect(next.mode).toBe('incremental');
    // All 30 companies were modified by yesterday's write-back: only the two real changes count.
    expect(next.selected?.crmChanged).toBe(2);
    const calls = delta(before);
    expect(calls['GET /crm/v3/objects/companies']).toBeUndefined();
    expect(calls['POST /crm/v3/objects/companies/search']).toBe(1);
    expect(calls['POST /crm/v3/objects/contacts/search']).toBe(1);
    expect(calls['POST /crm/v4/associations/contacts/companies/batch/read']).toBe(1);
    expect(calls['POST /crm/v3/objects/companies/batch/read']).toBe(1);
    // Only the two changed companies are read; the others (their own asks changed here) are judged from stored signals.
    expect(stub.stats.records.companiesRead - companiesReadBefore).toBe(2);
    expect(next.judgedFromStore).toBe(next.selected!.total - 2);
    const evaluated = new Set<string>();
    for await (const page of store.evaluations.decisionsOfRun(PORTAL, next.runKey)) for (const d of page) evaluated.add(d.evaluation.accountId);
    expect(evaluated.has(stub.idsOf(3).companyId)).toBe(true);
    expect(evaluated.has(stub.idsOf(7).companyId)).toBe(true);
    expect(evaluated.size).toBe(next.selected!.total);
    expect(evaluated.size).toBeLessThan(30);
  });
});

describe('the HubSpot stub search', () => {
  let stub: HubSpotStub;
  beforeAll(async () => {
    stub = await startHubSpotStub({ companies: 10_500, scale: 1000 });
  });
  afterAll(() => stub.server.close());
  const search = (body: unknown) => fetch(`${stub.url}/crm/v3/objects/companies/search`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('when a query pages past 10,000 results or asks more than 200 a page, then it is refused as HubSpot refuses it; paging by id stays under the cap', async () => {
    expect((await search({ limit: 200, after: 9900 })).status).toBe(400);
    expect((await search({ limit: 201 })).status).toBe(400);
    const byId = await search({ limit: 200, sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: String(1_000_000 + 10_399) }] }] });
    const body = (await byId.json()) as { total: number; results: Array<{ id: string }> };
    expect(byId.status).toBe(200);
    expect(body.total).toBe(100);
    expect(body.results[0].id).toBe(String(1_000_000 + 10_400));
  });
});
