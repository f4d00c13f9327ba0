import type { AppContext } from './context';
import { CrmError } from '../crm/errors';
import { DomainError } from '../domain/errors';
import { evaluateAndAct } from './evaluate-and-act';
import { once } from './idempotent';

// The "Evaluate advocacy readiness" workflow action: score the enrolled company, create the
// ask or hand-off task when the decision calls for it, and hand later workflow steps fields
// they can branch on. Idempotent on callbackId.

export interface WorkflowOutput {
  outputFields: {
    hs_execution_state: 'SUCCESS' | 'FAIL_CONTINUE';
    readiness_score: number | null;
    readiness_band: string | null;
    decision: string | null;
    ask_type: string | null;
    reason_codes: string;
    error?: string;
  };
}

export async function workflowEvaluate(ctx: AppContext, portalId: string, callbackId: string, companyId: string): Promise<WorkflowOutput> {
  const { result } = await once(ctx, portalId, `workflow:${callbackId}`, async (): Promise<WorkflowOutput> => {
    try {
      const { evaluation } = await evaluateAndAct(ctx, portalId, companyId, `workflow:${callbackId}`);
      return {
        outputFields: {
          hs_execution_state: 'SUCCESS',
          readiness_score: evaluation.readiness?.score ?? null,
          readiness_band: evaluation.readiness?.band ?? null,
          decision: evaluation.decision,
          ask_type: evaluation.askType,
          reason_codes: [...new Set(evaluation.reasons.map((r) => r.code))].join(';'),
        },
      };
    } catch (error) {
      // A company we cannot judge is an answer for the workflow, not a retry storm. Transient
      // CRM trouble is rethrown so HubSpot retries it later.
      if (error instanceof DomainError) {
        return { outputFields: { hs_execution_state: 'FAIL_CONTINUE', readiness_score: null, readiness_band: null, decision: null, ask_type: null, reason_codes: error.code, error: error.message } };
      }
      if (error instanceof CrmError && error.code === 'CRM_NOT_FOUND') {
        return { outputFields: { hs_execution_state: 'FAIL_CONTINUE', readiness_score: null, readiness_band: null, decision: null, ask_type: null, reason_codes: error.code, error: 'company not found' } };
      }
      throw error;
    }
  });
  return result;
}
