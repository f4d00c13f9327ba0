import { criteriaContentHash } from '../config/criteria-hash';
import { ConfigError } from '../config/env';
import { CrmError } from '../crm/errors';
import type { AccountSignals, CrmPort } from '../crm/port';
import { advocacyStatus, lastAskDate } from '../domain/advocacy-status';
import { dayOf } from '../domain/calendar';
import { composeTask } from '../domain/compose-task';
import type { Criteria } from '../domain/criteria';
import { askIdOf, evaluatedEntry, handoffPlan, mergePlans, proposalPlan, taskKeyOf, type DecisionPlan } from '../domain/decision-plan';
import { decisionHoldsUntil, decisionKey } from '../domain/decision-holds';
import { evaluateAccount, handoffTaskDue, type Evaluation } from '../domain/evaluate-account';
import type { AccountSnapshot, IsoDate } from '../domain/types';
import type { EvaluationNames, EvaluationRecord, Store, StoredAsk } from '../store/store-port';
import { applyDecision } from '../use-cases/apply-decision';
import { OneAtATime } from './one-at-a-time';
import { readNamedAccounts } from './read-named-accounts';
import { relayOutbox } from './relay-outbox';

// The portfolio scan: page through the CRM's accounts, judge each one, and record the
// decision, the ask and the CRM task it calls for in one transaction per page together with
// the page's checkpoint. Re-running the same date skips what is already decided; a run killed
// midway resumes from its checkpoint; tasks go out through the outbox with idempotency keys.
// Memory stays flat: one page in hand at a time, decisions streamed to the caller.

export interface ScanDeps {
  store: Store;
  crm: CrmPort;
  criteria: Criteria;
  portalId: string;
  now: () => Date;
  /** The process's serializer for relays (the composition root's). */
  serial?: OneAtATime;
  /** How long the outbox rows a relay takes stay its own (JOB_LEASE_SECONDS). */
  claimLeaseMs?: number;
}

export interface ScanOptions {
  asOf: IsoDate;
  /**
   * Only these accounts (the incremental refresh), read by id in pages, under their own run
   * key; an account the CRM no longer has is skipped. Left out: every account, paged from the CRM.
   */
  only?: {
    accountIds: string[];
    runKey: string;
    /**
     * Of those, the accounts whose CRM data did not change since their signals were stored (only
     * the app's own rows changed, or their decision is due): judged from the reference index's
     * stored signals with no CRM read. One with no stored signals is read from the CRM.
     */
    fromStore?: string[];
  };
  dryRun?: boolean;
  pageSize?: number;
  /** Called with each decision (in account order), with the task it led to. */
  onDecision?: (decision: ScanDecision) => void | Promise<void>;
  onProgress?: (progress: { evaluated: number }) => void;
  /**
   * Asked after each committed page: true hands the rest over (status 'yielded', resumable from
   * the checkpoint). A job uses it to stop cleanly on SIGTERM and before its lease runs out.
   */
  shouldYield?: () => boolean;
  /**
   * How long to wait for a scan of the same portal and date running elsewhere (default 0:
   * refuse at once with ScanRunningError). `shouldYield` ends the wait early too.
   */
  lockWaitMs?: number;
  /** The caller already holds this portal's and date's scan lock (the refresh around the scan). */
  lockHeld?: boolean;
}

export interface ScanDecision {
  evaluation: Evaluation;
  askId: string | null;
  taskId: string | null;
  /** Account, CSM and contact names as the CRM gave them (null for runs stored before names were kept). */
  names: EvaluationNames | null;
}

export interface ScanSummary {
  evaluated: number;
  proposed: number;
  handedOff: number;
  notReady: number;
}

export interface ScanResult {
  asOf: IsoDate;
  criteriaVersion: string;
  runKey: string;
  /** done; stopped by the CRM (progress saved); yielded: handed over after a committed page (shouldYield). */
  status: 'done' | 'stopped' | 'yielded';
  stopReason: string | null;
  summary: ScanSummary;
  /** Accounts evaluated by this invocation (0 when the date was already scanned). */
  newlyEvaluated: number;
  /** The run of this key had already finished before this invocation (it did nothing). */
  alreadyDone?: boolean;
  /** Of the accounts judged now, how many from stored signals with no CRM read (an incremental refresh's `only.fromStore`). */
  judgedFromStore?: number;
  tasksCreated: number;
}

export const runKeyFor = (asOf: IsoDate, criteriaVersion: string) => `scan:${asOf}:${criteriaVersion}`;

export const scanAskId = (portalId: string, runKey: string, accountId: string) => askIdOf(portalId, runKey, accountId);

