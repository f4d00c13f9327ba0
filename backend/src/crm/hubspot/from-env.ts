import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '../../config/env';
import type { Db } from '../../store/db';
import { CrmError } from '../errors';
import { defaultCallPolicy } from './call-hubspot';
import { defaultHubSpotFieldMap, hubspotFieldMapSchema, type HubSpotFieldMap } from './field-map';
import { HubSpotCrm } from './hubspot-crm';
import { HUBSPOT_PORTAL_ID } from './portal-id';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './portal-limiter';
import { parseKeyring } from '../../config/secret-rules';
import { HubSpotTokenStore, staticToken, type AccessTokenSource, type OnRevoked } from './token-store';
import { HubSpotAppJournal } from './app-journal';
import { SharedPortalLimiter } from './shared-portal-limiter';

// HubSpot settings from the environment, checked once with every problem listed. A private app
// (one portal, a static token) or an OAuth app (any number of portals, tokens in the store).

export type HubSpotAuthMode = 'private_app' | 'oauth';

export function hubspotAuthModeFromEnv(env: Env): HubSpotAuthMode {
  const mode = env.HUBSPOT_AUTH ?? (env.HUBSPOT_ACCESS_TOKEN ? 'private_app' : 'oauth');
  const problems: Array<{ path: string; message: string }> = [];
  if (mode === 'private_app' && !env.HUBSPOT_ACCESS_TOKEN) problems.push({ path: 'HUBSPOT_ACCESS_TOKEN', message: 'set it to the private app access token' });
  // OAuth serves any installed account; PORTAL_ID is then only the account the CLI acts on.
  if ((mode === 'private_app' || env.PORTAL_ID !== 'local') && !HUBSPOT_PORTAL_ID.test(env.PORTAL_ID)) {
    problems.push({ path: 'PORTAL_ID', message: `set it to hubspot:<account id> (the HubSpot account the CLI acts on${mode === 'private_app' ? ' and the private app token belongs to' : ''}), got "${env.PORTAL_ID}"` });
  }
  if (mode === 'oauth') {
    if (!env.HUBSPOT_CLIENT_ID) problems.push({ path: 'HUBSPOT_CLIENT_ID', message: 'needed to refresh OAuth tokens' });
    if (!env.HUBSPOT_CLIENT_SECRET) problems.push({ path: 'HUBSPOT_CLIENT_SECRET', message: 'needed to refresh OAuth tokens' });
    if (!env.TOKEN_ENCRYPTION_KEY) problems.push({ path: 'TOKEN_ENCRYPTION_KEY', message: 'needed to keep OAuth tokens encrypted at rest (32 bytes, base64 or hex)' });
    else {
      try {
        parseKeyring(env.TOKEN_ENCRYPTION_KEY, env.TOKEN_ENCRYPTION_OLD_KEYS);
      } catch (error) {
        problems.push({ path: 'TOKEN_ENCRYPTION_KEY', message: (error as Error).message });
      }
    }
  }
  if (problems.length) throw new ConfigError('HubSpot settings', problems);
  return mode;
}

export function hubspotTokenStoreFromEnv(env: Env, db: Db, onRevoked?: OnRevoked): HubSpotTokenStore {
  hubspotAuthModeFromEnv({ ...env, HUBSPOT_AUTH: 'oauth' });
  return new HubSpotTokenStore(db, parseKeyring(env.TOKEN_ENCRYPTION_KEY!, env.TOKEN_ENCRYPTION_OLD_KEYS), { clientId: env.HUBSPOT_CLIENT_ID!, clientSecret: env.HUBSPOT_CLIENT_SECRET!, basePath: env.HUBSPOT_API_BASE_URL }, undefined, undefined, onRevoked);
}

/**
 * The app's webhooks journal (uninstall events) for a HubSpot OAuth app; null for a private
 * app or another CRM, which have no installs to follow.
 */
export function hubspotAppJournalFromEnv(env: Env): HubSpotAppJournal | null {
  if (env.CRM !== 'hubspot' || !env.HUBSPOT_CLIENT_ID || !env.HUBSPOT_CLIENT_SECRET) return null;
  if ((env.HUBSPOT_AUTH ?? (env.HUBSPOT_ACCESS_TOKEN ? 'private_app' : 'oauth')) !== 'oauth') return null;
  return new HubSpotAppJournal({ clientId: env.HUBSPOT_CLIENT_ID, clientSecret: env.HUBSPOT_CLIENT_SECRET, basePath: env.HUBSPOT_API_BASE_URL, policy: { ...defaultCallPolicy(), timeoutMs: env.HUBSPOT_TIMEOUT_MS } });
}

export function hubspotFieldMapFromEnv(env: Env): HubSpotFieldMap {
  if (!env.HUBSPOT_FIELD_MAP_FILE) return defaultHubSpotFieldMap();
  const parsed = hubspotFieldMapSchema.safeParse(JSON.parse(readFileSync(env.HUBSPOT_FIELD_MAP_FILE, 'utf8')));
  if (!parsed.success) throw new ConfigError(`field map ${env.HUBSPOT_FIELD_MAP_FILE}`, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}

export const hubspotRateFromEnv = (env: Env): RateLimit => ({ ...DEFAULT_RATE_LIMIT, perWindow: env.HUBSPOT_RATE_LIMIT_PER_10S });

/**
 * A factory for the adapter of a portal. OAuth: each portal's own tokens from the store.
 * Private app: its token opens one portal only (PORTAL_ID); any other portal is refused, so a
 * request for portal B can never be served with portal A's token.
 */
export function hubspotCrmFactoryFromEnv(env: Env, db: Db, tokens: () => HubSpotTokenStore = () => hubspotTokenStoreFromEnv(env, db)): (portalId: string) => HubSpotCrm {
  const mode = hubspotAuthModeFromEnv(env);
  const store = mode === 'oauth' ? tokens() : null;
  const fieldMap = hubspotFieldMapFromEnv(env);
  const rate = hubspotRateFromEnv(env);
  const cache = new Map<string, HubSpotCrm>();
  return (portalId) => {
    let crm = cache.get(portalId);
    if (!crm) {
      if (!store && portalId !== env.PORTAL_ID) {
        throw new CrmError('CRM_AUTH', `this deployment's private app token belongs to portal ${env.PORTAL_ID}; portal ${portalId} needs the OAuth app installed`);
      }
      const auth: AccessTokenSource = store ? store.sourceFor(portalId) : staticToken(env.HUBSPOT_ACCESS_TOKEN!);
      crm = new HubSpotCrm({
        portalId,
        db,
        auth,
        fieldMap,
        rate,
        // On a server, every process (serve, workers) spends one budget per portal.
        limiter: db.kind === 'postgres' ? new SharedPortalLimiter(db, portalId, rate, env.HUBSPOT_TIMEOUT_MS) : undefined,
        basePath: env.HUBSPOT_API_BASE_URL,
        policy: { ...defaultCallPolicy(), timeoutMs: env.HUBSPOT_TIMEOUT_MS },
        mode: env.HUBSPOT_ASK_STORAGE,
        askObjectName: env.HUBSPOT_ASK_OBJECT_TYPE,
      });
      cache.set(portalId, crm);
    }
    return crm;
  };
}
