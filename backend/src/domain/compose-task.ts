import type { Evaluation } from './evaluate-account';
import { plusDays } from './calendar';
import type { Criteria } from './criteria';
import type { ReferenceNeed } from './reference-types';
import { ASK_LABELS } from './render-outreach';
import { plusBusinessDays, type ServiceLevels } from './service-levels';
import type { IsoDate } from './types';

// The CRM task the owning CSM receives. The CSM stays in control: the task proposes, it
// never contacts the customer.

export interface TaskDraft {
  kind: 'ask' | 'handoff';
  subject: string;
  body: string;
  dueOn: IsoDate;
}

export function composeTask(evaluation: Evaluation, accountName: string, criteria: Criteria): TaskDraft | null {
  const dueOn = plusDays(evaluation.asOf, criteria.task.dueInDays);
  const why = evaluation.readiness
    ? `Readiness ${evaluation.readiness.score}/100 (${evaluation.readiness.band}): ` +
      evaluation.readiness.contributions
        .filter((c) => c.points > 0)
        .map((c) => `${c.note} +${c.points}`)
        .join('; ')
    : '';

  if (evaluation.decision === 'propose' && evaluation.proposal) {
    const p = evaluation.proposal;
    return {
      kind: 'ask',
      subject: `Advocacy ask for ${accountName}: ${ASK_LABELS[p.askType]}`,
      body: [
        `Proposed ask: ${p.askType} (${p.rule.detail}).`,
        why,
        `Criteria version ${evaluation.criteriaVersion}. Review, adjust and send it yourself, then record the outcome.`,
        '',
        `Subject: ${p.outreach.subject}`,
        '',
        p.outreach.body,
      ].join('\n'),
      dueOn,
    };
  }
  if (evaluation.decision === 'handoff') {
    return {
      kind: 'handoff',
      subject: `Advocacy hand-off for ${accountName}: you own any ask directly`,
      body: [
        'No automatic advocacy ask was made for this account, because:',
        ...evaluation.reasons.map((r) => `- ${r.code}: ${r.detail}`),
        evaluation.proposal ? `If and when the time is right, the ladder suggests: ${evaluation.proposal.askType}.` : '',
        why,
        `Criteria version ${evaluation.criteriaVersion}.`,
      ]
        .filter(Boolean)
        .join('\n'),
      dueOn,
    };
  }
  return null;
}

export interface ReferenceTaskDraft extends Omit<TaskDraft, 'kind'> {
  kind: 'reference_request';
}

/** What the prospect is, in the words of the need (what a CSM reads before approving). */
export function describeProspect(need: ReferenceNeed): string {
  return [need.industry, need.sizeBand, need.region, need.product, need.useCase, need.competitor && `replacing ${need.competitor}`, need.language].filter(Boolean).join(', ') || 'not described';
}

/**
 * The task the advocate's CSM receives for a reference request: who is asked, for what
 * prospect, and how to approve or decline; due when the CSM's decision is.
 */
export function composeReferenceTask(advocate: { contactName: string; accountName: string }, need: ReferenceNeed, requestedOn: IsoDate, levels: ServiceLevels): ReferenceTaskDraft {
  const askLabel = need.askType.replace('_', ' ');
  return {
    kind: 'reference_request',
    subject: `Reference request: ${advocate.contactName} (${advocate.accountName}) for a ${askLabel}`,
    body: [
      `A sales rep asks for ${advocate.contactName} at ${advocate.accountName} as a ${askLabel} reference.`,
      `Prospect: ${describeProspect(need)}.`,
      need.dueOn ? `Needed by ${need.dueOn}.` : '',
      `Approve and reach out yourself (record the outcome as sent), or decline it (record it as cancelled, with your reason as the note). Please decide within ${levels.csmDecisionBusinessDays} business days.`,
    ]
      .filter(Boolean)
      .join('\n'),
    dueOn: plusBusinessDays(requestedOn, levels.csmDecisionBusinessDays),
  };
}
