import type { Client } from '@hubspot/api-client';
import { CrmError } from '../errors';
import type { Deal } from '../port';
import type { HubSpotFieldMap } from './field-map';
import { toDeal, type HsRecord } from './map-records';

// Closed deals in a date range, for the reference KPIs. This is the one read that needs the
// search API: 200 results a call, at most 5 calls a second per account, and no more than 10,000
// results per query. Paging by `hs_object_id > last id` (a fresh query each time) instead of the
// `after` token keeps every query far below that cap, whatever the number of deals.

export const SEARCH_PAGE = 200;
const SEARCH_SPACING_MS = 220; // just over 1/5 s

export const DEAL_PROPERTIES = ['dealname', 'amount', 'dealstage', 'closedate', 'hs_is_closed_won', 'hs_is_closed', 'hubspot_owner_id'];

type Call = <T>(what: string, run: (client: Client) => Promise<T>) => Promise<T>;

export class ClosedDealReader {
  private nextSearchAt = 0;

  constructor(
    private readonly call: Call,
    private readonly map: HubSpotFieldMap,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  async page({ from, to, cursor, limit }: { from: string; to: string; cursor: string | null; limit: number }): Promise<{ items: Deal[]; nextCursor: string | null }> {
    if (cursor !== null && !/^\d+$/.test(cursor)) throw new CrmError('CRM_REJECTED', `not a closed-deals cursor: ${cursor}`);
    const size = Math.max(1, Math.min(SEARCH_PAGE, limit));
    await this.searchSlot();
    const request = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_is_closed', operator: 'EQ', value: 'true' },
            { propertyName: 'closedate', operator: 'GTE', value: String(Date.parse(`${from}T00:00:00.000Z`)) },
            { propertyName: 'closedate', operator: 'LTE', value: String(Date.parse(`${to}T23:59:59.999Z`)) },
            { propertyName: 'hs_object_id', operator: 'GT', value: cursor ?? '0' },
          ],
        },
      ],
      // The SDK types sorts as strings; HubSpot takes {propertyName, direction}.
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[],
      properties: DEAL_PROPERTIES,
      limit: size,
    };
    const res = await this.call('search closed deals', (c) => c.crm.deals.searchApi.doSearch(request as never));
    const results = res.results as unknown as HsRecord[];
    const items = results.map((d) => toDeal(d, null, null, this.map)).filter((d) => d.stage !== 'open');
    const full = results.length === size && (res.total ?? 0) > results.length;
    return { items, nextCursor: full ? results[results.length - 1].id : null };
  }

  /** HubSpot's search limit is per account and separate from the 10-second one. */
  private async searchSlot(): Promise<void> {
    const now = this.now();
    const wait = this.nextSearchAt - now;
    this.nextSearchAt = Math.max(now, this.nextSearchAt) + SEARCH_SPACING_MS;
    if (wait > 0) await this.sleep(wait);
  }
}
