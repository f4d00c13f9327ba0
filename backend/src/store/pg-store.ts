import { AccountChanges } from './account-changes';
import * as asks from './asks-repo';
import * as audit from './audit-log';
import * as changeEvents from './change-events-repo';
import type { Db, Keyed } from './db';
import * as candidates from './candidates-repo';
import * as evaluations from './evaluations-repo';
import * as hubspot from './hubspot-tokens-repo';
import * as idempotency from './idempotency-repo';
import * as kpiInputs from './kpi-inputs-repo';
import * as outbox from './outbox';
import * as privacy from './personal-data';
import * as replay from './replay-positions-repo';
import * as pageCounts from './page-counts';
import * as refresh from './refresh-repo';
import * as scanRuns from './scan-runs';
import { withScanLock } from './scan-lock';
import * as reminders from './reference-reminders';
import * as referenceIndex from './reference-index-repo';
import * as orgKeys from './salesforce-org-keys-repo';
import * as notices from './notifications-repo';
import type { IndexedSignals, Store, StoreOps, StoreTx } from './store-port';

// The store port over `pg` (PGlite or a PostgreSQL server: the same SQL runs on both). The
// repositories hold the statements; this binds them to a connection, or to one transaction.

function opsOver(q: Keyed, inTransaction: <T>(fn: (tx: Keyed) => Promise<T>) => Promise<T>, touched: (portalId: string, accountIds: string[]) => Promise<void>, inSnapshot: <T>(fn: (tx: Keyed) => Promise<T>) => Promise<T> = inTransaction): StoreOps {
  return {
    asks: {
      insert: async (p, list) => {
        const created = await asks.insertAsks(q, p, list);
        await touched(p, list.filter((a) => created.includes(a.askId)).map((a) => a.accountId));
        return created;
      },
      upsert: async (p, list) => {
        await asks.upsertAsks(q, p, list);
        await touched(p, list.map((a) => a.accountId));
      },
      get: (p, id, o) => asks.getAsk(q, p, id, o?.forUpdate ?? false),
      forAccounts: (p, ids) => asks.asksForAccounts(q, p, ids),
      list: (p, f) => asks.listAsks(q, p, f),
      count: (p, f) => pageCounts.countAsks(q, p, f),
      all: (p) => asks.allAsks(q, p),
      withLatestConsent: (p, ids) => asks.asksWithLatestConsent(q, p, ids),
    },
    consents: {
      upsert: async (p, list) => {
        await asks.upsertConsents(q, p, list);
        await touched(p, list.map((c) => c.accountId));
      },
      get: (p, id) => asks.getConsent(q, p, id),
      forAccounts: (p, ids) => asks.consentsForAccounts(q, p, ids),
    },
    evaluations: {
      insert: (p, run, records, hash) => evaluations.insertEvaluations(q, p, run, records, hash),
      evaluatedIn: (p, run, ids) => evaluations.evaluatedIn(q, p, run, ids),
      decisionsOfRun: (p, run) => evaluations.decisionsOfRun(q, p, run),
      runSummary: (p, run) => evaluations.runSummary(q, p, run),
      latest: (p, id) => evaluations.latestEvaluation(q, p, id),
      namesOf: (p, ids) => evaluations.namesOf(q, p, ids),
      candidates: (p, options) => candidates.listCandidates(q, p, options),
    },
    outbox: {
      enqueue: (p, items) => outbox.enqueue(q, p, items),
      pending: (p, limit, skip, only, claim) => outbox.pending(q, p, limit, skip, only, claim),
      markFailed: (p, key, error, giveUp, by) => outbox.markFailed(q, p, key, error, giveUp, by),
      markRelayed: (p, done, by) => outbox.markRelayed(q, p, done, by),
      releaseClaims: (p, by) => outbox.releaseClaims(q, p, by),
      lastHandoffTaskOn: (p, ids) => outbox.lastHandoffTaskOn(q, p, ids),
      taskIdFor: (p, key) => outbox.taskIdFor(q, p, key),
      enqueueOnce: (p, item) => reminders.enqueueOnce(q, p, item),
    },
    referenceRequests: {
      open: (p) => reminders.openReferenceRequests(q, p),
    },
    audit: {
      // Appends and checkpoints take the chain's head lock, so they run in a transaction.
      append: (p, entries, at) => (entries.length ? inTransaction((tx) => audit.appendAudit(tx, p, entries, at)) : Promise.resolve()),
      list: (p, o) => audit.listAudit(q, p, o),
      count: (p, accountId) => pageCounts.countAudit(q, p, accountId),
      // One snapshot for the whole check: read in pieces while workers append, the head would be
      // newer than the entries read before it, and an intact log would be reported as cut short.
      verify: (p, o) => inSnapshot((tx) => audit.verifyAudit(tx, p, o)),
      checkpoint: (p, at) => inTransaction((tx) => audit.checkpointHead(tx, p, at)),
    },
    changeEvents: {
      store: (p, events, source) => changeEvents.storeChangeEvents(q, p, events, source),
      pending: (p, o) => changeEvents.pendingChangeEvents(q, p, o),
      markProcessed: (p, ids) => changeEvents.markChangeEventsProcessed(q, p, ids),
      markFailed: (p, ids, code, final) => changeEvents.markChangeEventsFailed(q, p, ids, code, final),
      portalsWithPending: (max) => changeEvents.portalsWithPendingChangeEvents(q, max),
    },
    idempotency: {
      response: (p, key) => idempotency.storedResponse(q, p, key),
      remember: (p, key, response) => idempotency.rememberResponse(q, p, key, response),
      seen: (p, keys) => idempotency.seenKeys(q, p, keys),
      rememberAll: (p, keys) => idempotency.rememberKeys(q, p, keys),
    },
    refresh: {
      due: (p, day) => refresh.dueAccounts(q, p, day),
      changedSince: (p, since) => refresh.changedAccounts(q, p, since),
      changedSources: (p, since) => refresh.changedAccountSources(q, p, since),
      forget: (p, ids) => refresh.forgetAccounts(q, p, ids),
      markWritten: (p, written) => refresh.markWritten(q, p, written),
      writtenAt: (p, ids) => refresh.writtenAt(q, p, ids),
      heldKeys: (p) => refresh.heldKeys(q, p),
      clock: () => refresh.storeClock(q),
      state: (p) => refresh.refreshState(q, p),
      begin: (p, marks) => refresh.beginRefresh(q, p, marks),
      finish: (p, done) => refresh.finishRefresh(q, p, done),
    },
    scanRuns: {
      start: (p, run, asOf, version, hash) => scanRuns.startRun(q, p, run, asOf, version, hash),
      withOtherContent: (p, version, hash) => scanRuns.runWithOtherContent(q, p, version, hash),
      saveCheckpoint: (p, run, cursor) => scanRuns.saveCheckpoint(q, p, run, cursor),
      finish: (p, run) => scanRuns.finishRun(q, p, run),
      stop: (p, run, reason) => scanRuns.stopRun(q, p, run, reason),
      latest: (p) => scanRuns.latestRun(q, p),
    },
    kpiInputs: {
      eligibleEvaluationsByMonth: (p, from, to) => kpiInputs.eligibleEvaluationsByMonth(q, p, from, to),
      evaluatedMonths: (p, from) => kpiInputs.evaluatedMonths(q, p, from),
      cachedEligible: (p, month, version) => kpiInputs.cachedEligibleKeys(q, p, month, version),
      cacheEligible: (p, month, version, keys) => kpiInputs.cacheEligibleKeys(q, p, month, version, keys),
    },
    replayPositions: {
      last: (p, channel) => replay.lastReplayId(q, p, channel),
      save: (p, channel, id) => replay.saveReplayId(q, p, channel, id),
    },
    hubspot: {
      readTokens: (p) => hubspot.readTokenRow(q, p),
      writeTokens: (row) => hubspot.writeTokenRow(q, row),
      createdObjectIds: (p, keys) => hubspot.createdObjectIds(q, p, keys),
      rememberCreatedObjects: (p, type, created) => hubspot.rememberCreatedObjects(q, p, type, created),
      readPortalSetup: (p) => hubspot.readPortalSetup(q, p),
      writePortalSetup: (p, setup) => hubspot.writePortalSetup(q, p, setup),
      journalOffset: (app) => hubspot.journalOffset(q, app),
      saveJournalOffset: (app, offset) => hubspot.saveJournalOffset(q, app, offset),
    },
    privacy: {
      eraseContact: (p, id) => inTransaction((tx) => privacy.eraseContactData(tx, p, id)),
      wasErased: (p, id) => privacy.wasErased(q, p, id),
      recordUninstall: (p, at, after, source) => inTransaction((tx) => privacy.recordUninstall(tx, p, at, after, source)),
      cancelUninstall: (p) => privacy.cancelUninstall(q, p),
      recordLifecycleEvent: (event, outcome) => privacy.recordLifecycleEvent(q, event, outcome),
      installedSince: (p, at) => privacy.installedSince(q, p, at),
      portalsDueForPurge: (now) => privacy.portalsDueForPurge(q, now),
      purgePortal: (p, at) => inTransaction((tx) => privacy.purgePortalData(tx, p, at)),
      deletionSyncPosition: (p) => privacy.deletionSyncPosition(q, p),
      saveDeletionSyncPosition: (p, until) => privacy.saveDeletionSyncPosition(q, p, until),
    },
    salesforceOrgKeys: {
      insert: (row) => orgKeys.insertOrgKey(q, row),
      byId: (id) => orgKeys.orgKeyById(q, id),
      list: (p) => orgKeys.orgKeysOf(q, p),
      revoke: (p, id, at) => orgKeys.revokeOrgKey(q, p, id, at),
    },
    referenceIndex: {
      saveSignals: async (p, items) => {
        await referenceIndex.saveSignals(q, p, items);
        await touched(p, items.map((i) => i.accountId));
      },
      save: (p, entries) => referenceIndex.saveEntries(q, p, entries),
      saveAdvocates: (p, entries) => referenceIndex.saveAdvocates(q, p, entries),
      entries: (p, ids) => referenceIndex.indexEntries(q, p, ids),
      storedSignals: (p, ids) => referenceIndex.storedSignals(q, p, ids),
      advocates: (p) => referenceIndex.indexAdvocates(q, p),
      remove: (p, ids) => referenceIndex.removeEntries(q, p, ids),
      takePendingSignals: () => new Map(),
      lastFullRead: (p) => referenceIndex.lastFullRead(q, p),
      finishFullRead: (p, at, key, seen) => inTransaction((tx) => referenceIndex.finishFullRead(tx, p, at, key, seen)),
    },
    notices: {
      enqueue: (p, list) => notices.enqueueNotices(q, p, list),
      claimDue: (p, limit, claim, now) => notices.claimDueNotices(q, p, limit, claim, now),
      markSent: (p, key, by, d) => notices.markNoticeSent(q, p, key, by, d),
      settle: (p, key, by, status, reason) => notices.settleNotice(q, p, key, by, status, reason),
      defer: (p, key, by, until, reason) => notices.deferNotice(q, p, key, by, until, reason),
      fail: (p, key, by, error, giveUp) => notices.failNotice(q, p, key, by, error, giveUp),
      releaseClaims: (p, by) => notices.releaseNoticeClaims(q, p, by),
      lockOwnerDay: (p, owner, day) => notices.lockOwnerDay(q, p, owner, day),
      takenOnDay: (p, owner, day, except) => notices.takenOnDay(q, p, owner, day, except),
      reserveSlot: (p, key, by, day) => notices.reserveSlot(q, p, key, by, day),
      awaitingDigest: (p) => notices.awaitingDigest(q, p),
      attachToDigest: (p, keys, key) => notices.attachToDigest(q, p, keys, key),
      weeklyFigures: (p, since) => notices.weeklyFigures(q, p, since),
      list: (p, f) => notices.listNotifications(q, p, f),
      get: (p, key) => notices.getNotification(q, p, key),
      setActionState: (p, key, state) => notices.setActionState(q, p, key, state),
      knownEmailOf: (p, owner) => notices.knownEmailOf(q, p, owner),
      counts: () => notices.notificationCounts(q),
    },
    messaging: {
      saveWorkspace: (row) => notices.saveWorkspace(q, row),
      workspace: (id) => notices.workspaceById(q, id),
      workspaceOfPortal: (p) => notices.workspaceOfPortal(q, p),
      cachedUser: (p, ws, email) => notices.cachedUser(q, p, ws, email),
      rememberUser: (p, ws, email, user, at) => notices.rememberUser(q, p, ws, email, user, at),
      emailOfUser: (p, ws, user) => notices.emailOfUser(q, p, ws, user),
    },
  };
}

