import type { CrmTask } from '../crm/port';
import type { TaskDraft } from '../domain/compose-task';
import type { Evaluation } from '../domain/evaluate-account';
import type { IsoDate } from '../domain/types';
import type { StoredAsk } from '../store/asks-repo';
import type { AuditEntryInput } from '../store/audit-log';
import type { OutboxItem } from '../store/outbox';

// What a decision writes, built the same way whichever path made it (portfolio scan, "create
// task now" on a card, a workflow action, a CRM change event).

/** A proposed ask for an evaluation that proposes one. */
export function proposedAsk(
  evaluation: Evaluation,
  ids: { askId: string; source: StoredAsk['source']; runKey: string | null; proposedAt: string },
): StoredAsk {
  const proposal = evaluation.proposal!;
  return {
    askId: ids.askId,
    accountId: evaluation.accountId,
    contactId: evaluation.contactId,
    dealId: null,
    askType: proposal.askType,
    status: 'proposed',
    proposedAt: ids.proposedAt,
    sentAt: null,
    acceptedAt: null,
    declinedAt: null,
    noResponseAt: null,
    completedAt: null,
    cancelledAt: null,
    source: ids.source,
    runKey: ids.runKey,
    taskId: null,
    crmAskId: null,
    outcomeNote: null,
    criteriaVersion: evaluation.criteriaVersion,
    readinessScore: evaluation.readiness?.score ?? null,
    details: { rule: proposal.rule, outreach: proposal.outreach },
  };
}

/** The outbox item that creates the owner's CRM task for a draft. */
export function taskOutboxItem(key: string, draft: TaskDraft, where: { accountId: string; askId: string | null; ownerId: string; contactId: string | null; day: IsoDate }): OutboxItem {
  const task: CrmTask = {
    idempotencyKey: key,
    kind: draft.kind,
    ownerId: where.ownerId,
    accountId: where.accountId,
    contactId: where.contactId,
    dealId: null,
    subject: draft.subject,
    body: draft.body,
    dueOn: draft.dueOn,
  };
  return { idempotencyKey: key, kind: draft.kind === 'ask' ? 'ask_task' : 'handoff_task', accountId: where.accountId, askId: where.askId, payload: task, createdOn: where.day };
}

export function mirrorOutboxItem(ask: StoredAsk, day: IsoDate): OutboxItem {
  return { idempotencyKey: `mirror:${ask.askId}:${ask.status}`, kind: 'ask_mirror', accountId: ask.accountId, askId: ask.askId, payload: { askId: ask.askId }, createdOn: day };
}

type Audit = Omit<AuditEntryInput, 'actor'>;

export function evaluatedAudit(evaluation: Evaluation, runKey: string | null): Audit {
  return {
    action: 'candidate.evaluated',
    entityType: 'account',
    entityId: evaluation.accountId,
    accountId: evaluation.accountId,
    criteriaVersion: evaluation.criteriaVersion,
    before: null,
    after: {
      runKey,
      asOf: evaluation.asOf,
      decision: evaluation.decision,
      contactId: evaluation.contactId,
      askType: evaluation.askType,
      reasons: evaluation.reasons.map((r) => r.code),
      readiness: evaluation.readiness?.score ?? null,
    },
  };
}

export function proposedAudit(ask: StoredAsk, evaluation: Evaluation): Audit {
  return {
    action: 'ask.proposed',
    entityType: 'ask',
    entityId: ask.askId,
    accountId: ask.accountId,
    criteriaVersion: evaluation.criteriaVersion,
    before: null,
    after: { askType: ask.askType, contactId: ask.contactId, rule: evaluation.proposal!.rule, status: 'proposed' },
  };
}

export function handoffAudit(evaluation: Evaluation, ownerId: string): Audit {
  return {
    action: 'handoff.raised',
    entityType: 'account',
    entityId: evaluation.accountId,
    accountId: evaluation.accountId,
    criteriaVersion: evaluation.criteriaVersion,
    before: null,
    after: { reasons: evaluation.reasons, ownerId },
  };
}
