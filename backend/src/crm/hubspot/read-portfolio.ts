import type { Client } from '@hubspot/api-client';
import type { Owner } from '../../domain/types';
import { CrmError } from '../errors';
import type { AccountPage, AccountSignals } from '../port';
import { BATCH_LIMIT } from './batch-writes';
import { companyProperties, contactProperties, type HubSpotFieldMap } from './field-map';
import { toAccountSignals, type HsRecord } from './map-records';

// The scan's read path: companies 100 per list call, their contacts through v4 association
// batch reads (1,000 companies per call) and contact batch reads (100 per call), owner names
// from one cached listing. Never one request per record.

const ASSOCIATION_READ_LIMIT = 1000;
const OWNERS_PAGE = 500;
const OWNERS_TTL_MS = 60 * 60 * 1000;

export type Call = <T>(what: string, run: (client: Client) => Promise<T>) => Promise<T>;

interface Cursor {
  v: 1;
  after: string | null;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string | null): Cursor {
  if (!raw) return { v: 1, after: null };
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (c.v === 1 && (c.after === null || typeof c.after === 'string')) return c;
  } catch {
    // fall through
  }
  throw new CrmError('CRM_REJECTED', 'this scan checkpoint was not written by the HubSpot adapter');
}

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export class PortfolioReader {
  private owners: { loadedAt: number; map: Promise<Map<string, Owner>> } | null = null;

  constructor(
    private readonly call: Call,
    private readonly map: HubSpotFieldMap,
  ) {}

  async readPage(cursor: string | null, limit: number): Promise<AccountPage> {
    let { after } = decodeCursor(cursor);
    const companies: HsRecord[] = [];
    const properties = companyProperties(this.map);
    do {
      const want = Math.min(BATCH_LIMIT, limit - companies.length);
      const at = after ?? undefined;
      const res = await this.call('list companies', (c) => c.crm.companies.basicApi.getPage(want, at, properties, undefined, undefined, false));
      companies.push(...(res.results as unknown as HsRecord[]));
      after = res.paging?.next?.after ?? null;
    } while (after && companies.length < limit);
    return { items: await this.withContacts(companies), nextCursor: after ? encodeCursor({ v: 1, after }) : null };
  }

  async withContacts(companies: HsRecord[]): Promise<AccountSignals[]> {
    if (companies.length === 0) return [];
    const [owners, contactIdsOf] = await Promise.all([this.loadOwners(), this.contactIdsOf(companies.map((c) => c.id))]);
    const allIds = [...new Set([...contactIdsOf.values()].flat())];
    const properties = contactProperties(this.map);
    const pages = await Promise.all(
      chunk(allIds, BATCH_LIMIT).map((ids) => this.call('read contacts', (c) => c.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false))),
    );
    const contacts = new Map<string, HsRecord>();
    for (const p of pages) for (const r of p.results) contacts.set(r.id, r as unknown as HsRecord);
    return companies.map((company) => {
      const mine = (contactIdsOf.get(company.id) ?? []).map((id) => contacts.get(id)).filter((c): c is HsRecord => !!c);
      return toAccountSignals(company, mine, owners, this.map);
    });
  }

  /** v4 association batch reads, 1,000 companies per call, following per-company paging. */
  private async contactIdsOf(companyIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(companyIds.map((id) => [id, []]));
    let inputs: Array<{ id: string; after?: string }> = companyIds.map((id) => ({ id }));
    while (inputs.length) {
      const answers = await Promise.all(chunk(inputs, ASSOCIATION_READ_LIMIT).map((part) => this.call('read company contacts', (c) => c.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: part }))));
      const more: Array<{ id: string; after: string }> = [];
      for (const answer of answers) {
        for (const r of answer.results) {
          const from = String(r._from.id);
          out.get(from)?.push(...r.to.map((t) => String(t.toObjectId)));
          const after = r.paging?.next?.after;
          if (after) more.push({ id: from, after });
        }
      }
      inputs = more;
    }
    return out;
  }

  /** Owners change rarely and a scan needs them all: one listing, kept for an hour. */
  private loadOwners(): Promise<Map<string, Owner>> {
    if (!this.owners || Date.now() - this.owners.loadedAt > OWNERS_TTL_MS) {
      const map = (async () => {
        const owners = new Map<string, Owner>();
        let after: string | undefined;
        do {
          const page = await this.call('list owners', (c) => c.crm.owners.ownersApi.getPage(undefined, after, OWNERS_PAGE, false));
          for (const o of page.results) {
            const name = [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || o.id;
            owners.set(String(o.id), { ownerId: String(o.id), name, email: o.email ?? null });
          }
          after = page.paging?.next?.after;
        } while (after);
        return owners;
      })();
      const entry = { loadedAt: Date.now(), map };
      this.owners = entry;
      // A failed load is tried again next time rather than cached.
      map.catch(() => {
        if (this.owners === entry) this.owners = null;
      });
    }
    return this.owners.map;
  }

}