/** Binds the store port to one transaction's connection; `touched` collects what it wrote. */
export function storeInTransaction(tx: Keyed, touched: (portalId: string, accountIds: string[]) => Promise<void> = async () => {}): StoreTx {
  return { ...opsOver(tx, (fn) => fn(tx), touched), connection: tx };
}

/**
 * A transaction whose fresh reference-index signals wait until just before the commit: its
 * listener ranks them and writes each row once (signals and advocates together), and whatever
 * no listener took is written as it is.
 */
function deferringSignals(bound: StoreTx, touched: (portalId: string, accountIds: string[]) => Promise<void>) {
  const pending = new Map<string, Map<string, IndexedSignals>>();
  const tx: StoreTx = {
    ...bound,
    referenceIndex: {
      ...bound.referenceIndex,
      saveSignals: async (p, items) => {
        const mine = pending.get(p) ?? pending.set(p, new Map()).get(p)!;
        for (const i of items) mine.set(i.accountId, i.signals);
        await touched(p, items.map((i) => i.accountId));
      },
      takePendingSignals: (p) => {
        const mine = pending.get(p) ?? new Map<string, IndexedSignals>();
        pending.delete(p);
        return mine;
      },
    },
  };
  const flush = async () => {
    for (const [p, mine] of pending) await referenceIndex.saveSignals(bound.connection, p, [...mine].map(([accountId, signals]) => ({ accountId, signals })));
    pending.clear();
  };
  return { tx, flush };
}

