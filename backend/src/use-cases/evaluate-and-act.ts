import type { AppContext } from './context';
import { CrmError } from '../crm/errors';
import type { AccountSignals, AccountsRead, ReadinessWriteBack } from '../crm/port';
import { advocacyStatus, lastAskDate } from '../domain/advocacy-status';
import { emptyPlan, handoffPlan } from '../domain/decision-plan';
import { DomainError } from '../domain/errors';
import { evaluateAccount, handoffTaskDue, type Evaluation } from '../domain/evaluate-account';
import type { AccountSnapshot } from '../domain/types';
import { relayOutbox } from '../jobs/relay-outbox';
import { applyDecision, applyDepsOf } from './apply-decision';
import { proposeNow } from './create-ask-now';
import { today } from './load-snapshot';

// Accounts evaluated now (once each) and acted on the way the scan would: a proposal becomes an
// ask and a CSM task, a hand-off the CSM must act on becomes a hand-off task (at most one per
// cooldown), and the readiness is written back to the CRM. Used by the workflow action (one
// account), the CRM webhooks and the Salesforce triggers (many: read with the CRM's batch
// reads, each decision applied on its own through the one apply path, then their CRM writes
// relayed together and their readiness written back in one batch). Their trigger is a change
// of the accounts' signals, which the apply path passes on to the reference index.
// Idempotent per account and day.

export interface ActResult {
  evaluation: Evaluation;
  askId: string | null;
  taskId: string | null;
}

/** One account's outcome: acted on, or why not (DomainError: nothing to retry; anything else: try again later). */
export type ActOutcome = { accountId: string; result: ActResult } | { accountId: string; error: Error };

