import nock from 'nock';
import type { Db } from '../../../backend/src/store/db';
import { buildClient } from '../../../backend/src/crm/hubspot/call-hubspot';
import { defaultHubSpotFieldMap } from '../../../backend/src/crm/hubspot/field-map';
import { ClosedDealReader } from '../../../backend/src/crm/hubspot/read-closed-deals';
import { API, AT, buildCrm, openTestDb } from './hubspot-fixtures';

// Closed deals for the reference KPIs: the only search the adapter makes.

const deal = (id: string, won: boolean, props: Record<string, string | null> = {}) => ({
  id,
  properties: { hs_object_id: id, dealname: `Deal ${id}`, amount: '42000', dealstage: won ? 'closedwon' : 'closedlost', closedate: '2026-10-20T15:00:00.000Z', hs_is_closed: 'true', hs_is_closed_won: won ? 'true' : 'false', hubspot_owner_id: '71', ...props },
  createdAt: AT,
  updatedAt: AT,
  archived: false,
});

describe('HubSpot closed deals', () => {
  let db: Db;
  beforeAll(async () => {
    nock.disableNetConnect();
    db = await openTestDb();
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await db.close();
  });

  it('when closed deals are listed, then each page is a fresh search after the last id, so no query nears the 10,000-result cap', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    const search = nock(API)
      .post('/crm/v3/objects/deals/search', (b) => bodies.push(b) > 0)
      .reply(200, { total: 3, results: [deal('101', true), deal('205', false)], paging: { next: { after: '2' } } })
      .post('/crm/v3/objects/deals/search', (b) => bodies.push(b) > 0)
      .reply(200, { total: 1, results: [deal('309', true, { amount: null })] });
    const crm = buildCrm(db, { sleep: async () => {} });

    const p1 = await crm.listClosedDeals({ from: '2026-06-01', to: '2026-11-24', cursor: null, limit: 2 });
    expect(p1.items).toEqual([expect.objectContaining({ dealId: '101', stage: 'won', amount: 42000, closeDate: '2026-10-20' }), expect.objectContaining({ dealId: '205', stage: 'lost' })]);
    expect(p1.nextCursor).toBe('205');
    const p2 = await crm.listClosedDeals({ from: '2026-06-01', to: '2026-11-24', cursor: p1.nextCursor, limit: 2 });
    expect(p2).toEqual({ items: [expect.objectContaining({ dealId: '309', stage: 'won', amount: null })], nextCursor: null });

    expect(search.isDone()).toBe(true);
    expect(bodies[0]).toEqual({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_is_closed', operator: 'EQ', value: 'true' },
            { propertyName: 'closedate', operator: 'GTE', value: String(Date.parse('2026-06-01T00:00:00.000Z')) },
            { propertyName: 'closedate', operator: 'LTE', value: String(Date.parse('2026-11-24T23:59:59.999Z')) },
            { propertyName: 'hs_object_id', operator: 'GT', value: '0' },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['dealname', 'amount', 'dealstage', 'closedate', 'hs_is_closed_won', 'hs_is_closed', 'hubspot_owner_id'],
      limit: 2,
    });
    expect((bodies[1].filterGroups as Array<{ filters: Array<{ propertyName: string; value: string }> }>)[0].filters[3]).toEqual({ propertyName: 'hs_object_id', operator: 'GT', value: '205' });
  });

  it('when searches follow each other, then each waits its turn under 5 per second', async () => {
    nock(API).post('/crm/v3/objects/deals/search').times(3).reply(200, { total: 0, results: [] });
    let clock = 1_000_000;
    const sleeps: number[] = [];
    const reader = new ClosedDealReader((what, run) => run(buildClient('pat-na1-test')), defaultHubSpotFieldMap(), async (ms) => void sleeps.push(ms), () => clock);
    const range = { from: '2026-06-01', to: '2026-11-24', cursor: null, limit: 200 };
    await reader.page(range);
    await reader.page(range); // at once: waits 220 ms
    clock += 1000; // a second later: no wait
    await reader.page(range);
    expect(sleeps).toEqual([220]);
  });

  it('when the cursor is not an id, then the call is refused before any request', async () => {
    await expect(buildCrm(db).listClosedDeals({ from: '2026-06-01', to: '2026-11-24', cursor: 'abc', limit: 200 })).rejects.toThrow(/not a closed-deals cursor/);
  });
});
