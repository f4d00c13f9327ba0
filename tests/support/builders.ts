import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCriteria, type Criteria } from '../../backend/src/domain/criteria';
import { emptyDataset, type Dataset } from '../../backend/src/import/dataset';
import type { Account, AccountSnapshot, Ask, Consent, Contact, NpsResponse, Owner } from '../../backend/src/domain/types';

// Data builders: a healthy, eligible, unremarkable account by default; each test overrides
// only what it is about.

export const TODAY = '2026-11-24';

export function defaultCriteria(overrides: (c: Criteria) => void = () => {}): Criteria {
  const raw = JSON.parse(readFileSync(join(__dirname, '../../backend/config/criteria.default.json'), 'utf8'));
  const parsed = parseCriteria(raw);
  if (!parsed.ok) throw new Error(`default criteria invalid: ${JSON.stringify(parsed.problems)}`);
  const criteria = structuredClone(parsed.criteria);
  overrides(criteria);
  return criteria;
}

export function buildAccount(overrides: Partial<Account> = {}): Account {
  return {
    accountId: 'acc-1',
    name: 'Acme Analytics',
    ownerId: 'owner-1',
    healthScore: 88,
    healthHistory: [],
    customerSince: '2024-05-01',
    usageDepth: 70,
    csat: 4.5,
    engagement: 60,
    strategic: false,
    openEscalations: 0,
    renewalDate: '2027-09-01',
    industry: 'SaaS',
    region: 'NA',
    sizeBand: 'smb',
    products: ['core'],
    ...overrides,
  };
}

export function buildContact(overrides: Partial<Contact> = {}): Contact {
  return {
    contactId: 'con-1',
    accountId: 'acc-1',
    firstName: 'Dana',
    lastName: 'Reyes',
    title: 'Director of Operations',
    seniority: 'director',
    doNotContact: false,
    ...overrides,
  };
}

export function buildNps(overrides: Partial<NpsResponse> = {}): NpsResponse {
  return { contactId: 'con-1', date: '2026-09-15', score: 10, ...overrides };
}

export function buildAsk(overrides: Partial<Ask> = {}): Ask {
  return {
    askId: 'ask-1',
    accountId: 'acc-1',
    contactId: 'con-1',
    dealId: null,
    askType: 'quote',
    status: 'completed',
    proposedAt: '2025-06-01T10:00:00.000Z',
    sentAt: '2025-06-02T10:00:00.000Z',
    acceptedAt: '2025-06-05T10:00:00.000Z',
    declinedAt: null,
    noResponseAt: null,
    completedAt: '2025-06-20T10:00:00.000Z',
    cancelledAt: null,
    ...overrides,
  };
}

export function buildConsent(overrides: Partial<Consent> = {}): Consent {
  return {
    consentId: 'consent-1',
    accountId: 'acc-1',
    contactId: 'con-1',
    scope: 'quote',
    grantedOn: '2025-06-10',
    evidence: 'email from Dana, 2025-06-10',
    expiresOn: null,
    revokedOn: null,
    ...overrides,
  };
}

export const OWNER: Owner = { ownerId: 'owner-1', name: 'Sam Carter', email: 'sam@example.test' };

export function buildSnapshot(overrides: Partial<Omit<AccountSnapshot, 'account'>> & { account?: Partial<Account> } = {}): AccountSnapshot {
  const { account, ...rest } = overrides;
  return {
    account: buildAccount(account),
    contacts: [buildContact()],
    npsResponses: [buildNps()],
    owner: OWNER,
    asks: [],
    consents: [],
    ...rest,
  };
}

/** n days before/after an ISO date, as a timestamp at 10:00 UTC. */
export function at(date: string, dayOffset = 0): string {
  const d = new Date(`${date}T10:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + dayOffset);
  return d.toISOString();
}

/**
 * A dataset of eligible accounts, each with one champion contact (`con-<id>`, "Champion <id>")
 * who gave a recent NPS of 10, all owned by OWNER. Callers add deals or more before applying it.
 */
export function championsDataset(specs: Array<{ id: string; account?: Partial<Account>; contact?: Partial<Contact> }>): Dataset {
  const ds = emptyDataset();
  ds.owners.push(OWNER);
  for (const { id, account, contact } of specs) {
    const { healthHistory: _history, ...a } = buildAccount({ accountId: id, name: `Account ${id}`, ...account });
    ds.accounts.push(a);
    ds.contacts.push(buildContact({ contactId: `con-${id}`, accountId: id, firstName: 'Champion', lastName: id, ...contact }));
    ds.nps.push({ ...buildNps({ contactId: `con-${id}` }), accountId: id });
  }
  return ds;
}