export async function evaluateAndAct(ctx: AppContext, portalId: string, accountId: string, actor: string): Promise<ActResult> {
  const read: AccountsRead = new Map([[accountId, await ctx.crmFor(portalId).getAccount(accountId)]]);
  const [outcome] = await actOn(ctx, portalId, read, actor);
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

/**
 * Many accounts, read with batch calls. One outcome per distinct id, in order. Throws only when
 * the CRM said stop (daily limit, credentials) or the store failed: decisions already applied
 * stand (applying them again is a no-op), so the caller may simply try the whole set again.
 */
export async function evaluateAndActMany(ctx: AppContext, portalId: string, accountIds: string[], actor: string): Promise<ActOutcome[]> {
  if (accountIds.length === 0) return [];
  return actOn(ctx, portalId, await ctx.crmFor(portalId).getAccounts(accountIds), actor);
}

interface Acted {
  accountId: string;
  evaluation: Evaluation;
  askId: string | null;
  /** Where to find the task once relayed: the ask's id, or the hand-off task's key. */
  task: { askId: string } | { key: string } | null;
}

async function actOn(ctx: AppContext, portalId: string, read: AccountsRead, actor: string): Promise<ActOutcome[]> {
  const day = today(ctx);
  const readable = [...read].filter(([, v]) => v !== null && !(v instanceof CrmError)).map(([id]) => id);
  const [asks, consents] = await Promise.all([ctx.store.asks.forAccounts(portalId, readable), ctx.store.consents.forAccounts(portalId, readable)]);
  const outcomes: Array<{ accountId: string; acted?: Acted; error?: Error }> = [];
  const writeKeys: string[] = [];
  const writeBacks: ReadinessWriteBack[] = [];
  for (const [accountId, signals] of read) {
    if (signals === null) {
      outcomes.push({ accountId, error: new DomainError('ACCOUNT_NOT_FOUND', `no account ${accountId} in this portal`, { accountId }) });
      continue;
    }
    if (signals instanceof CrmError) {
      outcomes.push({ accountId, error: signals });
      continue;
    }
    const history = asks.get(accountId) ?? [];
    const snapshot: AccountSnapshot = { ...signals, asks: history, consents: consents.get(accountId) ?? [] };
    const evaluation = evaluateAccount(snapshot, ctx.criteria, day);
    try {
      const acted = evaluation.decision === 'propose' && evaluation.proposal ? await propose(ctx, portalId, snapshot, signals, evaluation, actor) : await handOff(ctx, portalId, snapshot, signals, evaluation, actor);
      writeKeys.push(...acted.writeKeys);
      writeBacks.push({ accountId, readinessScore: evaluation.readiness?.score ?? null, band: evaluation.readiness?.band ?? null, advocacyStatus: advocacyStatus(evaluation, history, day), lastAskDate: lastAskDate(history) });
      outcomes.push({ accountId, acted: acted.acted });
    } catch (error) {
      if (error instanceof CrmError && error.stopsScan) throw error;
      outcomes.push({ accountId, error: error as Error });
    }
  }
  if (writeKeys.length) {
    // Every decision's writes in one relay: tasks and ask mirrors go out in full batches.
    const relay = await relayOutbox(applyDepsOf(ctx, portalId), { onlyKeys: writeKeys });
    if (relay.stoppedBy) ctx.logger.warn({ portalId, code: relay.stoppedBy.code }, 'task creation deferred: CRM stopped the relay');
  }
  await writeBack(ctx, portalId, writeBacks);
  const result: ActOutcome[] = [];
  for (const o of outcomes) {
    if (o.error) result.push({ accountId: o.accountId, error: o.error });
    else result.push({ accountId: o.accountId, result: await resultOf(ctx, portalId, o.acted!) });
  }
  return result;
}

async function resultOf(ctx: AppContext, portalId: string, acted: Acted): Promise<ActResult> {
  let taskId: string | null = null;
  if (acted.task && 'askId' in acted.task) taskId = (await ctx.store.asks.get(portalId, acted.task.askId))?.taskId ?? null;
  else if (acted.task) taskId = await ctx.store.outbox.taskIdFor(portalId, acted.task.key);
  return { evaluation: acted.evaluation, askId: acted.askId, taskId };
}

async function propose(ctx: AppContext, portalId: string, snapshot: AccountSnapshot, signals: AccountSignals, evaluation: Evaluation, actor: string) {
  const { ask, writeKeys } = await proposeNow(ctx, portalId, snapshot, evaluation, actor, 'workflow', { relay: false, signals: [signals] });
  return { acted: { accountId: evaluation.accountId, evaluation, askId: ask.askId, task: { askId: ask.askId } }, writeKeys };
}

/** A hand-off task when one is due; in any case the account's fresh signals reach the reference index. */
async function handOff(ctx: AppContext, portalId: string, snapshot: AccountSnapshot, signals: AccountSignals, evaluation: Evaluation, actor: string) {
  const day = today(ctx);
  const { accountId, ownerId, name } = snapshot.account;
  const key = `handoff:${accountId}:now:${day}`;
  const handoff = evaluation.decision === 'handoff' && ownerId;
  const last = handoff ? ((await ctx.store.outbox.lastHandoffTaskOn(portalId, [accountId])).get(accountId) ?? null) : null;
  const plan = handoff && handoffTaskDue(evaluation, last, ctx.criteria) ? handoffPlan(evaluation, ctx.criteria, { key, day, ownerId, accountName: name, actor, owner: snapshot.owner }) : emptyPlan();
  const { writeKeys } = await applyDecision(applyDepsOf(ctx, portalId), plan, { signals: [signals], relay: false });
  // The hand-off task raised today (by this path), if any: a retry reports the same one.
  return { acted: { accountId, evaluation, askId: null, task: handoff ? { key } : null }, writeKeys };
}

async function writeBack(ctx: AppContext, portalId: string, updates: ReadinessWriteBack[]): Promise<void> {
  if (updates.length === 0) return;
  try {
    await ctx.crmFor(portalId).writeBack(updates);
  } catch (error) {
    // The write-back mirrors the decisions into CRM properties (e.g. not created yet on an
    // account whose setup did not finish): the decisions and their tasks stand without it.
    if (error instanceof CrmError && error.stopsScan) throw error;
    ctx.logger.warn({ portalId, accounts: updates.length, code: (error as { code?: string }).code }, 'readiness write-back failed');
  }
}
