import type { Evaluation } from '../domain/evaluate-account';
import type { Advocate } from '../domain/reference-types';
import type { AccountSnapshot, AskStatus, Consent } from '../domain/types';
import type { AccountChanges } from './account-changes';
import type { AskFilter, StoredAsk } from './asks-repo';
import type { AuditCheckpoint } from './audit-checkpoint';
import type { ContactErasure } from './personal-data';
import type { AuditEntry, AuditEntryInput, AuditVerification } from './audit-log';
import type { StoredChangeEvent } from './change-events-repo';
import type { ScanLockOptions, ScanLockResult } from './scan-lock';
import type { Queryable } from './db';
import type { EvaluationRecord, KeptNames, StoredDecision } from './evaluations-repo';
import type { CandidateOwner, CandidateRow } from './candidates-repo';
import type { EncryptedTokenRow, PortalSetupRow } from './hubspot-tokens-repo';
import type { OutboxClaim, OutboxItem, PendingOutboxItem, RelayedItem } from './outbox';
import type { RefreshState } from './refresh-repo';
import type { ScanRun } from './scan-runs';
import type { OpenReferenceRequest } from './reference-reminders';
import type { OrgKeyRow } from './salesforce-org-keys-repo';
import type { Notice, NoticeRecipient } from '../domain/notices';
import type { NotificationStatus, StoredNotification, WorkspaceRow } from './notifications-repo';

// The store port: everything the application keeps, in the domain's words. One
// implementation (pg-store.ts) over `pg`, for PGlite and a PostgreSQL server alike; no SQL
// lives outside backend/src/store/ except the local CRM adapter's own tables. Every method
// takes the portal it acts on: one portal never reads another's rows.

export type { AskFilter, StoredAsk } from './asks-repo';
export type { AuditAction, AuditEntry, AuditEntryInput } from './audit-log';
export type { StoredChangeEvent } from './change-events-repo';
export type { EvaluationNames, EvaluationRecord, KeptNames, StoredDecision } from './evaluations-repo';
export type { CandidateRow } from './candidates-repo';
export type { OutboxItem, OutboxKind, PendingOutboxItem, RelayedItem } from './outbox';
export type { ScanRun } from './scan-runs';
export type { OrgKeyRow } from './salesforce-org-keys-repo';
export type { RefreshState } from './refresh-repo';
export type { NotificationStatus, StoredNotification, WorkspaceRow } from './notifications-repo';

export interface AskStore {
  /** Inserts asks; an id already stored is left as it is. Returns the ids that were new. */
  insert(portalId: string, asks: StoredAsk[]): Promise<string[]>;
  /** Inserts or replaces by id (imports, lifecycle moves). */
  upsert(portalId: string, asks: StoredAsk[]): Promise<void>;
  /** `forUpdate` locks the row until the transaction ends (inside `transaction` only). */
  get(portalId: string, askId: string, options?: { forUpdate?: boolean }): Promise<StoredAsk | null>;
  forAccounts(portalId: string, accountIds: string[]): Promise<Map<string, StoredAsk[]>>;
  list(portalId: string, filter?: AskFilter): Promise<StoredAsk[]>;
  /** How many asks match (the total beside a listed page). */
  count(portalId: string, filter?: { accountId?: string; status?: AskStatus }): Promise<number>;
  /** Every ask of the portal, a page at a time. */
  all(portalId: string): AsyncGenerator<StoredAsk[]>;
  /** Asks by id with the latest consent recorded with each (what a CRM mirror shows). */
  withLatestConsent(portalId: string, askIds: string[]): Promise<Map<string, { ask: StoredAsk; consent: Consent | null }>>;
}

export interface ConsentStore {
  upsert(portalId: string, consents: Array<Consent & { askId?: string | null }>): Promise<void>;
  get(portalId: string, consentId: string): Promise<Consent | null>;
  forAccounts(portalId: string, accountIds: string[]): Promise<Map<string, Consent[]>>;
}

