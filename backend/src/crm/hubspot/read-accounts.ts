import { CrmError } from '../errors';
import type { AccountsRead } from '../port';
import { BATCH_LIMIT } from './batch-writes';
import { companyProperties, type HubSpotFieldMap } from './field-map';
import type { HsRecord } from './map-records';
import type { Call, PortfolioReader } from './read-portfolio';

// Named companies read in batches (a webhook burst): companies batch read, 100 per call, then
// their contacts the way a scan page reads them (v4 association batch reads of 1,000, contact
// batch reads of 100). A company batch that fails (after call-hubspot's retries) fails only
// its own ids; a failed contact read fails the companies read with it. Either way the caller
// keeps their events and tries again later; a stop (daily limit, credentials) is thrown.

interface BatchReadAnswer {
  results: HsRecord[];
  errors?: Array<{ category?: string; context?: Record<string, string[] | undefined> }>;
}

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** HubSpot ids are positive integers; anything else names no company (and must not reach a batch, which would refuse all 100). */
const HUBSPOT_ID = /^[1-9]\d{0,18}$/;

const asCrmError = (error: unknown) => (error instanceof CrmError ? error : new CrmError('CRM_UNAVAILABLE', error instanceof Error ? error.message : String(error)));

export async function readAccounts(call: Call, reader: PortfolioReader, map: HubSpotFieldMap, accountIds: string[]): Promise<AccountsRead> {
  const ids = [...new Set(accountIds)];
  const out: AccountsRead = new Map(ids.map((id) => [id, null]));
  const valid = ids.filter((id) => HUBSPOT_ID.test(id));
  const properties = companyProperties(map);
  const answers = await Promise.allSettled(
    chunk(valid, BATCH_LIMIT).map(async (part) => ({
      part,
      answer: (await call('read companies', (c) => c.crm.companies.batchApi.read({ inputs: part.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false))) as unknown as BatchReadAnswer,
    })),
  );
  const found: HsRecord[] = [];
  const failures: CrmError[] = [];
  answers.forEach((settled, i) => {
    if (settled.status === 'rejected') {
      const error = asCrmError(settled.reason);
      failures.push(error);
      for (const id of chunk(valid, BATCH_LIMIT)[i]) out.set(id, error);
      return;
    }
    // 207: the ids HubSpot does not have come back as OBJECT_NOT_FOUND errors; they stay null.
    for (const record of settled.value.answer.results) if (out.has(String(record.id))) found.push(record);
  });
  const stop = failures.find((e) => e.stopsScan);
  if (stop) throw stop;
  if (found.length === 0) return out;
  try {
    for (const signals of await reader.withContacts(found)) out.set(signals.account.accountId, signals);
  } catch (error) {
    const failure = asCrmError(error);
    if (failure.stopsScan) throw failure;
    for (const company of found) out.set(String(company.id), failure);
  }
  return out;
}
