import type { Consent } from '../../domain/types';
import { consentsForAccounts } from '../../store/asks-repo';
import type { Queryable } from '../../store/db';
import { existingAccountIds } from './local-writes';

// What an import checks its references against: the embedded CRM's accounts and contacts and
// the stored consents of one portal.

/** The shape import/check-references.ts asks for (ImportLookup), declared here so the adapter does not reach up into the import. */
export interface LocalLookups {
  knownAccounts(accountIds: string[]): Promise<Set<string>>;
  contactAccounts(contactIds: string[]): Promise<Map<string, string>>;
  consentsOf(accountIds: string[]): Promise<Consent[]>;
}

export function importLookup(db: Queryable, portalId: string): LocalLookups {
  return {
    async knownAccounts(accountIds) {
      return existingAccountIds(db, portalId, accountIds);
    },
    async contactAccounts(contactIds) {
      if (contactIds.length === 0) return new Map();
      const { rows } = await db.query<{ contact_id: string; account_id: string }>(`SELECT contact_id, account_id FROM crm_contacts WHERE portal_id = $1 AND contact_id = ANY($2::text[])`, [portalId, contactIds]);
      return new Map(rows.map((r) => [r.contact_id, r.account_id]));
    },
    async consentsOf(accountIds) {
      return [...(await consentsForAccounts(db, portalId, accountIds)).values()].flat();
    },
  };
}