/** The audit log is signed with the store's keys (db.auditKeys: configuration or the data folder's key file). */
export function createStore(db: Db, changes = new AccountChanges<StoreTx>()): Store {
  // Outside a transaction an append still takes the chain's head lock for its own statements.
  const snapshot = <T>(fn: (tx: Keyed) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return fn(tx);
    });
  const ops = opsOver(db, (fn) => db.transaction((tx) => fn(tx)), (p, ids) => changes.accountsChanged(p, ids), snapshot);
  // The portal:date scans this process runs now (the scan lock's in-process half).
  const scanning = new Set<string>();
  return {
    ...ops,
    kind: db.kind,
    changes,
    transaction: async (fn) => {
      // Told only once the transaction committed: a rolled-back write changed nothing.
      const touched = new Map<string, Set<string>>();
      const result = await db.transaction(async (tx) => {
        const collect = async (p: string, ids: string[]) => {
          const set = touched.get(p) ?? touched.set(p, new Set()).get(p)!;
          for (const id of ids) set.add(id);
        };
        const { tx: bound, flush } = deferringSignals(storeInTransaction(tx, collect), collect);
        const answer = await fn(bound);
        // What the transaction's listeners write (the reference index) commits with it.
        for (const [p, ids] of touched) await changes.beforeCommit(bound, p, [...ids]);
        await flush();
        return answer;
      });
      for (const [p, ids] of touched) await changes.accountsChanged(p, [...ids]);
      return result;
    },
    scanLock: (portalId, asOf, options, fn) => withScanLock(db, scanning, portalId, asOf, options, fn),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
