import type { AppContext } from './context';
import type { DecisionPlan } from '../domain/decision-plan';
import { relayOutbox, type RelayDeps, type RelayResult } from '../jobs/relay-outbox';
import type { AccountSignals } from '../crm/port';
import type { EvaluationRecord } from '../store/store-port';

// The one path from a decision to its records: a plan (domain/decision-plan.ts) is written in
// one transaction (asks, outbox, audit; for a scan page also its evaluations and checkpoint),
// then its CRM writes are relayed. The stored reference index is rewritten in that same
// transaction for the accounts whose asks or consents the plan wrote and for those whose fresh
// CRM signals the caller passes (`signals`); `signalsChanged` names accounts whose signals
// changed unread (the index reads them again after the commit). No caller refreshes anything
// by hand.

export type ApplyDeps = RelayDeps;

/** The outbox claim lease the environment sets (JOB_LEASE_SECONDS), shared with the jobs. */
export const leaseMsOf = (ctx: AppContext): number | undefined => (ctx.env?.JOB_LEASE_SECONDS ? ctx.env.JOB_LEASE_SECONDS * 1000 : undefined);

export const applyDepsOf = (ctx: AppContext, portalId: string): ApplyDeps => ({ store: ctx.store, crm: ctx.crmFor(portalId), portalId, now: ctx.now, serial: ctx.serial, claimLeaseMs: leaseMsOf(ctx) });

export interface ApplyOptions {
  /** A scan page: its evaluations and checkpoint commit with it, and only accounts this run had not judged yet are acted on. */
  run?: { runKey: string; records: EvaluationRecord[]; cursor: string | null; criteriaHash?: string | null };
  /** Accounts whose CRM signals changed and were not read: read again for the reference index after the commit. */
  signalsChanged?: string[];
  /** CRM signals the caller just read (a change event, a scan page): kept in the reference index in the same transaction. */
  signals?: AccountSignals[];
  /**
   * False: leave the plan's CRM writes in the outbox for the caller to relay together with
   * others (a drain of many accounts relays once, in full batches). Default true.
   */
  relay?: boolean;
}

export interface Applied {
  /** False when a concurrent caller had already written the plan's ask (its records stand). */
  written: boolean;
  /** Scan pages: the accounts newly judged by this run. */
  judged: number;
  relay: RelayResult;
  /** The plan's CRM writes (relayed already unless `relay: false`). */
  writeKeys: string[];
}

export async function applyDecision(deps: ApplyDeps, plan: DecisionPlan, options: ApplyOptions = {}): Promise<Applied> {
  const { store, portalId } = deps;
  const { run } = options;
  let written = false;
  let judged = 0;
  const signals = options.signals ?? [];
  const notices = plan.notices ?? [];
  const nothing = !run && plan.asks.length === 0 && plan.writes.length === 0 && plan.audit.length === 0 && signals.length === 0 && notices.length === 0;
  if (!nothing) await store.transaction(async (tx) => {
    let ours = (_accountId: string) => true;
    if (run) {
      const inserted = await tx.evaluations.insert(portalId, run.runKey, run.records, run.criteriaHash ?? null);
      // A concurrent run may have taken some of these accounts: act only on ours.
      ours = (accountId) => inserted.has(accountId);
      judged = inserted.size;
    }
    const fresh = signals.filter((s) => ours(s.account.accountId));
    if (fresh.length) await tx.referenceIndex.saveSignals(portalId, fresh.map((s) => ({ accountId: s.account.accountId, signals: s })));
    const asks = plan.asks.filter((a) => ours(a.accountId));
    const created = await tx.asks.insert(portalId, asks);
    // One decision whose ask is already stored: a double click or a retry; that ask is the one.
    if (!run && plan.asks.length > 0 && created.length === 0) return;
    await tx.outbox.enqueue(portalId, plan.writes.filter((w) => ours(w.accountId)));
    await tx.audit.append(portalId, plan.audit.filter((e) => (run ? e.accountId !== null && ours(e.accountId) : true)), deps.now().toISOString());
    // What the CSM is told commits with the decision; it is sent apart (jobs/send-notifications.ts),
    // so a messaging outage never holds up a scan or a CRM write.
    await tx.notices.enqueue(portalId, notices.filter((n) => n.accountId === null || ours(n.accountId)));
    if (run) await tx.scanRuns.saveCheckpoint(portalId, run.runKey, run.cursor);
    written = true;
  });
  const withAsk = new Set(plan.asks.map((a) => a.accountId));
  const unread = (options.signalsChanged ?? []).filter((id) => !withAsk.has(id));
  if (unread.length) await store.changes.accountsChanged(portalId, unread, { reread: true });
  // Only this plan's writes: relaying the whole pending queue on every page would make a scan quadratic.
  const writeKeys = plan.writes.map((w) => w.idempotencyKey);
  const relay = writeKeys.length && options.relay !== false ? await relayOutbox(deps, { onlyKeys: writeKeys }) : { sent: 0, tasks: 0, failed: 0, stoppedBy: null };
  return { written, judged, relay, writeKeys };
}
