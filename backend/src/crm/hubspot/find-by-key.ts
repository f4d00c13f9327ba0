import type { Client } from '@hubspot/api-client';
import { escapeHtml } from '../field-encoding';
import { BATCH_LIMIT } from './batch-writes';

// Finds the tasks or notes an earlier, crashed attempt may have created, by the key written in
// their body. Not through the search API: it is eventually consistent (a record made seconds
// before the crash may not be indexed yet, which is exactly the record we look for) and limited
// to 5 requests/s. Instead the company's associated tasks or notes (v4 association batch read,
// consistent at once: the association is made in the same create call) are read in batches of
// 100 and their bodies checked for the key's marker. Only keys whose claim ran out unconfirmed
// are looked up, so this runs on the crash path alone.

const ASSOCIATION_READ_LIMIT = 1000;

export type Call = <T>(what: string, run: (client: Client) => Promise<T>) => Promise<T>;

/** What ends every task body, and what the lookup finds a task by. */
export const taskKeyMarker = (key: string) => `[advocacy-loop ${key}]`;

export interface KeyedRecord {
  key: string;
  /** The company the record was created on (associated in the create call). */
  companyId: string;
  /** Text the record's body holds, as stored (HTML-escaped). */
  marker: string;
}

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** The HTML-escaped form of a marker, as it sits in a HubSpot task or note body. */
export const htmlMarker = (text: string) => escapeHtml(text);

export async function findByKey(call: Call, objectType: 'tasks' | 'notes', bodyProperty: string, wanted: KeyedRecord[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (wanted.length === 0) return found;
  const byCompany = new Map<string, KeyedRecord[]>();
  for (const w of wanted) byCompany.set(w.companyId, [...(byCompany.get(w.companyId) ?? []), w]);
  // Company -> its tasks (or notes), following each company's paging.
  const recordsOf = new Map<string, string[]>();
  let inputs: Array<{ id: string; after?: string }> = [...byCompany.keys()].map((id) => ({ id }));
  while (inputs.length) {
    const answers = await Promise.all(chunk(inputs, ASSOCIATION_READ_LIMIT).map((part) => call(`read company ${objectType}`, (c) => c.crm.associations.v4.batchApi.getPage('companies', objectType, { inputs: part }))));
    const more: Array<{ id: string; after: string }> = [];
    for (const answer of answers) {
      for (const r of answer.results) {
        const from = String(r._from.id);
        recordsOf.set(from, [...(recordsOf.get(from) ?? []), ...r.to.map((t) => String(t.toObjectId))]);
        const after = r.paging?.next?.after;
        if (after) more.push({ id: from, after });
      }
    }
    inputs = more;
  }
  const ids = [...new Set([...recordsOf.values()].flat())];
  const bodies = new Map<string, string>();
  const pages = await Promise.all(
    chunk(ids, BATCH_LIMIT).map((part) => call(`read ${objectType}`, (c) => c.crm.objects.batchApi.read(objectType, { inputs: part.map((id) => ({ id })), properties: [bodyProperty], propertiesWithHistory: [] }, false))),
  );
  for (const p of pages) for (const r of p.results) bodies.set(r.id, String(r.properties?.[bodyProperty] ?? ''));
  for (const [companyId, records] of byCompany) {
    // Oldest first: were there ever two, the first one made is the one kept.
    const candidates = (recordsOf.get(companyId) ?? []).filter((id) => bodies.has(id)).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    for (const w of records) {
      const hit = candidates.find((id) => bodies.get(id)!.includes(w.marker));
      if (hit) found.set(w.key, hit);
    }
  }
  return found;
}
