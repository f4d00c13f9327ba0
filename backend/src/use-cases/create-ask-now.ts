import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context';
import { refreshAdvocates } from './advocate-cache';
import { composeTask } from '../domain/compose-task';
import { DomainError } from '../domain/errors';
import { evaluateAccount } from '../domain/evaluate-account';
import { evaluatedAudit, mirrorOutboxItem, proposedAsk, proposedAudit, taskOutboxItem } from '../jobs/decision-records';
import { relayOutbox } from '../jobs/relay-outbox';
import type { StoredAsk } from '../store/store-port';
import { toAskView } from './ask-view';
import { loadSnapshot, today } from './load-snapshot';
import type { AskView } from './views';

// "Create the task now" from the card or a workflow: the same decision the scan would make,
// for one account, today. Idempotent per account, day and ask type: a double click or a
// retried workflow call returns the same ask and task.

export async function createAskNow(ctx: AppContext, portalId: string, accountId: string, actor: string, source: StoredAsk['source'] = 'card'): Promise<{ ask: AskView; taskId: string | null }> {
  const day = today(ctx);
  const { snapshot } = await loadSnapshot(ctx, portalId, accountId);
  const evaluation = evaluateAccount(snapshot, ctx.criteria, day);
  const key = `now:${accountId}:${day}`;
  const askId = `ask-${createHash('sha256').update(`${portalId}\u0000${key}`).digest('hex').slice(0, 16)}`;

  const existing = await ctx.store.asks.get(portalId, askId);
  if (existing) return { ask: toAskView(existing, snapshot.contacts), taskId: existing.taskId ?? (await ctx.store.outbox.taskIdFor(portalId, `task:${askId}`)) };

  if (evaluation.decision !== 'propose' || !evaluation.proposal) {
    throw new DomainError('NOTHING_TO_PROPOSE', `the engine does not propose an ask for account ${accountId} today (${evaluation.decision})`, {
      decision: evaluation.decision,
      reasons: evaluation.reasons,
    });
  }
  const draft = composeTask(evaluation, snapshot.account.name, ctx.criteria)!;
  const nowIso = ctx.now().toISOString();
  const ask = proposedAsk(evaluation, { askId, source, runKey: null, proposedAt: nowIso });
  await ctx.store.transaction(async (tx) => {
    const created = await tx.asks.insert(portalId, [ask]);
    if (created.length === 0) return; // a concurrent click won; its ask is the one
    await tx.outbox.enqueue(portalId, [
      taskOutboxItem(`task:${askId}`, draft, { accountId, askId, ownerId: snapshot.account.ownerId!, contactId: ask.contactId, day }),
      mirrorOutboxItem(ask, day),
    ]);
    await tx.audit.append(portalId, [{ actor, ...evaluatedAudit(evaluation, null) }, { actor, ...proposedAudit(ask, evaluation) }], nowIso);
  });
  await refreshAdvocates(ctx, portalId, accountId); // availability for references changed
  const relay = await relayOutbox({ store: ctx.store, crm: ctx.crmFor(portalId), portalId, now: ctx.now }, { onlyKeys: [`task:${askId}`, mirrorOutboxItem(ask, day).idempotencyKey] });
  if (relay.stoppedBy) ctx.logger.warn({ portalId, askId, code: relay.stoppedBy.code }, 'task creation deferred: CRM stopped the relay');
  const stored = (await ctx.store.asks.get(portalId, askId))!;
  return { ask: toAskView(stored, snapshot.contacts), taskId: stored.taskId };
}