export function toSnapshot(signals: AccountSignals, history: { asks: StoredAsk[]; consents: AccountSnapshot['consents'] }): AccountSnapshot {
  return { ...signals, asks: history.asks, consents: history.consents };
}

interface PageWork {
  plan: DecisionPlan;
  records: EvaluationRecord[];
  writeBacks: Parameters<CrmPort['writeBack']>[0];
}

function planPage(deps: ScanDeps, runKey: string, asOf: IsoDate, page: AccountSignals[], history: { asks: Map<string, StoredAsk[]>; consents: Map<string, AccountSnapshot['consents']>; lastHandoff: Map<string, string> }): PageWork {
  const { criteria, portalId, now } = deps;
  const plans: DecisionPlan[] = [];
  const work: PageWork = { plan: { asks: [], writes: [], audit: [] }, records: [], writeBacks: [] };
  // A scan for a past date records its asks on that date, so history reads true.
  const proposedAt = now().toISOString().slice(0, 10) > asOf ? `${asOf}T12:00:00.000Z` : now().toISOString();
  const actor = 'system:scan';
  for (const signals of page) {
    const accountId = signals.account.accountId;
    const asks = history.asks.get(accountId) ?? [];
    const evaluation = evaluateAccount(toSnapshot(signals, { asks, consents: history.consents.get(accountId) ?? [] }), criteria, asOf);
    plans.push({ asks: [], writes: [], audit: [evaluatedEntry(evaluation, runKey, actor)] });

    let askId: string | null = null;
    let taskKey: string | null = null;
    let handoffRaised = false;
    const draft = composeTask(evaluation, signals.account.name, criteria);
    const { ownerId, name: accountName } = signals.account;
    if (evaluation.decision === 'propose' && evaluation.proposal && draft && ownerId) {
      askId = scanAskId(portalId, runKey, accountId);
      taskKey = taskKeyOf(askId);
      plans.push(proposalPlan(evaluation, criteria, { askId, source: 'scan', runKey, proposedAt, day: asOf, ownerId, accountName, actor, owner: signals.owner }));
    } else if (evaluation.decision === 'handoff' && draft && ownerId && handoffTaskDue(evaluation, history.lastHandoff.get(accountId) ?? null, criteria)) {
      taskKey = `handoff:${accountId}:${runKey}`;
      plans.push(handoffPlan(evaluation, criteria, { key: taskKey, day: asOf, ownerId, accountName, actor, owner: signals.owner }));
      handoffRaised = true;
    }

    // Until when this decision holds with no new data: the incremental refresh re-reads the account then.
    const snapshot = toSnapshot(signals, { asks, consents: history.consents.get(accountId) ?? [] });
    const holdsUntil = decisionHoldsUntil(snapshot, criteria, asOf, evaluation, { lastHandoffTaskOn: handoffRaised ? asOf : (history.lastHandoff.get(accountId) ?? null) });
    work.records.push({ evaluation, askId, taskKey, names: namesFor(signals, evaluation), held: { holdsUntil, decisionKey: decisionKey(evaluation) } });
    work.writeBacks.push({
      accountId,
      readinessScore: evaluation.readiness?.score ?? null,
      band: evaluation.readiness?.band ?? null,
      advocacyStatus: advocacyStatus(evaluation, asks, asOf),
      lastAskDate: lastAskDate(asks),
    });
  }
  work.plan = mergePlans(plans);
  return work;
}

async function loadHistory(deps: ScanDeps, accountIds: string[]) {
  const [asks, consents, lastHandoff] = await Promise.all([
    deps.store.asks.forAccounts(deps.portalId, accountIds),
    deps.store.consents.forAccounts(deps.portalId, accountIds),
    deps.store.outbox.lastHandoffTaskOn(deps.portalId, accountIds),
  ]);
  return { asks, consents, lastHandoff };
}

/**
 * A version names one set of rules: if the file's content changed but its version did not,
 * the same run key would mix decisions of two rule sets (and a re-run of the day would skip
 * every account as already evaluated), so the scan stops and asks for a version bump.
 */
async function refuseCriteriaDrift(deps: ScanDeps, criteriaHash: string): Promise<void> {
  const earlier = await deps.store.scanRuns.withOtherContent(deps.portalId, deps.criteria.version, criteriaHash);
  if (!earlier) return;
  throw new ConfigError('criteria file', [
    {
      path: 'version',
      message: `the criteria changed since version "${deps.criteria.version}" was last used (the scan of ${earlier.asOf} ran with content ${earlier.criteriaHash}; the file now has ${criteriaHash}) but the version did not: set a new "version" in the criteria file, then scan again`,
    },
  ]);
}

