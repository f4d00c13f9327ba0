import { callBackend } from '../lib/api';
import type { BackendConfig } from '../lib/config';
import { useRemote } from '../lib/remote';
import type { AskView, DealReferencesView, MatchResult, ReferenceFeedback, ReferenceNeed, ReferenceRequestView } from '../lib/types';

const dealPath = (dealId: string) => `/deals/${encodeURIComponent(dealId)}`;

/** The deal's prefill (from the deal and its company) and its reference requests. */
export function useDealReferences(config: BackendConfig, dealId: string) {
  return useRemote(`${config.baseUrl}|${dealId}`, () => callBackend<DealReferencesView>(config, `${dealPath(dealId)}/reference-requests`));
}

export const findAdvocates = (config: BackendConfig, dealId: string, need: ReferenceNeed) =>
  callBackend<MatchResult>(config, `${dealPath(dealId)}/reference-matches`, { method: 'POST', body: { ...need } });

export const requestReference = (config: BackendConfig, dealId: string, need: ReferenceNeed, contactId: string) =>
  callBackend<{ request: ReferenceRequestView }>(config, `${dealPath(dealId)}/reference-requests`, { method: 'POST', body: { need, contactId } });

/** The reference took place: completed, with what the advocate and the prospect said. */
export const completeReference = (config: BackendConfig, askId: string, note: string | null, feedback: ReferenceFeedback) =>
  callBackend<{ ask: AskView }>(config, `/asks/${encodeURIComponent(askId)}/outcome`, { method: 'POST', body: { status: 'completed', note, feedback } });
