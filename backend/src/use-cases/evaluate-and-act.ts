import type { AppContext } from './context';
import { CrmError } from '../crm/errors';
import { advocacyStatus, lastAskDate } from '../domain/advocacy-status';
import { emptyPlan, handoffPlan } from '../domain/decision-plan';
import { evaluateAccount, handoffTaskDue, type Evaluation } from '../domain/evaluate-account';
import type { AccountSnapshot } from '../domain/types';
import type { StoredAsk } from '../store/store-port';
import { applyDecision, applyDepsOf } from './apply-decision';
import { proposeNow } from './create-ask-now';
import { loadSnapshot, today } from './load-snapshot';

// One account, evaluated now (once) and acted on the way the scan would: a proposal becomes an
// ask and a CSM task, a hand-off the CSM must act on becomes a hand-off task (at most one per
// cooldown), and the readiness is written back to the CRM. Used by the workflow action, the
// CRM webhooks and the Salesforce triggers: their trigger is a change of the account's
// signals, which the apply path passes on to the reference index. Idempotent per account and day.

export interface ActResult {
  evaluation: Evaluation;
  askId: string | null;
  taskId: string | null;
}

export async function evaluateAndAct(ctx: AppContext, portalId: string, accountId: string, actor: string): Promise<ActResult> {
  const { snapshot, asks } = await loadSnapshot(ctx, portalId, accountId);
  const evaluation = evaluateAccount(snapshot, ctx.criteria, today(ctx));
  const acted = evaluation.decision === 'propose' && evaluation.proposal ? await propose(ctx, portalId, snapshot, evaluation, actor) : await handOff(ctx, portalId, snapshot, evaluation, actor);
  await writeBack(ctx, portalId, evaluation, asks);
  return { evaluation, ...acted };
}

async function propose(ctx: AppContext, portalId: string, snapshot: AccountSnapshot, evaluation: Evaluation, actor: string) {
  const { ask, taskId } = await proposeNow(ctx, portalId, snapshot, evaluation, actor, 'workflow');
  return { askId: ask.askId, taskId };
}

/** A hand-off task when one is due; in any case the account's changed signals reach the reference index. */
async function handOff(ctx: AppContext, portalId: string, snapshot: AccountSnapshot, evaluation: Evaluation, actor: string) {
  const day = today(ctx);
  const { accountId, ownerId, name } = snapshot.account;
  const key = `handoff:${accountId}:now:${day}`;
  const handoff = evaluation.decision === 'handoff' && ownerId;
  const last = handoff ? ((await ctx.store.outbox.lastHandoffTaskOn(portalId, [accountId])).get(accountId) ?? null) : null;
  const plan = handoff && handoffTaskDue(evaluation, last, ctx.criteria) ? handoffPlan(evaluation, ctx.criteria, { key, day, ownerId, accountName: name, actor }) : emptyPlan();
  await applyDecision(applyDepsOf(ctx, portalId), plan, { signalsChanged: [accountId] });
  // The hand-off task raised today (by this path), if any: a retry reports the same one.
  return { askId: null, taskId: handoff ? await ctx.store.outbox.taskIdFor(portalId, key) : null };
}

async function writeBack(ctx: AppContext, portalId: string, evaluation: Evaluation, asks: StoredAsk[]): Promise<void> {
  try {
    const day = today(ctx);
    await ctx.crmFor(portalId).writeBack([
      { accountId: evaluation.accountId, readinessScore: evaluation.readiness?.score ?? null, band: evaluation.readiness?.band ?? null, advocacyStatus: advocacyStatus(evaluation, asks, day), lastAskDate: lastAskDate(asks) },
    ]);
  } catch (error) {
    // The write-back mirrors the decision into CRM properties (e.g. not created yet on an
    // account whose setup did not finish): the decision and its task stand without it.
    if (error instanceof CrmError && error.stopsScan) throw error;
    ctx.logger.warn({ portalId, accountId: evaluation.accountId, code: (error as { code?: string }).code }, 'readiness write-back failed');
  }
}