export async function runScan(given: ScanDeps, options: ScanOptions): Promise<ScanResult> {
  const deps = { ...given, serial: given.serial ?? new OneAtATime() };
  const { store, crm, criteria, portalId } = deps;
  const { asOf } = options;
  const pageSize = options.pageSize ?? 200;
  const runKey = options.only?.runKey ?? runKeyFor(asOf, criteria.version);

  const criteriaHash = criteriaContentHash(criteria);
  await refuseCriteriaDrift(deps, criteriaHash);

  if (options.dryRun) return dryRun(deps, options, runKey, pageSize);

  // One scan of a portal and date at a time, across every process (store/scan-lock).
  if (options.lockHeld) return scanHeld(deps, options, runKey, pageSize, criteriaHash);
  const held = await store.scanLock(portalId, asOf, { waitMs: options.lockWaitMs ?? 0, giveUp: options.shouldYield }, () => scanHeld(deps, options, runKey, pageSize, criteriaHash));
  if (!held.ran) throw new ScanRunningError(portalId, asOf, held.holder);
  return held.value;
}

/** A scan of this portal and date is running in another process (or another caller of this one). */
export class ScanRunningError extends Error {
  readonly code = 'SCAN_RUNNING';
  constructor(
    readonly portalId: string,
    readonly asOf: string,
    readonly holder: string,
  ) {
    super(`the scan of ${portalId} for ${asOf} is already running in ${holder}`);
    this.name = 'ScanRunningError';
  }
}

async function scanHeld(deps: ScanDeps & { serial: OneAtATime }, options: ScanOptions, runKey: string, pageSize: number, criteriaHash: string): Promise<ScanResult> {
  const { store, criteria, portalId } = deps;
  const { asOf } = options;
  const run = await store.scanRuns.start(portalId, runKey, asOf, criteria.version, criteriaHash);
  let cursor = run.cursor;
  let newlyEvaluated = 0;
  let judgedFromStore = 0;
  let tasksCreated = 0;
  let stop: CrmError | null = null;
  let yielded = false;

  try {
    // Deliver anything an earlier run left pending (a crash between commit and relay).
    const leftover = await relayOutbox(deps);
    tasksCreated += leftover.tasks;
    if (leftover.stoppedBy) throw leftover.stoppedBy;
    if (run.status !== 'done') {
      do {
        const page = options.only ? await namedPage(deps, runKey, asOf, options.only, cursor, pageSize, criteriaHash) : await scanPage(deps, runKey, asOf, cursor, pageSize, criteriaHash);
        newlyEvaluated += page.judged;
        judgedFromStore += page.fromStore;
        tasksCreated += page.tasks;
        if (page.stoppedBy) throw page.stoppedBy;
        cursor = page.nextCursor;
        options.onProgress?.({ evaluated: newlyEvaluated });
        // The page and its claims are committed and released: a safe place to hand over.
        if (cursor !== null && options.shouldYield?.()) yielded = true;
      } while (cursor !== null && !yielded);
      if (!yielded) await store.scanRuns.finish(portalId, runKey);
    }
  } catch (error) {
    if (error instanceof CrmError && error.stopsScan) {
      stop = error;
      await store.scanRuns.stop(portalId, runKey, `${error.code}: ${error.message}`);
    } else {
      throw error;
    }
  }

  if (options.onDecision) {
    for await (const page of store.evaluations.decisionsOfRun(portalId, runKey)) {
      for (const d of page) await options.onDecision(d);
    }
  }
  return {
    asOf,
    criteriaVersion: criteria.version,
    runKey,
    status: stop ? 'stopped' : yielded ? 'yielded' : 'done',
    stopReason: stop ? `${stop.code}: ${stop.message}` : null,
    summary: await store.evaluations.runSummary(portalId, runKey),
    newlyEvaluated,
    tasksCreated,
    alreadyDone: run.status === 'done',
    ...(options.only ? { judgedFromStore } : {}),
  };
}

/**
 * One page: read it, judge the accounts this run has not judged yet, apply the page's plan with
 * its checkpoint, relay its writes, write readiness back. A CRM stop is handed back (the scan stops there).
 */
async function scanPage(deps: ScanDeps, runKey: string, asOf: IsoDate, cursor: string | null, pageSize: number, criteriaHash: string) {
  const { store, crm, portalId } = deps;
  const page = await crm.listAccounts({ cursor, limit: pageSize });
  const seen = await store.evaluations.evaluatedIn(portalId, runKey, page.items.map((s) => s.account.accountId));
  const fresh = page.items.filter((s) => !seen.has(s.account.accountId));
  const work = planPage(deps, runKey, asOf, fresh, await loadHistory(deps, fresh.map((s) => s.account.accountId)));
  // The page's signals go to the reference index with its evaluations (one transaction).
  const applied = await applyDecision(deps, work.plan, { run: { runKey, records: work.records, cursor: page.nextCursor, criteriaHash }, signals: fresh });
  const { stoppedBy, tasks } = applied.relay;
  if (!stoppedBy && work.writeBacks.length) await writeBack(deps, work.writeBacks);
  return { judged: applied.judged, fromStore: 0, tasks, stoppedBy, nextCursor: page.nextCursor };
}