export interface EvaluationStore {
  /** Returns the account ids not already evaluated in this run (a re-run is a no-op). */
  insert(portalId: string, runKey: string, records: EvaluationRecord[], criteriaHash?: string | null): Promise<Set<string>>;
  evaluatedIn(portalId: string, runKey: string, accountIds: string[]): Promise<Set<string>>;
  /** The decisions of one run in account order, a page at a time, with the task each led to. */
  decisionsOfRun(portalId: string, runKey: string): AsyncGenerator<StoredDecision[]>;
  runSummary(portalId: string, runKey: string): Promise<{ evaluated: number; proposed: number; handedOff: number; notReady: number }>;
  latest(portalId: string, accountId: string): Promise<Evaluation | null>;
  /** Account, CSM and contact names as the latest evaluation of each account kept them. */
  namesOf(portalId: string, accountIds: string[]): Promise<Map<string, KeptNames>>;
  /** The program's candidates (asks in progress, hand-offs with nothing in progress), newest first. */
  candidates(portalId: string, options: { limit: number; ownerId?: string | null }): Promise<{ rows: CandidateRow[]; total: number; owners: CandidateOwner[] }>;
}

export interface OutboxStore {
  enqueue(portalId: string, items: OutboxItem[]): Promise<void>;
  /** Pending items, oldest first, leaving out `skipKeys`; `onlyKeys` restricts to those; with a claim, claimed for its lease. */
  pending(portalId: string, limit: number, skipKeys?: string[], onlyKeys?: string[] | null, claim?: OutboxClaim): Promise<PendingOutboxItem[]>;
  markFailed(portalId: string, key: string, error: string, giveUp: boolean, claimedBy?: string | null): Promise<void>;
  /** Marks items done (still pending, and still claimed by `claimedBy`) and keeps the CRM's ids on their asks; returns the keys marked. */
  markRelayed(portalId: string, done: RelayedItem[], claimedBy?: string | null): Promise<Set<string>>;
  /** Releases the rows a relay still holds, for the next relay to take at once. */
  releaseClaims(portalId: string, claimedBy: string): Promise<void>;
  /** The day the last hand-off task was raised for each account (the hand-off cooldown). */
  lastHandoffTaskOn(portalId: string, accountIds: string[]): Promise<Map<string, string>>;
  taskIdFor(portalId: string, key: string): Promise<string | null>;
  /** Adds one item; true when this call added it (an item of the same key adds nothing). */
  enqueueOnce(portalId: string, item: OutboxItem): Promise<boolean>;
}

/** Reference requests still waiting on someone, with the task their CSM got (service-level reminders). */
export interface ReferenceRequestStore {
  open(portalId: string): Promise<OpenReferenceRequest[]>;
}

export interface AuditStore {
  /** Appends in order to the hash chain; inside `transaction`, it commits with the change it describes. */
  append(portalId: string, entries: AuditEntryInput[], at: string): Promise<void>;
  list(portalId: string, options?: { accountId?: string; limit?: number; afterSeq?: number }): Promise<AuditEntry[]>;
  /** How many entries (of one account, or all): the total beside a listed page. */
  count(portalId: string, accountId?: string): Promise<number>;
  /** Walks the keyed chain, checks the signed head, and every checkpoint given of this portal. */
  verify(portalId: string, options?: { checkpoints?: AuditCheckpoint[] }): Promise<AuditVerification>;
  /**
   * A signed checkpoint of the head (null for an empty log), after marking the start of the
   * keyed chain on a log that predates keys; refuses (AuditTamperedError) a tampered head.
   */
  checkpoint(portalId: string, at: string): Promise<{ checkpoint: AuditCheckpoint | null; sealed: boolean }>;
}

export interface ChangeEventStore {
  /** Returns how many were new; an event id already stored is a duplicate. */
  store(portalId: string, events: StoredChangeEvent[], source: string): Promise<number>;
  pending(portalId: string, options: { maxAttempts: number; limit: number; skip: string[] }): Promise<StoredChangeEvent[]>;
  markProcessed(portalId: string, eventIds: string[]): Promise<void>;
  markFailed(portalId: string, eventIds: string[], code: string, final: boolean): Promise<void>;
  portalsWithPending(maxAttempts: number): Promise<string[]>;
}

export interface IdempotencyStore {
  response<T>(portalId: string, key: string): Promise<{ response: T } | null>;
  /** Keeps the first response for a key. */
  remember(portalId: string, key: string, response: unknown): Promise<void>;
  seen(portalId: string, keys: string[]): Promise<Set<string>>;
  rememberAll(portalId: string, keys: string[]): Promise<void>;
}

