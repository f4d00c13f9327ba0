import type { CrmTask } from '../domain/crm-task';
import type { CrmError } from './errors';
import type { AccountSnapshot, Ask, Consent, IsoDate } from '../domain/types';
import type { AuditCheckpoint } from '../store/audit-checkpoint';

// The one interface every CRM adapter implements, in the domain's words. Vendor details
// (object names, property names, paging tokens, rate limits) stay inside each adapter.
//
// The app's own store is the system of record for asks and consents (it keeps the lifecycle
// and the audit trail); adapters mirror them into the CRM (a custom object where the CRM has
// one) so CSMs see them where they work.

/** What the CRM knows about an account: signals, contacts, owner. History comes from the store. */
export type AccountSignals = Omit<AccountSnapshot, 'asks' | 'consents'>;

export interface AccountPage {
  items: AccountSignals[];
  /** Opaque; null when there is no further page. Safe to persist as a scan checkpoint. */
  nextCursor: string | null;
}

export type { CrmTask } from '../domain/crm-task';

/** A CRM's word that an account changed (a webhook event, a Flow callout, a CDC message). */
export interface ChangeEvent {
  /** Unique per event at its source: the same id again is the same event redelivered. */
  eventId: string;
  accountId: string;
}

/** What getAccounts answers for each id asked about. */
export type AccountsRead = Map<string, AccountSignals | null | CrmError>;

/** An account the CRM says changed, and when (its last modification), if the CRM says. */
export interface ChangedAccount {
  accountId: string;
  modifiedAt: string | null;
}

/** The CRM's time of the app's own write-back to an account. */
export interface WrittenBack {
  accountId: string;
  writtenAt: string;
}

export interface ReadinessWriteBack {
  accountId: string;
  readinessScore: number | null;
  band: 'green' | 'amber' | 'red' | null;
  advocacyStatus: string;
  lastAskDate: IsoDate | null;
}

export interface Deal {
  dealId: string;
  name: string;
  accountId: string | null;
  ownerId: string | null;
  amount: number | null;
  stage: 'open' | 'won' | 'lost';
  closeDate: IsoDate | null;
  /** Prospect attributes a reference request can be prefilled from. */
  industry: string | null;
  region: string | null;
  sizeBand: string | null;
  products: string[];
}

export interface CrmPort {
  readonly kind: 'local' | 'hubspot' | 'salesforce';
  /** Pages through the portfolio; never loads it whole. */
  listAccounts(page: { cursor: string | null; limit: number }): Promise<AccountPage>;
  /** Optional: how many accounts listAccounts walks, for a scan's progress (done/total); left out where counting is not cheap. */
  countAccounts?(): Promise<number>;
  getAccount(accountId: string): Promise<AccountSignals | null>;
  /**
   * Several accounts with batch reads (a webhook burst, a Flow callout naming many), one
   * answer per distinct id: its signals, null when the CRM has no such account, or the error
   * that kept it from being read (its caller tries again later). Throws only when the CRM said
   * stop (daily limit, credentials): then nothing was read.
   */
  getAccounts(accountIds: string[]): Promise<AccountsRead>;
  /**
   * Optional: accounts whose CRM data (the account or one of its contacts) changed at or after
   * `since` (ISO, the CRM's clock), for the incremental daily refresh. Without it every daily
   * refresh is a full scan. The embedded CRM's own changes are marked in the store (migration 018).
   */
  changedAccountsSince?(since: string): Promise<ChangedAccount[]>;
  getDeal(dealId: string): Promise<Deal | null>;
  /** Deals closed (won or lost) from one day to another, in pages: the reference KPIs need them. */
  listClosedDeals?(page: { from: IsoDate; to: IsoDate; cursor: string | null; limit: number }): Promise<{ items: Deal[]; nextCursor: string | null }>;
  createTask(task: CrmTask): Promise<{ taskId: string }>;
  /**
   * Optional batch form (same idempotency rules), one result per task in input order: a task
   * the CRM refused comes back as { error } while the others are created. The relay uses it
   * when present. It throws only when nothing was done (or the CRM said stop).
   */
  createTasks?(tasks: CrmTask[]): Promise<Array<{ taskId: string } | { error: string }>>;
  /** Creates or updates the CRM's copy of an ask; returns the CRM's id for it. */
  saveAsk(ask: Ask, extra?: { outcomeNote?: string | null; consent?: Consent | null }): Promise<{ crmAskId: string | null }>;
  /** Optional batch form of saveAsk, one result per item in input order (see createTasks). */
  saveAsks?(items: Array<{ ask: Ask; outcomeNote?: string | null; consent?: Consent | null }>): Promise<Array<{ crmAskId: string | null } | { error: string }>>;
  recordConsent(consent: Consent): Promise<void>;
  /**
   * Writes readiness back to the accounts. May answer, per account, the CRM's time of that
   * write, so the next change listing can tell the app's own write from someone else's.
   */
  writeBack(updates: ReadinessWriteBack[]): Promise<void | WrittenBack[]>;
  /** The account a contact belongs to (the contact card only knows the contact). */
  accountIdOfContact?(contactId: string): Promise<string | null>;
  /**
   * Keeps a signed audit checkpoint in the CRM, out of reach of whoever can edit our database
   * (HubSpot: a note; Salesforce: a completed Task; local: its own table).
   */
  saveAuditCheckpoint?(checkpoint: AuditCheckpoint): Promise<void>;
  /** The checkpoint with the highest seq kept there, or null when there is none. */
  latestAuditCheckpoint?(): Promise<AuditCheckpoint | null>;
  /**
   * Contacts deleted in the CRM between two times (ISO), and how far the CRM's answer reaches:
   * each is erased from the store (use-cases/sync-deleted-contacts).
   */
  listDeletedContacts?(window: { from: string; to: string }): Promise<{ contactIds: string[]; coveredUntil: string }>;
}
