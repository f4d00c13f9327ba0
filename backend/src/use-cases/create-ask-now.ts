import type { AppContext } from './context';
import { askIdOf, evaluatedEntry, mergePlans, proposalPlan, taskKeyOf } from '../domain/decision-plan';
import { DomainError } from '../domain/errors';
import { evaluateAccount, type Evaluation } from '../domain/evaluate-account';
import type { AccountSignals } from '../crm/port';
import type { AccountSnapshot } from '../domain/types';
import type { StoredAsk } from '../store/store-port';
import { applyDecision, applyDepsOf } from './apply-decision';
import { toAskView } from './ask-view';
import { loadSnapshot, today } from './load-snapshot';
import type { AskView } from './views';

// "Create the task now" from the card or a workflow: the same decision the scan would make,
// for one account, today. Idempotent per account and day: a double click or a retried
// workflow call returns the same ask and task.

export async function createAskNow(ctx: AppContext, portalId: string, accountId: string, actor: string, source: StoredAsk['source'] = 'card'): Promise<{ ask: AskView; taskId: string | null }> {
  const { snapshot } = await loadSnapshot(ctx, portalId, accountId);
  const { ask, taskId } = await proposeNow(ctx, portalId, snapshot, evaluateAccount(snapshot, ctx.criteria, today(ctx)), actor, source);
  return { ask, taskId };
}

/** Today's ask for an account already evaluated today (the workflow action and change events come here too). */
export async function proposeNow(
  ctx: AppContext,
  portalId: string,
  snapshot: AccountSnapshot,
  evaluation: Evaluation,
  actor: string,
  source: StoredAsk['source'],
  options: { relay?: boolean; signals?: AccountSignals[] } = {},
): Promise<{ ask: AskView; taskId: string | null; writeKeys: string[] }> {
  const day = today(ctx);
  const accountId = snapshot.account.accountId;
  const askId = askIdOf(portalId, `now:${accountId}:${day}`);
  const existing = await ctx.store.asks.get(portalId, askId);
  if (existing) return { ask: toAskView(existing, snapshot.contacts), taskId: existing.taskId ?? (await ctx.store.outbox.taskIdFor(portalId, taskKeyOf(askId))), writeKeys: [] };
  if (evaluation.decision !== 'propose' || !evaluation.proposal) {
    throw new DomainError('NOTHING_TO_PROPOSE', `the engine does not propose an ask for account ${accountId} today (${evaluation.decision})`, { decision: evaluation.decision, reasons: evaluation.reasons });
  }
  const ids = { askId, source, runKey: null, proposedAt: ctx.now().toISOString(), day, ownerId: snapshot.account.ownerId!, accountName: snapshot.account.name, actor, owner: snapshot.owner };
  const proposed = proposalPlan(evaluation, ctx.criteria, ids);
  // From the card the CSM made the ask themselves and is looking at it: nothing to tell them.
  if (source === 'card') proposed.notices = [];
  const plan = mergePlans([{ asks: [], writes: [], audit: [evaluatedEntry(evaluation, null, actor)] }, proposed]);
  const { relay, writeKeys } = await applyDecision(applyDepsOf(ctx, portalId), plan, { relay: options.relay, signals: options.signals });
  if (relay.stoppedBy) ctx.logger.warn({ portalId, askId, code: relay.stoppedBy.code }, 'task creation deferred: CRM stopped the relay');
  const stored = (await ctx.store.asks.get(portalId, askId))!;
  return { ask: toAskView(stored, snapshot.contacts), taskId: stored.taskId, writeKeys };
}