export interface ScanRunStore {
  start(portalId: string, runKey: string, asOf: string, criteriaVersion: string, criteriaHash: string): Promise<ScanRun>;
  /** A run of this criteria version whose criteria content hash was not this one (criteria drift). */
  withOtherContent(portalId: string, criteriaVersion: string, criteriaHash: string): Promise<{ runKey: string; asOf: string; criteriaHash: string } | null>;
  saveCheckpoint(portalId: string, runKey: string, cursor: string | null): Promise<void>;
  finish(portalId: string, runKey: string): Promise<void>;
  stop(portalId: string, runKey: string, reason: string): Promise<void>;
  latest(portalId: string): Promise<(ScanRun & { asOf: string }) | null>;
}

export interface KpiInputStore {
  eligibleEvaluationsByMonth(portalId: string, from: string, to: string): Promise<Array<{ month: string; accountId: string; contactId: string | null }>>;
  evaluatedMonths(portalId: string, from: string): Promise<Set<string>>;
  cachedEligible(portalId: string, month: string, criteriaVersion: string): Promise<string[] | null>;
  cacheEligible(portalId: string, month: string, criteriaVersion: string, keys: string[]): Promise<void>;
}

export interface ReplayPositionStore {
  last(portalId: string, channel: string): Promise<number | null>;
  save(portalId: string, channel: string, replayId: number): Promise<void>;
}

/** HubSpot OAuth tokens (ciphertext only), objects created once per key, and each portal's setup. */
export interface HubSpotStateStore {
  readTokens(portalId: string): Promise<EncryptedTokenRow | null>;
  writeTokens(row: EncryptedTokenRow): Promise<void>;
  createdObjectIds(portalId: string, keys: string[]): Promise<Map<string, string>>;
  rememberCreatedObjects(portalId: string, objectType: string, created: Array<{ key: string; objectId: string }>): Promise<void>;
  readPortalSetup(portalId: string): Promise<PortalSetupRow | null>;
  writePortalSetup(portalId: string, setup: PortalSetupRow): Promise<void>;
  /** The app's position in HubSpot's webhooks journal (one per app, across installs). */
  journalOffset(appId: string): Promise<string | null>;
  saveJournalOffset(appId: string, offset: string | null): Promise<void>;
}

/** Keys that authenticate a Salesforce org's Apex (hashed secrets only). */
export interface SalesforceOrgKeyStore {
  insert(row: OrgKeyRow): Promise<void>;
  /** A key by its id, whatever its portal: the key is what names the portal. */
  byId(keyId: string): Promise<OrgKeyRow | null>;
  list(portalId: string): Promise<OrgKeyRow[]>;
  /** False when this portal has no such key, or it was revoked already. */
  revoke(portalId: string, keyId: string, at: string): Promise<boolean>;
}

/** The incremental daily refresh's inputs and watermarks (store/refresh-repo.ts). */
export interface RefreshStore {
  due(portalId: string, day: string): Promise<string[]>;
  /** Accounts whose rows in this database (embedded CRM, asks, consents) changed, or whose change events arrived, after `since`. */
  changedSince(portalId: string, since: string): Promise<string[]>;
  /** The same accounts, each saying whether its CRM data may have changed (embedded CRM rows, change events) or only the app's own rows (asks, consents). */
  changedSources(portalId: string, since: string): Promise<Array<{ accountId: string; crmData: boolean }>>;
  forget(portalId: string, accountIds: string[]): Promise<void>;
  /** The CRM's time of the app's own write-back to each account (a change listing at that time is the app's own). */
  markWritten(portalId: string, written: Array<{ accountId: string; writtenAt: string }>): Promise<void>;
  writtenAt(portalId: string, accountIds: string[]): Promise<Map<string, string>>;
  /** Each account's latest decision as acted on (domain decisionKey). */
  heldKeys(portalId: string): Promise<Map<string, string>>;
  clock(): Promise<string>;
  state(portalId: string): Promise<RefreshState | null>;
  begin(portalId: string, marks: { crmSince: string; storeSince: string; full: boolean }): Promise<void>;
  finish(portalId: string, done: { criteriaHash: string; full: boolean; asOf: string }): Promise<void>;
}

