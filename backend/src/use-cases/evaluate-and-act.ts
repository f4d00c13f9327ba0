import type { AppContext } from '../app-context';
import { advocacyStatus, lastAskDate } from '../domain/advocacy-status';
import { composeTask } from '../domain/compose-task';
import { evaluateAccount, handoffTaskDue, type Evaluation } from '../domain/evaluate-account';
import { CrmError } from '../crm/errors';
import { handoffAudit, taskOutboxItem } from '../jobs/decision-records';
import { relayOutbox } from '../jobs/relay-outbox';
import { createAskNow } from './create-ask-now';
import { loadSnapshot, today } from './load-snapshot';
import { refreshAdvocates } from './advocate-cache';

// One account, evaluated now and acted on the way the scan would: a proposal becomes an ask
// and a CSM task, a hand-off the CSM must act on becomes a hand-off task (at most one per
// cooldown), and the readiness is written back to the CRM. Used by the workflow action, the
// CRM webhooks and the Salesforce triggers. Idempotent per account and day.

export interface ActResult {
  evaluation: Evaluation;
  askId: string | null;
  taskId: string | null;
}

export async function evaluateAndAct(ctx: AppContext, portalId: string, accountId: string, actor: string): Promise<ActResult> {
  const day = today(ctx);
  const { snapshot, asks } = await loadSnapshot(ctx, portalId, accountId);
  const evaluation = evaluateAccount(snapshot, ctx.criteria, day);
  const crm = ctx.crmFor(portalId);
  let askId: string | null = null;
  let taskId: string | null = null;

  if (evaluation.decision === 'propose' && evaluation.proposal) {
    const created = await createAskNow(ctx, portalId, accountId, actor, 'workflow');
    askId = created.ask.askId;
    taskId = created.taskId;
  } else if (evaluation.decision === 'handoff' && snapshot.account.ownerId) {
    const last = (await ctx.store.outbox.lastHandoffTaskOn(portalId, [accountId])).get(accountId) ?? null;
    const key = `handoff:${accountId}:now:${day}`;
    if (handoffTaskDue(evaluation, last, ctx.criteria)) {
      const draft = composeTask(evaluation, snapshot.account.name, ctx.criteria)!;
      await ctx.store.transaction(async (tx) => {
        await tx.outbox.enqueue(portalId, [taskOutboxItem(key, draft, { accountId, askId: null, ownerId: snapshot.account.ownerId!, contactId: evaluation.contactId, day })]);
        await tx.audit.append(portalId, [{ actor, ...handoffAudit(evaluation, snapshot.account.ownerId!) }], ctx.now().toISOString());
      });
      await relayOutbox({ store: ctx.store, crm, portalId, now: ctx.now }, { onlyKeys: [key] });
    }
    // The hand-off task raised today (by this path), if any: a retry reports the same one.
    taskId = await ctx.store.outbox.taskIdFor(portalId, key);
  }

  try {
    await crm.writeBack([
      {
        accountId,
        readinessScore: evaluation.readiness?.score ?? null,
        band: evaluation.readiness?.band ?? null,
        advocacyStatus: advocacyStatus(evaluation, asks, day),
        lastAskDate: lastAskDate(asks),
      },
    ]);
  } catch (error) {
    // The write-back mirrors the decision into CRM properties (e.g. not created yet on an
    // account whose setup did not finish): the decision and its task stand without it.
    if (error instanceof CrmError && error.stopsScan) throw error;
    ctx.logger.warn({ portalId, accountId, code: (error as { code?: string }).code }, 'readiness write-back failed');
  }
  // Signals changed (that is what triggers this): the reference matcher sees them too.
  if (!askId) await refreshAdvocates(ctx, portalId, accountId);
  return { evaluation, askId, taskId };
}
