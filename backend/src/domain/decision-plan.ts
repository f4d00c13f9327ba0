import { createHash } from 'node:crypto';
import type { AuditEntryInput } from './audit-entry';
import { composeTask } from './compose-task';
import type { Criteria } from './criteria';
import type { CrmTask } from './crm-task';
import type { Evaluation } from './evaluate-account';
import { handoffNotice, proposalNotice, recipientOf, type Notice } from './notices';
import type { Ask, IsoDate, Owner } from './types';

// What a decision writes, as a pure plan: the ask to create, the CRM writes it calls for (the
// owner's task, the ask's CRM mirror), and the audit entries, with ids from one id function.
// Built the same way whichever path decided (portfolio scan, "create task now", a workflow
// action, a CRM change event, a reference request); applied by use-cases/apply-decision.ts in
// one transaction, then relayed.

export type AskSource = 'scan' | 'card' | 'import' | 'reference' | 'workflow' | 'csm';

/** An ask as the program records it when it is created (the CRM ids come with the relay). */
export interface PlannedAsk extends Ask {
  source: AskSource;
  runKey: string | null;
  taskId: null;
  crmAskId: null;
  outcomeNote: string | null;
  criteriaVersion: string | null;
  readinessScore: number | null;
  details: Record<string, unknown>;
}

export type OutboxKind = 'ask_task' | 'handoff_task' | 'reference_task' | 'ask_mirror';

/** A CRM write, kept in the outbox with the decision and sent by the relay under its key. */
export interface OutboxItem {
  idempotencyKey: string;
  kind: OutboxKind;
  accountId: string;
  askId: string | null;
  /** A CrmTask for *_task kinds; {askId} for ask_mirror. */
  payload: CrmTask | { askId: string };
  createdOn: string;
}

export interface DecisionPlan {
  asks: PlannedAsk[];
  writes: OutboxItem[];
  audit: AuditEntryInput[];
  /** What the CSM is told (domain/notices.ts), recorded with the rest and delivered once, apart from the CRM writes. */
  notices?: Notice[];
}

export const emptyPlan = (): DecisionPlan => ({ asks: [], writes: [], audit: [], notices: [] });

export function mergePlans(plans: DecisionPlan[]): DecisionPlan {
  return { asks: plans.flatMap((p) => p.asks), writes: plans.flatMap((p) => p.writes), audit: plans.flatMap((p) => p.audit), notices: plans.flatMap((p) => p.notices ?? []) };
}

/** The one id function: the same parts give the same ask id, so a retried decision is the same ask. */
export function askIdOf(...parts: string[]): string {
  return `ask-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)}`;
}

export const taskKeyOf = (askId: string) => `task:${askId}`;

export function mirrorWrite(ask: Pick<Ask, 'askId' | 'accountId' | 'status'>, day: IsoDate): OutboxItem {
  return { idempotencyKey: `mirror:${ask.askId}:${ask.status}`, kind: 'ask_mirror', accountId: ask.accountId, askId: ask.askId, payload: { askId: ask.askId }, createdOn: day };
}

export function taskWrite(task: CrmTask, where: { askId: string | null; day: IsoDate }): OutboxItem {
  const kind = task.kind === 'ask' ? 'ask_task' : task.kind === 'handoff' ? 'handoff_task' : 'reference_task';
  return { idempotencyKey: task.idempotencyKey, kind, accountId: task.accountId, askId: where.askId, payload: task, createdOn: where.day };
}

export function evaluatedEntry(evaluation: Evaluation, runKey: string | null, actor: string): AuditEntryInput {
  return {
    actor,
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

export interface ProposalIds {
  askId: string;
  source: AskSource;
  runKey: string | null;
  /** When the ask counts as proposed (a scan for a past date records that date). */
  proposedAt: string;
  /** The day the task is due from and the writes are dated. */
  day: IsoDate;
  ownerId: string;
  accountName: string;
  actor: string;
  /** The owning CSM as the CRM knows them (name, email): who the notice goes to. */
  owner?: Owner | null;
}

/** The ask an evaluation proposes, the owner's task for it, its CRM mirror and its audit entry. */
export function proposalPlan(evaluation: Evaluation, criteria: Criteria, ids: ProposalIds): DecisionPlan {
  const proposal = evaluation.proposal!;
  const draft = composeTask(evaluation, ids.accountName, criteria)!;
  const ask: PlannedAsk = {
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
  const task: CrmTask = { idempotencyKey: taskKeyOf(ask.askId), kind: draft.kind, ownerId: ids.ownerId, accountId: ask.accountId, contactId: ask.contactId, dealId: null, subject: draft.subject, body: draft.body, dueOn: draft.dueOn };
  return {
    asks: [ask],
    writes: [taskWrite(task, { askId: ask.askId, day: ids.day }), mirrorWrite(ask, ids.day)],
    audit: [
      {
        actor: ids.actor,
        action: 'ask.proposed',
        entityType: 'ask',
        entityId: ask.askId,
        accountId: ask.accountId,
        criteriaVersion: evaluation.criteriaVersion,
        before: null,
        after: { askType: ask.askType, contactId: ask.contactId, rule: proposal.rule, status: 'proposed' },
      },
    ],
    notices: [proposalNotice(evaluation, ask.askId, { recipient: recipientOf(ids.ownerId, ids.owner), accountName: ids.accountName, day: ids.day })],
  };
}

/** The hand-off task the CSM must act on, and its audit entry. */
export function handoffPlan(evaluation: Evaluation, criteria: Criteria, ids: { key: string; day: IsoDate; ownerId: string; accountName: string; actor: string; owner?: Owner | null }): DecisionPlan {
  const draft = composeTask(evaluation, ids.accountName, criteria)!;
  const task: CrmTask = { idempotencyKey: ids.key, kind: draft.kind, ownerId: ids.ownerId, accountId: evaluation.accountId, contactId: evaluation.contactId, dealId: null, subject: draft.subject, body: draft.body, dueOn: draft.dueOn };
  return {
    asks: [],
    writes: [taskWrite(task, { askId: null, day: ids.day })],
    audit: [
      {
        actor: ids.actor,
        action: 'handoff.raised',
        entityType: 'account',
        entityId: evaluation.accountId,
        accountId: evaluation.accountId,
        criteriaVersion: evaluation.criteriaVersion,
        before: null,
        after: { reasons: evaluation.reasons, ownerId: ids.ownerId },
      },
    ],
    notices: [handoffNotice(evaluation, ids.key, { recipient: recipientOf(ids.ownerId, ids.owner), accountName: ids.accountName, day: ids.day })],
  };
}