/** Privacy duties: a person's erasure, an uninstalled portal's purge (store/personal-data.ts). */
export interface PrivacyStore {
  /** Erases one person's personal data; ids, dates and decisions stay. */
  eraseContact(portalId: string, contactId: string): Promise<ContactErasure>;
  wasErased(portalId: string, contactId: string): Promise<boolean>;
  /** Records the uninstall and deletes the portal's tokens at once. */
  recordUninstall(portalId: string, at: string, purgeAfter: string, source: string): Promise<{ tokensDeleted: number }>;
  cancelUninstall(portalId: string): Promise<boolean>;
  /** False when this lifecycle event was handled before (it is then left alone). */
  recordLifecycleEvent(event: { key: string; portalId: string; action: string; occurredAt: string }, outcome: string): Promise<boolean>;
  /** The portal was installed again (tokens stored) after `at`. */
  installedSince(portalId: string, at: string): Promise<boolean>;
  portalsDueForPurge(now: string): Promise<string[]>;
  /** Deletes the portal's rows everywhere except its audit log, head and checkpoints. */
  purgePortal(portalId: string, at: string): Promise<Record<string, number>>;
  deletionSyncPosition(portalId: string): Promise<string | null>;
  saveDeletionSyncPosition(portalId: string, coveredUntil: string): Promise<void>;
}

/** An account's CRM signals as the reference index keeps them (the CRM port's AccountSignals). */
export type IndexedSignals = Omit<AccountSnapshot, 'asks' | 'consents'>;

/** One account of the reference index: its signals, and its advocates as ranked for `computedFor` (day:criteria version; '' when not yet ranked). */
export interface IndexedAccount {
  accountId: string;
  signals: IndexedSignals;
  advocates: Advocate[];
  computedFor: string;
}

/** The reference index kept across restarts (store/reference-index-repo.ts). */
export interface ReferenceIndexStore {
  /** Fresh CRM signals: the accounts count as changed, so their advocates are ranked again before the transaction commits. */
  saveSignals(portalId: string, items: Array<{ accountId: string; signals: IndexedSignals }>): Promise<void>;
  /**
   * In a transaction, signals saved and not yet written (they are written before the commit,
   * once): the listener ranking them takes them here. Empty outside a transaction.
   */
  takePendingSignals(portalId: string): Map<string, IndexedSignals>;
  save(portalId: string, entries: IndexedAccount[]): Promise<void>;
  saveAdvocates(portalId: string, entries: Array<Pick<IndexedAccount, 'accountId' | 'advocates' | 'computedFor'>>): Promise<void>;
  /** Some accounts' rows, or the whole portal's (null). */
  entries(portalId: string, accountIds: string[] | null): Promise<IndexedAccount[]>;
  /** The signals stored from a CRM read of these accounts (accounts without any are left out). */
  storedSignals(portalId: string, accountIds: string[]): Promise<Map<string, IndexedSignals>>;
  /** The whole portal's rows without their signals. */
  advocates(portalId: string): Promise<Array<Omit<IndexedAccount, 'signals'>>>;
  remove(portalId: string, accountIds: string[]): Promise<void>;
  lastFullRead(portalId: string): Promise<{ at: string; key: string } | null>;
  /** A full read saw these accounts (the others are dropped) at this time, for this day and criteria. */
  finishFullRead(portalId: string, at: string, key: string, seen: string[]): Promise<void>;
}

