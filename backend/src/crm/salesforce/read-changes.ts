import { CrmError } from '../errors';
import type { ChangedAccount, WrittenBack } from '../port';
import type { SfRecord } from './map-account';
import { SF_ID_SHAPE, sfId, soqlDateTime } from './soql';

// What changed in Salesforce since a time, for the incremental daily refresh: Accounts whose
// SystemModstamp is at or after it (indexed, and moved by every change, system ones included,
// where LastModifiedDate can lag), and the Accounts of Contacts whose own is (a contact's NPS
// or title changes its account's decision without touching the Account record). Each is one
// SOQL query in Id order, followed through its nextRecordsUrl (the REST form of queryMore).
//
// The app's own readiness write-back is told apart by its time, as on HubSpot: after each
// collection of updates the adapter reads back those Accounts' SystemModstamp (one query per
// 200), the scan keeps it per account (refresh_decisions.crm_written_at) and the refresh drops a
// listed Account not modified since. Not by LastModifiedById = the integration user: the same
// user's write-backs from Change Data Capture re-evaluations (use-cases/reevaluate-accounts,
// which the refresh does not see as change events) would hide the user edits those events
// carried, so the refresh would keep their old holds-until day.

export interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: SfRecord[];
}

/** One query page: a `/query?q=` url or a nextRecordsUrl. */
export type PageReader = (what: string, url: string) => Promise<QueryPage>;

export async function changedAccountsSince(page: PageReader, since: string): Promise<ChangedAccount[]> {
  const at = soqlDateTime(since);
  const out = new Map<string, string | null>();
  const accounts = `SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= ${at} ORDER BY Id`;
  for await (const r of records(page, 'query changed accounts', accounts)) out.set(String(r.Id), sfTime(r.SystemModstamp));
  const contacts = `SELECT Id, AccountId FROM Contact WHERE SystemModstamp >= ${at} AND AccountId != null ORDER BY Id`;
  // An account named through a changed contact has no modification of its own to compare: always re-read.
  for await (const r of records(page, 'query changed contacts', contacts)) if (r.AccountId) out.set(String(r.AccountId), null);
  return [...out].map(([accountId, modifiedAt]) => ({ accountId, modifiedAt }));
}

/** Salesforce's SystemModstamp of Accounts just written (one `Id IN` query, at most 200 ids). */
export async function modstampsOf(page: PageReader, accountIds: string[]): Promise<WrittenBack[]> {
  const ids = accountIds.filter((id) => SF_ID_SHAPE.test(id));
  if (!ids.length) return [];
  const soql = `SELECT Id, SystemModstamp FROM Account WHERE Id IN (${ids.map((id) => `'${sfId(id)}'`).join(', ')})`;
  const asked = (id: string) => ids.find((x) => x === id) ?? ids.find((x) => x.length === 15 && id.startsWith(x)) ?? null;
  const out: WrittenBack[] = [];
  for await (const r of records(page, 'query written accounts', soql)) {
    const accountId = asked(String(r.Id));
    const writtenAt = sfTime(r.SystemModstamp);
    if (accountId && writtenAt) out.push({ accountId, writtenAt });
  }
  return out;
}

/** Salesforce writes offsets as +0000; Date wants +00:00. */
function sfTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const at = new Date(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

async function* records(page: PageReader, what: string, soql: string): AsyncGenerator<SfRecord> {
  let url: string | null = `/query?q=${encodeURIComponent(soql)}`;
  while (url) {
    const answer = await page(what, url);
    yield* answer.records;
    if (!answer.done && !answer.nextRecordsUrl) throw new CrmError('CRM_REJECTED', `${what}: Salesforce said more records follow but gave no nextRecordsUrl; refusing to stop short`);
    url = answer.done ? null : answer.nextRecordsUrl!;
  }
}
