// Where the cards find the backend. The value comes from the HubSpot profile in use
// (hsprofile.<name>.json `variables.ADVOCACY_BACKEND_URL`), which HubSpot hands to every card
// as `context.variables`; nothing in the cards names a host.

export const BACKEND_URL_VARIABLE = 'ADVOCACY_BACKEND_URL';

/** Every card call goes under this prefix: the signed HubSpot routes of the backend. */
export const HUBSPOT_API_PREFIX = '/hubspot/v1';

/** hubspot.fetch allows 15 s; the cards give up a little earlier and offer a retry. */
export const FETCH_TIMEOUT_MS = 12_000;

export interface BackendConfig {
  baseUrl: string;
}

export type ConfigResult = { ok: true; config: BackendConfig } | { ok: false; problem: string };

/** Reads the backend URL from the profile variables; a bad value is a readable problem, not a crash. */
export function backendConfigFrom(variables: Record<string, unknown> | undefined): ConfigResult {
  const raw = variables?.[BACKEND_URL_VARIABLE];
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, problem: `The app's profile has no ${BACKEND_URL_VARIABLE}. Ask your HubSpot admin to set it and upload the project again.` };
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: `${BACKEND_URL_VARIABLE} is not a URL: "${raw}".` };
  }
  // hubspot.fetch only calls HTTPS URLs listed in permittedUrls.fetch.
  if (url.protocol !== 'https:') return { ok: false, problem: `${BACKEND_URL_VARIABLE} must be an https:// URL, got "${raw}".` };
  if (url.search || url.hash) return { ok: false, problem: `${BACKEND_URL_VARIABLE} must not carry a query or fragment: "${raw}".` };
  return { ok: true, config: { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` } };
}
