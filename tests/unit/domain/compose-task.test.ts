import { composeTask } from '../../../backend/src/domain/compose-task';
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
