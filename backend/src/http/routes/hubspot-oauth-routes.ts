import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { HttpError } from '../errors';

// OAuth install for the marketplace (distributed) variant of the app: /install sends the
// admin to HubSpot's consent screen; /callback hands the code to the token store, which trades
// it for tokens, asks HubSpot which portal they belong to, and keeps them encrypted. The state
// parameter is signed and short-lived (a callback cannot be forged), good for one callback (a
// replay is refused), and bound to the browser that started the install: its nonce is also in
// an HttpOnly cookie that only that browser sends back, so a link with someone else's state
// (login CSRF: installing the attacker's account into the victim's session) is refused.

export interface HubSpotOAuthDeps {
  clientId: string;
  /** Signs the state parameter (the app's client secret). */
  clientSecret: string;
  /** The public URL of /hubspot/oauth/callback, exactly as registered in the app. */
  redirectUri: string;
  scopes: string[];
  optionalScopes?: string[];
  /** Trades the code for tokens and stores them, encrypted, under the portal HubSpot names. */
  install(code: string, redirectUri: string): Promise<{ portalId: string }>;
  /** Prepares the new account (properties, ask object or notes); returns a line for the admin. */
  setUp?(portalId: string): Promise<string>;
  /** Marks a state's nonce used (shared by every process); false when it was used before. */
  consumeState(nonce: string, now: Date): Promise<boolean>;
  now?: () => Date;
  logger?: Logger;
}

export const STATE_COOKIE = 'advocacy_oauth_state';

export const STATE_MAX_AGE_MS = 10 * 60_000;

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`oauth-state:${payload}`).digest('base64url');
}

export function newState(secret: string, now: Date): string {
  const payload = `${randomBytes(16).toString('base64url')}.${now.getTime()}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** The random part of a state, which the browser's cookie must repeat. */
export const stateNonce = (state: string) => state.split('.')[0];

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function stateIsValid(secret: string, state: string, now: Date): boolean {
  const parts = state.split('.');
  if (parts.length !== 3) return false;
  const payload = `${parts[0]}.${parts[1]}`;
  const want = Buffer.from(sign(secret, payload));
  const got = Buffer.from(parts[2]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
  const age = now.getTime() - Number(parts[1]);
  return Number.isFinite(age) && age >= 0 && age <= STATE_MAX_AGE_MS;
}

const callbackQuery = z.object({ code: z.string().min(1).max(500), state: z.string().min(1).max(300) });

export function hubspotOAuthRoutes(deps: HubSpotOAuthDeps): Router {
  const r = Router();
  const now = deps.now ?? (() => new Date());

  r.get('/install', (_req, res) => {
    const url = new URL('https://app.hubspot.com/oauth/authorize');
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', deps.redirectUri);
    url.searchParams.set('scope', deps.scopes.join(' '));
    if (deps.optionalScopes?.length) url.searchParams.set('optional_scope', deps.optionalScopes.join(' '));
    const state = newState(deps.clientSecret, now());
    url.searchParams.set('state', state);
    res.cookie(STATE_COOKIE, stateNonce(state), {
      httpOnly: true,
      secure: deps.redirectUri.startsWith('https:'),
      // Lax: sent on HubSpot's top-level redirect back to the callback, never on cross-site subrequests.
      sameSite: 'lax',
      path: new URL(deps.redirectUri).pathname,
      maxAge: STATE_MAX_AGE_MS,
    });
    res.redirect(302, url.toString());
  });

  r.get('/callback', async (req, res) => {
    if (typeof req.query.error === 'string') throw new HttpError('INSTALL_DENIED', `HubSpot did not grant access: ${req.query.error}`);
    const q = callbackQuery.parse(req.query);
    if (!stateIsValid(deps.clientSecret, q.state, now())) throw new HttpError('BAD_STATE', 'the install link is invalid or more than 10 minutes old; start the install again');
    const nonce = stateNonce(q.state);
    const cookie = cookieValue(req.get('cookie'), STATE_COOKIE);
    const sameBrowser = cookie !== null && cookie.length === nonce.length && timingSafeEqual(Buffer.from(cookie), Buffer.from(nonce));
    if (!sameBrowser) throw new HttpError('STATE_NOT_THIS_BROWSER', 'this install was not started in this browser; start the install again from the same browser');
    res.clearCookie(STATE_COOKIE, { path: new URL(deps.redirectUri).pathname });
    if (!(await deps.consumeState(nonce, now()))) throw new HttpError('STATE_USED', 'this install link was already used; start the install again');
    let portalId: string;
    try {
      ({ portalId } = await deps.install(q.code, deps.redirectUri));
    } catch (error) {
      const status = (error as { details?: { status?: number } }).details?.status;
      deps.logger?.warn({ status }, 'hubspot oauth code exchange failed');
      throw new HttpError('INSTALL_FAILED', 'HubSpot refused the install code; start the install again', { status });
    }
    deps.logger?.info({ portalId }, 'hubspot app installed');
    const account = portalId.replace(/^hubspot:/, '');
    let setUp = '';
    if (deps.setUp) {
      try {
        setUp = ` ${await deps.setUp(portalId)}`;
      } catch (error) {
        // Installed all the same: the tokens are stored; the setup can be run again.
        deps.logger?.warn({ portalId, code: (error as { code?: string }).code }, 'hubspot setup after install failed');
        setUp = ` Setup did not finish (${(error as Error).message}); run \`advocacy setup hubspot\` with PORTAL_ID=${portalId}.`;
      }
    }
    res.type('text/plain').send(`Advocacy Loop is installed for HubSpot account ${account}.${setUp} You can close this tab and open a company record.`);
  });
  return r;
}