/** Notices to CSMs (domain/notices.ts): recorded once per key, claimed, settled. */
export interface NoticeStore {
  /** Records notices; a key already recorded is left alone. Returns the keys that were new. */
  enqueue(portalId: string, notices: Notice[]): Promise<string[]>;
  /** Pending notices due now, oldest first, claimed for the lease (two senders never hold the same one). */
  claimDue(portalId: string, limit: number, claim: { by: string; leaseMs: number }, now: string): Promise<StoredNotification[]>;
  /** False when the claim was lost (another sender took it over). */
  markSent(portalId: string, key: string, claimedBy: string | null, delivery: { via: string; to: string | null; ref: string | null; deliveredOn: string; at: string }): Promise<boolean>;
  settle(portalId: string, key: string, claimedBy: string | null, status: 'digested' | 'suppressed', reason: string): Promise<void>;
  defer(portalId: string, key: string, claimedBy: string | null, notBefore: string, reason: string): Promise<void>;
  fail(portalId: string, key: string, claimedBy: string | null, error: string, giveUp: boolean): Promise<void>;
  releaseClaims(portalId: string, claimedBy: string): Promise<void>;
  /** Serializes the daily-cap decisions of one owner's local day until the transaction ends (use inside one). */
  lockOwnerDay(portalId: string, ownerId: string, day: string): Promise<void>;
  /** Capped notices sent to the owner that day plus those other notices hold reserved for it. */
  takenOnDay(portalId: string, ownerId: string, day: string, exceptKey: string): Promise<number>;
  /** Reserves one of the owner's slots of the day for this claimed notice (false: the claim was lost). */
  reserveSlot(portalId: string, key: string, claimedBy: string | null, day: string): Promise<boolean>;
  awaitingDigest(portalId: string): Promise<Array<{ recipient: NoticeRecipient; keys: string[]; titles: string[] }>>;
  attachToDigest(portalId: string, keys: string[], digestKey: string): Promise<void>;
  weeklyFigures(portalId: string, since: string): Promise<Array<{ recipient: NoticeRecipient; proposed: number; sent: number; accepted: number; referenceRequests: number; lines: string[] }>>;
  list(portalId: string, filter?: { status?: NotificationStatus; ownerId?: string; askId?: string; limit?: number }): Promise<StoredNotification[]>;
  get(portalId: string, key: string): Promise<StoredNotification | null>;
  setActionState(portalId: string, key: string, state: Record<string, unknown>): Promise<void>;
  knownEmailOf(portalId: string, ownerId: string): Promise<string | null>;
  /** Every portal's backlog and last failures (`advocacy jobs`). */
  counts(): Promise<{ pending: number; failed: number; failures: Array<{ portalId: string; key: string; kind: string; attempts: number; error: string | null }> }>;
}

/** The messaging workspace a portal installed (bot token sealed), and its user directory cache. */
export interface MessagingStateStore {
  saveWorkspace(row: WorkspaceRow): Promise<void>;
  workspace(workspaceId: string): Promise<WorkspaceRow | null>;
  workspaceOfPortal(portalId: string): Promise<WorkspaceRow | null>;
  cachedUser(portalId: string, workspaceId: string, email: string): Promise<{ userId: string | null; lookedUpAt: string } | null>;
  rememberUser(portalId: string, workspaceId: string, email: string, userId: string | null, at: string): Promise<void>;
  emailOfUser(portalId: string, workspaceId: string, userId: string): Promise<string | null>;
}

export interface StoreOps {
  asks: AskStore;
  consents: ConsentStore;
  evaluations: EvaluationStore;
  outbox: OutboxStore;
  audit: AuditStore;
  changeEvents: ChangeEventStore;
  idempotency: IdempotencyStore;
  scanRuns: ScanRunStore;
  kpiInputs: KpiInputStore;
  replayPositions: ReplayPositionStore;
  hubspot: HubSpotStateStore;
  referenceRequests: ReferenceRequestStore;
  privacy: PrivacyStore;
  salesforceOrgKeys: SalesforceOrgKeyStore;
  referenceIndex: ReferenceIndexStore;
  refresh: RefreshStore;
  notices: NoticeStore;
  messaging: MessagingStateStore;
}

export interface StoreTx extends StoreOps {
  /**
   * The transaction's connection, for the embedded CRM's own tables (backend/src/crm/local),
   * which live in the same database so an import commits with its audit entry. Nothing else
   * uses it (tests/unit/architecture checks that no SQL lives elsewhere).
   */
  readonly connection: Queryable;
}

export interface Store extends StoreOps {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Told, after each commit, which accounts' asks or consents it wrote (the reference index
   * listens); the apply path adds accounts whose CRM signals changed.
   */
  readonly changes: AccountChanges<StoreTx>;
  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Runs a portal's scan of one date while no other process (or caller in this one) runs it:
   * waits up to `waitMs` for one that does, then answers who holds it (store/scan-lock).
   */
  scanLock<T>(portalId: string, asOf: string, options: ScanLockOptions, fn: () => Promise<T>): Promise<ScanLockResult<T>>;
  /** Answers when the database does (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
