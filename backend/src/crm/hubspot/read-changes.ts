import type { Client } from '@hubspot/api-client';
import type { ChangedAccount } from '../port';

// What changed in HubSpot since a time, for the incremental daily refresh: companies whose
// hs_lastmodifieddate is at or after it, and the companies of contacts whose own is (a contact's
// NPS or title changes the company's decision, and does not touch the company record). The
// search API answers 200 records a call, 5 calls a second per account, and never more than
// 10,000 results per query: each page is a fresh query for `hs_object_id > last id`, sorted by
// id, so no query nears that cap however much changed. Contacts lead to their companies through
// v4 association batch reads (1,000 contacts per call).

const SEARCH_PAGE = 200;
const SEARCH_SPACING_MS = 220; // just over 1/5 s
const ASSOCIATION_READ_LIMIT = 1000;

type Call = <T>(what: string, run: (client: Client) => Promise<T>) => Promise<T>;

interface SearchAnswer {
  total?: number;
  results: Array<{ id: string; properties: Record<string, string | null | undefined> }>;
}

export class ChangeReader {
  private nextSearchAt = 0;

  constructor(
    private readonly call: Call,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  async changedSince(since: string): Promise<ChangedAccount[]> {
    const fromMs = Date.parse(since);
    const out = new Map<string, string | null>();
    for (const c of await this.search('companies', fromMs)) out.set(c.id, c.modifiedAt);
    const contactIds = (await this.search('contacts', fromMs)).map((c) => c.id);
    // A company named through a changed contact has no modification of its own to compare: always re-read.
    for (const companyId of await this.companiesOf(contactIds)) out.set(companyId, null);
    return [...out].map(([accountId, modifiedAt]) => ({ accountId, modifiedAt }));
  }

  private async search(objectType: 'companies' | 'contacts', fromMs: number): Promise<Array<{ id: string; modifiedAt: string | null }>> {
    const found: Array<{ id: string; modifiedAt: string | null }> = [];
    let last = '0';
    for (;;) {
      await this.searchSlot();
      const request = {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(fromMs) },
              { propertyName: 'hs_object_id', operator: 'GT', value: last },
            ],
          },
        ],
        // The SDK types sorts as strings; HubSpot takes {propertyName, direction}.
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[],
        properties: ['hs_object_id', 'hs_lastmodifieddate'],
        limit: SEARCH_PAGE,
      };
      const api = objectType === 'companies' ? 'search changed companies' : 'search changed contacts';
      const res = (await this.call(api, (c) => (objectType === 'companies' ? c.crm.companies.searchApi.doSearch(request as never) : c.crm.contacts.searchApi.doSearch(request as never)))) as unknown as SearchAnswer;
      for (const r of res.results) {
        const raw = r.properties.hs_lastmodifieddate;
        const at = raw ? new Date(/^\d+$/.test(raw) ? Number(raw) : raw) : null;
        found.push({ id: String(r.id), modifiedAt: at && !Number.isNaN(at.getTime()) ? at.toISOString() : null });
      }
      if (res.results.length < SEARCH_PAGE || (res.total ?? 0) <= res.results.length) return found;
      last = String(res.results[res.results.length - 1].id);
    }
  }

  private async companiesOf(contactIds: string[]): Promise<string[]> {
    const companies = new Set<string>();
    let inputs: Array<{ id: string; after?: string }> = contactIds.map((id) => ({ id }));
    while (inputs.length) {
      const more: Array<{ id: string; after: string }> = [];
      for (let i = 0; i < inputs.length; i += ASSOCIATION_READ_LIMIT) {
        const part = inputs.slice(i, i + ASSOCIATION_READ_LIMIT);
        const answer = await this.call('read contact companies', (c) => c.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: part }));
        for (const r of answer.results) {
          for (const t of r.to) companies.add(String(t.toObjectId));
          const after = r.paging?.next?.after;
          if (after) more.push({ id: String(r._from.id), after });
        }
      }
      inputs = more;
    }
    return [...companies];
  }

  /** HubSpot's search limit is per account and separate from the 10-second one. */
  private async searchSlot(): Promise<void> {
    const now = this.now();
    const wait = this.nextSearchAt - now;
    this.nextSearchAt = Math.max(now, this.nextSearchAt) + SEARCH_SPACING_MS;
    if (wait > 0) await this.sleep(wait);
  }
}
