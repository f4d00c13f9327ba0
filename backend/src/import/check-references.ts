import { dayOf } from '../domain/calendar';
import { activeConsent } from '../domain/consent';
import { PUBLISHING_ASK_TYPES, type Consent } from '../domain/types';
import { DATASET_KINDS, type Dataset, type DatasetKind } from './dataset';
import type { ImportProblem } from './read-import-file';

// The second half of checking an import, after every row's own columns: what the rows point
// at. An account must be in the file or already stored; a contact too, and it must belong to
// the row's account (an NPS row for another account's contact would make a fake detractor
// there); a completed ask that publishes the customer needs a consent, in the file or stored.

/** What the store already holds, asked once per import for the ids the file names. */
export interface ImportLookup {
  knownAccounts(accountIds: string[]): Promise<Set<string>>;
  /** contact id -> its account, for the stored contacts among these. */
  contactAccounts(contactIds: string[]): Promise<Map<string, string>>;
  consentsOf(accountIds: string[]): Promise<Consent[]>;
}

const lineOf = (ds: Dataset, kind: DatasetKind, index: number): number | null => ds.lines?.[kind]?.[index] ?? null;

export async function referenceProblems(ds: Dataset, lookup: ImportLookup): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const at = (kind: DatasetKind, index: number, column: string, message: string) => problems.push({ kind, row: index + 1, line: lineOf(ds, kind, index), column, message });

  const accountsNamed = new Set<string>();
  const contactsNamed = new Set<string>();
  for (const kind of ['health', 'contacts', 'nps', 'asks', 'consents', 'deals'] as const) {
    for (const r of ds[kind] as Array<{ accountId: string | null; contactId?: string | null }>) {
      if (r.accountId) accountsNamed.add(r.accountId);
      if (kind !== 'contacts' && r.contactId) contactsNamed.add(r.contactId);
    }
  }
  const fileAccounts = new Set(ds.accounts.map((a) => a.accountId));
  const fileContacts = new Map(ds.contacts.map((c) => [c.contactId, c.accountId]));
  const [storedAccounts, storedContacts, storedConsents] = await Promise.all([
    lookup.knownAccounts([...accountsNamed].filter((id) => !fileAccounts.has(id))),
    lookup.contactAccounts([...contactsNamed].filter((id) => !fileContacts.has(id))),
    lookup.consentsOf([...accountsNamed]),
  ]);
  const accountExists = (id: string) => fileAccounts.has(id) || storedAccounts.has(id);
  // The file's own contact rows win over what is stored: the file may be moving a contact.
  const accountOfContact = (id: string) => fileContacts.get(id) ?? storedContacts.get(id) ?? null;

  const checkAccount = (kind: DatasetKind, index: number, accountId: string | null) => {
    if (accountId && !accountExists(accountId)) at(kind, index, 'account_id', `account ${accountId} is neither in this file nor already imported`);
  };
  const checkContact = (kind: DatasetKind, index: number, contactId: string | null, accountId: string) => {
    if (!contactId) return;
    const owner = accountOfContact(contactId);
    if (owner === null) at(kind, index, 'contact_id', `contact ${contactId} is neither in this file nor already imported`);
    else if (owner !== accountId) at(kind, index, 'contact_id', `contact ${contactId} belongs to account ${owner}, not ${accountId}`);
  };

  ds.health.forEach((r, i) => checkAccount('health', i, r.accountId));
  ds.contacts.forEach((r, i) => checkAccount('contacts', i, r.accountId));
  ds.nps.forEach((r, i) => {
    checkAccount('nps', i, r.accountId);
    checkContact('nps', i, r.contactId, r.accountId);
  });
  const consents = [...ds.consents, ...storedConsents.filter((c) => !ds.consents.some((f) => f.consentId === c.consentId))];
  ds.asks.forEach((r, i) => {
    checkAccount('asks', i, r.accountId);
    checkContact('asks', i, r.contactId, r.accountId);
    if (r.status === 'completed' && r.completedAt && PUBLISHING_ASK_TYPES.includes(r.askType)) {
      const day = dayOf(r.completedAt);
      if (!activeConsent(consents, r.accountId, r.contactId, r.askType, day)) {
        at('asks', i, 'status', `a completed ${r.askType} publishes the customer's name or brand: it needs a consent of scope ${r.askType} for this account${r.contactId ? ` or contact ${r.contactId}` : ''}, in force on ${day} (in this file or already imported)`);
      }
    }
  });
  ds.consents.forEach((r, i) => {
    checkAccount('consents', i, r.accountId);
    checkContact('consents', i, r.contactId, r.accountId);
  });
  ds.deals.forEach((r, i) => checkAccount('deals', i, r.accountId));

  return problems.sort((a, b) => DATASET_KINDS.indexOf(a.kind) - DATASET_KINDS.indexOf(b.kind) || (a.row ?? 0) - (b.row ?? 0));
}
