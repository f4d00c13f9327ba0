import { composeReferenceTask, composeTask, describeProspect } from '../../../backend/src/domain/compose-task';
import { evaluateAccount, handoffTaskDue } from '../../../backend/src/domain/evaluate-account';
import { buildSnapshot, defaultCriteria, TODAY } from '../../support/builders';

const criteria = defaultCriteria();

describe('the CSM task', () => {
  test('when an ask is proposed, then the task carries the why, the rule and the outreach text, due in 5 days', () => {
    const e = evaluateAccount(buildSnapshot(), criteria, TODAY);
    const t = composeTask(e, 'Acme Analytics', criteria)!;
    expect(t.kind).toBe('ask');
    expect(t.dueOn).toBe('2026-11-29');
    expect(t.subject).toBe('Advocacy ask for Acme Analytics: a short quote');
    expect(t.body).toContain('Readiness 81.3/100 (green)');
    expect(t.body).toContain('Hi Dana,');
  });

  test('when the account is handed off, then the task lists every reason and the held-back ask', () => {
    const e = evaluateAccount(buildSnapshot({ account: { strategic: true, openEscalations: 1 } }), criteria, TODAY);
    const t = composeTask(e, 'Acme Analytics', criteria)!;
    expect(t.kind).toBe('handoff');
    expect(t.body).toContain('- STRATEGIC_ACCOUNT:');
    expect(t.body).toContain('- SENSITIVE_RELATIONSHIP: 1 open escalation(s)');
    expect(t.body).toContain('the ladder suggests: quote');
  });

  test('when the account is not ready, then there is no task', () => {
    const e = evaluateAccount(buildSnapshot({ account: { healthScore: 40 } }), criteria, TODAY);
    expect(composeTask(e, 'Acme', criteria)).toBeNull();
  });

  test('when a strategic hand-off task was raised 29 days ago, then no new one; 30 days ago, then a new one', () => {
    const e = evaluateAccount(buildSnapshot({ account: { strategic: true } }), criteria, TODAY);
    expect(handoffTaskDue(e, '2026-10-26', criteria)).toBe(false);
    expect(handoffTaskDue(e, '2026-10-25', criteria)).toBe(true);
    expect(handoffTaskDue(e, null, criteria)).toBe(true);
  });
});

describe('the reference request task', () => {
  const need = { askType: 'reference_call' as const, industry: 'FinTech', sizeBand: '201-1000', region: null, product: 'Analytics', useCase: null, competitor: 'Legacy CRM', language: null, dueOn: '2026-12-04' };

  test('when a rep requests a reference, then the CSM task names the advocate, the prospect and how to decide, due in the CSM decision window of business days', () => {
    const t = composeReferenceTask({ contactName: 'Dana Reyes', accountName: 'Initech' }, need, '2026-11-27', { csmDecisionBusinessDays: 2, fulfilmentBusinessDays: 5 });
    expect(t.kind).toBe('reference_request');
    expect(t.subject).toBe('Reference request: Dana Reyes (Initech) for a reference call');
    expect(t.body.split('\n')).toEqual([
      'A sales rep asks for Dana Reyes at Initech as a reference call reference.',
      'Prospect: FinTech, 201-1000, Analytics, replacing Legacy CRM.',
      'Needed by 2026-12-04.',
      'Approve and reach out yourself (record the outcome as sent), or decline it (record it as cancelled, with your reason as the note). Please decide within 2 business days.',
    ]);
    expect(t.dueOn).toBe('2026-12-01'); // Friday + 2 business days: Tuesday
  });

  test('when the need names nothing about the prospect and has no due date, then the task says so and leaves the date out', () => {
    const bare = { ...need, industry: null, sizeBand: null, product: null, competitor: null, dueOn: null };
    expect(describeProspect(bare)).toBe('not described');
    expect(composeReferenceTask({ contactName: 'Dana', accountName: 'Initech' }, bare, '2026-11-24', { csmDecisionBusinessDays: 3, fulfilmentBusinessDays: 5 }).body).not.toContain('Needed by');
  });
});
