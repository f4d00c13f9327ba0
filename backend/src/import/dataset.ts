import type { Deal } from '../crm/port';
import type { AccountInput } from '../crm/local/local-writes';
import { upsertAccounts, upsertContacts, upsertDeals, upsertHealth, upsertNps, upsertOwners } from '../crm/local/local-writes';
import type { Consent, Contact, NpsResponse, Owner } from '../domain/types';
import { upsertAsks, upsertConsents, type StoredAsk } from '../store/asks-repo';
import type { Queryable } from '../store/db';

// Everything an import (or the demo) can bring into the embedded store, by kind.

export interface Dataset {
  owners: Owner[];
  accounts: AccountInput[];
  health: Array<{ accountId: string; date: string; score: number }>;
  contacts: Contact[];
  nps: Array<NpsResponse & { accountId: string }>;
  asks: StoredAsk[];
  consents: Consent[];
  deals: Deal[];
  /** Columns each kind's source had; absent means all (a partial sheet updates only its columns). */
  present?: Partial<Record<DatasetKind, string[]>>;
  /** The file line each row of a kind starts on (parallel to that kind's array), for problems. */
  lines?: Partial<Record<DatasetKind, number[]>>;
}

export const DATASET_KINDS = ['owners', 'accounts', 'health', 'contacts', 'nps', 'asks', 'consents', 'deals'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export function emptyDataset(): Dataset {
  return { owners: [], accounts: [], health: [], contacts: [], nps: [], asks: [], consents: [], deals: [] };
}

export function datasetCounts(ds: Dataset): Record<DatasetKind, number> {
  return Object.fromEntries(DATASET_KINDS.map((k) => [k, ds[k].length])) as Record<DatasetKind, number>;
}

/** Writes a dataset; call inside a transaction so a failure leaves nothing half-imported. */
export async function applyDataset(db: Queryable, portalId: string, ds: Dataset): Promise<void> {
  await upsertOwners(db, portalId, ds.owners, ds.present?.owners);
  await upsertAccounts(db, portalId, ds.accounts, ds.present?.accounts);
  await upsertHealth(db, portalId, ds.health);
  await upsertContacts(db, portalId, ds.contacts, ds.present?.contacts);
  await upsertNps(db, portalId, ds.nps);
  await upsertAsks(db, portalId, ds.asks);
  await upsertConsents(db, portalId, ds.consents);
  await upsertDeals(db, portalId, ds.deals, ds.present?.deals);
}
