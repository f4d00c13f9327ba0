import type { Evaluation } from './evaluate-account';
import { plusDays } from './calendar';
import type { Criteria } from './criteria';
import { ASK_LABELS } from './render-outreach';
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