/**
 * One page of named accounts (sorted ids after the cursor): those this run has not judged yet
 * are read by id and judged like a scan page. Accounts the CRM no longer has are dropped from
 * the due list. A resumed run starts again from its checkpoint with the same list or a larger one.
 */
async function namedPage(deps: ScanDeps, runKey: string, asOf: IsoDate, only: NonNullable<ScanOptions['only']>, cursor: string | null, pageSize: number, criteriaHash: string) {
  const { store, crm, portalId } = deps;
  const { accountIds } = only;
  const ids = [...new Set(accountIds)].sort().filter((id) => cursor === null || id > cursor).slice(0, pageSize);
  const nextCursor = ids.length === pageSize && accountIds.some((id) => id > ids[ids.length - 1]) ? ids[ids.length - 1] : null;
  const seen = await store.evaluations.evaluatedIn(portalId, runKey, ids);
  const todo = ids.filter((id) => !seen.has(id));
  const mayUseStored = new Set(only.fromStore ?? []);
  const stored = await store.referenceIndex.storedSignals(portalId, todo.filter((id) => mayUseStored.has(id)));
  const read = await readNamedAccounts(crm, todo.filter((id) => !stored.has(id)));
  const gone = [...read.entries()].filter(([, s]) => s === null).map(([id]) => id);
  if (gone.length) await store.refresh.forget(portalId, gone);
  const fresh = [...read.values()].filter((s): s is AccountSignals => s !== null);
  // Judged in id order, whether read now or stored; only what was read now is stored again.
  const all = [...fresh, ...stored.values()].sort((a, b) => (a.account.accountId < b.account.accountId ? -1 : a.account.accountId > b.account.accountId ? 1 : 0));
  const work = planPage(deps, runKey, asOf, all, await loadHistory(deps, all.map((s) => s.account.accountId)));
  // The signals read now go to the reference index with the evaluations, so a later refresh can judge from them.
  const applied = await applyDecision(deps, work.plan, { run: { runKey, records: work.records, cursor: nextCursor, criteriaHash }, signals: fresh });
  const { stoppedBy, tasks } = applied.relay;
  if (!stoppedBy && work.writeBacks.length) await writeBack(deps, work.writeBacks);
  return { judged: applied.judged, fromStore: stored.size, tasks, stoppedBy, nextCursor };
}

/** Readiness to the CRM; the CRM's time of each write is kept so the next refresh knows its own writes. */
async function writeBack(deps: ScanDeps, updates: Parameters<CrmPort['writeBack']>[0]): Promise<void> {
  const written = await deps.crm.writeBack(updates);
  if (written && written.length) await deps.store.refresh.markWritten(deps.portalId, written);
}

/** The names kept beside an evaluation, as the CRM gave them, so lists need no CRM read. */
function namesFor(signals: AccountSignals, evaluation: Evaluation): EvaluationNames {
  const contact = signals.contacts.find((c) => c.contactId === evaluation.contactId);
  return {
    accountName: signals.account.name,
    ownerId: signals.account.ownerId ?? null,
    ownerName: signals.owner?.name ?? null,
    contactName: contact ? [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null : null,
  };
}

async function dryRun(deps: ScanDeps, options: ScanOptions, runKey: string, pageSize: number): Promise<ScanResult> {
  const summary: ScanSummary = { evaluated: 0, proposed: 0, handedOff: 0, notReady: 0 };
  let cursor: string | null = null;
  do {
    const page = await deps.crm.listAccounts({ cursor, limit: pageSize });
    const history = await loadHistory(deps, page.items.map((s) => s.account.accountId));
    for (const signals of page.items) {
      const id = signals.account.accountId;
      const evaluation = evaluateAccount(toSnapshot(signals, { asks: history.asks.get(id) ?? [], consents: history.consents.get(id) ?? [] }), deps.criteria, options.asOf);
      summary.evaluated++;
      if (evaluation.decision === 'propose') summary.proposed++;
      else if (evaluation.decision === 'handoff') summary.handedOff++;
      else summary.notReady++;
      await options.onDecision?.({ evaluation, askId: null, taskId: null, names: namesFor(signals, evaluation) });
    }
    options.onProgress?.({ evaluated: summary.evaluated });
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { asOf: options.asOf, criteriaVersion: deps.criteria.version, runKey, status: 'done', stopReason: null, summary, newlyEvaluated: 0, tasksCreated: 0 };
}
