import { Client } from '@hubspot/api-client';
import type { Db } from '../../store/db';
import { markTokensRevoked, readTokenRow, writeTokenRow } from '../../store/hubspot-tokens-repo';
import { CrmError } from '../errors';
import type { AccessTokenSource } from './access-token';
import { HubSpotHttpError, rawErrors, withDeadline } from './call-hubspot';
import { hubspotPortalId } from './portal-id';
import { decryptToken, encryptToken, type Keyring } from './token-cipher';

// Per-portal OAuth tokens, encrypted in the database, refreshed shortly before they expire (and
// on demand after a 401). One refresh at a time per portal: HubSpot rotates nothing on refresh,
// but parallel refreshes would still waste calls and race on the row.

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** Where the SDK sends the refresh (tests and the bench point it elsewhere). */
  basePath?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** When HubSpot rejected the refresh token as revoked (the tokens are then never used). */
  revokedAt?: Date;
}

/**
 * A refresh HubSpot refused because the grant itself is gone (the app was uninstalled, or the
 * user's access revoked): 400 with BAD_REFRESH_TOKEN (HubSpot's own status) or the OAuth
 * standard invalid_grant. Other 400s (a wrong client id or secret) are configuration, not revocation.
 */
export function isRevokedRefresh(error: unknown): boolean {
  if (!(error instanceof HubSpotHttpError) || error.status !== 400) return false;
  const { body } = error;
  return body.status === 'BAD_REFRESH_TOKEN' || body.error === 'invalid_grant' || body.error === 'BAD_REFRESH_TOKEN';
}

/** Told when a portal's refresh token turned out revoked (the composition root audits it). */
export type OnRevoked = (portalId: string, at: string) => Promise<void>;

export { staticToken, type AccessTokenSource } from './access-token';

const EARLY_MS = 60_000;

export class HubSpotTokenStore {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Db,
    /** The current key (seals) and the retired ones (still open what they sealed). */
    private readonly key: Keyring | Buffer,
    private readonly app: OAuthApp,
    private readonly now: () => Date = () => new Date(),
    /** OAuth calls wait this long at most (a hung refresh would stall every call of the portal). */
    private readonly timeoutMs = 15_000,
    private readonly onRevoked: OnRevoked = async () => {},
  ) {}

  // The SDK's typed error model drops HubSpot's `status` (BAD_REFRESH_TOKEN); rawErrors keeps the body.
  private client(): Client {
    return new Client({ numberOfApiCallRetries: 0, middleware: [rawErrors], ...(this.app.basePath ? { basePath: this.app.basePath } : {}) });
  }

  /** Stores the tokens of an install (OAuth callback) or of a refresh. */
  async save(portalId: string, tokens: TokenSet): Promise<void> {
    await writeTokenRow(this.db, {
      portalId,
      accessTokenEnc: encryptToken(this.key, tokens.accessToken, `${portalId}:access`),
      refreshTokenEnc: encryptToken(this.key, tokens.refreshToken, `${portalId}:refresh`),
      expiresAt: tokens.expiresAt.toISOString(),
    });
  }

  /**
   * The OAuth install callback: trades the code for tokens, asks HubSpot which portal they
   * belong to (never trusting a portal id from the request), and stores them encrypted.
   */
  async install(code: string, redirectUri: string): Promise<{ portalId: string; scopes: string[] }> {
    const client = this.client();
    try {
      const tokens = await withDeadline(() => client.oauth.tokensApi.create('authorization_code', code, redirectUri, this.app.clientId, this.app.clientSecret), this.timeoutMs);
      const info = await withDeadline(() => client.oauth.accessTokensApi.get(tokens.accessToken), this.timeoutMs);
      const portalId = hubspotPortalId(info.hubId);
      await this.save(portalId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(this.now().getTime() + tokens.expiresIn * 1000) });
      return { portalId, scopes: info.scopes ?? [] };
    } catch (error) {
      if (error instanceof CrmError) throw error;
      const status = httpStatus(error);
      throw new CrmError('CRM_AUTH', `HubSpot refused the install code (HTTP ${status ?? 'error'}); start the install again`, { status });
    }
  }

  async load(portalId: string): Promise<TokenSet | null> {
    const row = await readTokenRow(this.db, portalId);
    if (!row) return null;
    return {
      accessToken: decryptToken(this.key, row.accessTokenEnc, `${portalId}:access`),
      refreshToken: decryptToken(this.key, row.refreshTokenEnc, `${portalId}:refresh`),
      expiresAt: new Date(row.expiresAt),
      ...(row.revokedAt ? { revokedAt: new Date(row.revokedAt) } : {}),
    };
  }

  async accessToken(portalId: string): Promise<string> {
    const tokens = await this.load(portalId);
    if (!tokens) throw new CrmError('CRM_AUTH', `portal ${portalId} has not installed the app (no OAuth tokens stored)`);
    if (tokens.revokedAt) throw revoked(portalId, tokens.revokedAt);
    if (tokens.expiresAt.getTime() - EARLY_MS > this.now().getTime()) return tokens.accessToken;
    return this.refresh(portalId);
  }

  refresh(portalId: string): Promise<string> {
    let running = this.inflight.get(portalId);
    if (!running) {
      running = this.doRefresh(portalId).finally(() => this.inflight.delete(portalId));
      this.inflight.set(portalId, running);
    }
    return running;
  }

  /** The adapter's view of one portal's credentials. */
  sourceFor(portalId: string): AccessTokenSource {
    return { canRefresh: true, authHint: `HubSpot refused portal ${portalId}'s token even after a refresh; the install may be revoked: reinstall the app`, accessToken: () => this.accessToken(portalId), refresh: () => this.refresh(portalId) };
  }

  private async doRefresh(portalId: string): Promise<string> {
    const tokens = await this.load(portalId);
    if (!tokens) throw new CrmError('CRM_AUTH', `portal ${portalId} has not installed the app (no OAuth tokens stored)`);
    if (tokens.revokedAt) throw revoked(portalId, tokens.revokedAt);
    const client = this.client();
    let answer;
    try {
      answer = await withDeadline(() => client.oauth.tokensApi.create('refresh_token', undefined, undefined, this.app.clientId, this.app.clientSecret, tokens.refreshToken), this.timeoutMs);
    } catch (error) {
      // Never echo the tokens: the status says enough.
      const status = httpStatus(error);
      if (isRevokedRefresh(error)) {
        // The grant is gone (most likely an uninstall): stop using these tokens, and so stop
        // scanning the portal, but keep its data: only an uninstall event (or the command)
        // starts the grace period and the purge.
        const at = this.now();
        if (await markTokensRevoked(this.db, portalId, at.toISOString())) await this.onRevoked(portalId, at.toISOString());
        throw revoked(portalId, at);
      }
      throw new CrmError('CRM_AUTH', `HubSpot refused to refresh the token of portal ${portalId} (HTTP ${status ?? 'error'}); reinstall the app`, { status });
    }
    await this.save(portalId, {
      accessToken: answer.accessToken,
      refreshToken: answer.refreshToken || tokens.refreshToken,
      expiresAt: new Date(this.now().getTime() + answer.expiresIn * 1000),
    });
    return answer.accessToken;
  }
}

const httpStatus = (error: unknown): number | undefined => (error instanceof HubSpotHttpError ? error.status : (error as { code?: number }).code);

const revoked = (portalId: string, at: Date) =>
  new CrmError('CRM_AUTH', `HubSpot rejected portal ${portalId}'s refresh token as revoked (${at.toISOString()}); the portal is not scanned until the app is installed again`, { status: 400, revoked: true });
