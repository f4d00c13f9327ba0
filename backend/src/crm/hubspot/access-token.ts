import { CrmError } from '../errors';

// A HubSpot credential as the adapter sees it (a private app's static token, or one portal's
// OAuth tokens from token-store.ts): kept apart so the call policy needs no token store.

/** What the adapter needs from any credential: a token now, and a fresh one after a 401. */
export interface AccessTokenSource {
  readonly canRefresh: boolean;
  /** What to tell an operator when HubSpot still says 401. */
  readonly authHint?: string;
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

export const staticToken = (token: string): AccessTokenSource => ({
  canRefresh: false,
  authHint: 'check HUBSPOT_ACCESS_TOKEN and the private app scopes',
  accessToken: async () => token,
  refresh: async () => {
    throw new CrmError('CRM_AUTH', 'HubSpot refused the private-app token; check HUBSPOT_ACCESS_TOKEN and the app scopes');
  },
});
