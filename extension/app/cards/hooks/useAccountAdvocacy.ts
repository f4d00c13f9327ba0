import { callBackend } from '../lib/api';
import type { BackendConfig } from '../lib/config';
import { useRemote } from '../lib/remote';
import type { AccountAdvocacyView, AskView, Consent, CreateAskResult, CsmAskBody, OutcomeBody } from '../lib/types';

export const accountPath = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}`;

export function useAccountAdvocacy(config: BackendConfig, accountId: string) {
  return useRemote(`${config.baseUrl}|${accountId}`, () => callBackend<AccountAdvocacyView>(config, `${accountPath(accountId)}/advocacy`));
}

/** "Create task now": the ask the engine proposes today, with its CSM task. */
export const createAskNow = (config: BackendConfig, accountId: string) =>
  callBackend<CreateAskResult>(config, `${accountPath(accountId)}/asks`, { method: 'POST', body: {} });

export const recordOutcome = (config: BackendConfig, askId: string, body: OutcomeBody) =>
  callBackend<{ ask: AskView }>(config, `/asks/${encodeURIComponent(askId)}/outcome`, { method: 'POST', body: body as unknown as Record<string, unknown> });

/** The customer withdrew a consent: it stops covering public asks from today. */
export const revokeConsent = (config: BackendConfig, consentId: string) =>
  callBackend<{ consent: Consent }>(config, `/consents/${encodeURIComponent(consentId)}/revoke`, { method: 'POST', body: {} });

/** The CSM's note on an ask, edited without moving it. */
export const editAskNote = (config: BackendConfig, askId: string, note: string | null) =>
  callBackend<{ ask: AskView }>(config, `/asks/${encodeURIComponent(askId)}/note`, { method: 'POST', body: { note } });

/** The CSM asked the customer directly: record it as a CSM-owned ask. */
export const recordCsmAsk = (config: BackendConfig, accountId: string, body: CsmAskBody) =>
  callBackend<{ ask: AskView }>(config, `${accountPath(accountId)}/csm-asks`, { method: 'POST', body: body as unknown as Record<string, unknown> });
