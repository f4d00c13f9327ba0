import pino, { type Logger } from 'pino';
import { join, resolve } from 'node:path';
import { ConfigError, loadEnv, type Env } from './config/env';
import { loadCriteria } from './config/load-criteria';
import type { AppLifecycleSource } from './crm/app-lifecycle';
import { loadNotificationConfig } from './config/load-notifications';
import { notifierFactory, slackWorkspacesFromEnv } from './notify/notifier-from-env';
import type { SlackWorkspaces } from './notify/slack/slack-workspaces';
import type { HubSpotTokenStore } from './crm/hubspot/token-store';
import { LocalCrm } from './crm/local/local-crm';
import type { CrmPort } from './crm/port';
import type { Subscription } from './crm/salesforce/change-events';
import type { SalesforceCrm } from './crm/salesforce/salesforce-crm';
import { REPLAY_TTL_MS } from './http/signature-window';
import { OneAtATime } from './jobs/one-at-a-time';
import type { Criteria } from './domain/criteria';
import { AuditKeyError, decodeKeyMaterial, fingerprint, keyFromFile, keyring, parseOldKeys, type AuditKeyring } from './store/audit-keys';
import { AUDIT_KEY_FILE, openPglite, openPostgres, type Db } from './store/db';
import { migrate } from './store/migrate';
import { createStore } from './store/pg-store';
import type { Store } from './store/store-port';
import { StoreReplayCache } from './store/signature-replays';
import { rankInTransaction, refreshAdvocatesOf } from './use-cases/advocate-cache';
import { AdvocateCache } from './use-cases/advocate-cache-state';
import type { AppContext } from './use-cases/context';

// The composition root: everything is built here, once, from the environment (plain objects,
// no container): the store, the CRM adapter of each portal, the process's own state (reference
// index, per-portal serializer), HubSpot's token store and signature replays, and Salesforce's
// change capture. Use cases see the AppContext part (use-cases/context.ts); serve and setup
// also get what only the root may hold (the database, the vendor objects). A vendor's adapter
// (its SDK, jsforce's streaming client) is loaded only when the configuration names that
// vendor, so a command on the embedded default loads neither (README "Fast commands").

export type { AppContext } from './use-cases/context';

export interface ServiceContext extends AppContext {
  /** The database itself: the embedded CRM and HubSpot's adapter keep their own rows in it. */
  db: Db;
  /** HubSpot OAuth tokens (one store per process, shared by every portal's adapter and the install route). */
  hubspotTokens(): HubSpotTokenStore;
  /** HubSpot request signatures already accepted (kept in the store, across restarts and instances). */
  hubspotSignatureReplays: StoreReplayCache;
  /** The Slack workspaces this deployment serves (the configured token, OAuth installs), for the interactivity and install routes. */
  slackWorkspaces: SlackWorkspaces;
  /** HubSpot OAuth: the app's webhooks journal, where uninstalls are reported (null otherwise). */
  appLifecycle(): AppLifecycleSource | null;
  /**
   * With CRM=salesforce: re-evaluate accounts on Account Change Data Capture events and erase
   * contacts on Contact DELETE events (null otherwise).
   */
  startAccountChangeCapture(): Promise<{ channels: string[]; subscription: Subscription } | null>;
}

export interface ContextOverrides {
  db?: Db;
  criteria?: Criteria;
  crmFor?: (portalId: string) => CrmPort;
  now?: () => Date;
  logger?: Logger;
  /** A short read command: the embedded store opens with a small buffer pool (db.ts). */
  brief?: boolean;
  /** Tests hand in their own journal (or null for none). */
  appLifecycle?: AppLifecycleSource | null;
  notifications?: AppContext['notifications'];
}

/**
 * Where the logs go and how much: to LOG_FILE when set, else to standard output. A person at a
 * terminal (`npm start`, `advocacy serve` on a TTY) reads the command's own output there, so
 * without LOG_LEVEL the JSON request log stays quiet (warnings and errors only); anywhere else
 * (a service manager, a pipe, a file) the default is info.
 */
export function logDestination(env: { LOG_LEVEL?: string; LOG_FILE?: string }, stdoutIsTty: boolean): { level: string; file: string | null } {
  const file = env.LOG_FILE ?? null;
  return { level: env.LOG_LEVEL ?? (file === null && stdoutIsTty ? 'warn' : 'info'), file };
}

export function createLogger(level: string, file: string | null = null): Logger {
  // Ids only: names, emails and outreach text never go to the log.
  const options = { level, redact: { paths: ['req.headers.authorization', 'req.headers["x-hubspot-signature-v3"]', '*.token', '*.accessToken', '*.refreshToken', '*.clientSecret'], remove: true } };
  return file ? pino(options, pino.destination({ dest: file, append: true, mkdir: true, sync: true })) : pino(options);
}

function loggerFor(env: Env): Logger {
  const { level, file } = logDestination(env, process.stdout.isTTY === true);
  return createLogger(level, file);
}

/**
 * The audit MAC keys: AUDIT_MAC_KEY (or a key file) when configured; otherwise, embedded only,
 * a key generated into the data folder on first start (env.ts refuses a server without one).
 */
export function auditKeysFromEnv(env: Env): AuditKeyring {
  try {
    const older = parseOldKeys(env.AUDIT_MAC_OLD_KEYS);
    if (env.AUDIT_MAC_KEY) {
      const secret = decodeKeyMaterial(env.AUDIT_MAC_KEY);
      return keyring({ id: env.AUDIT_MAC_KEY_ID ?? `k-${fingerprint(secret)}`, secret }, older);
    }
    const file = env.AUDIT_MAC_KEY_FILE ? resolve(env.AUDIT_MAC_KEY_FILE) : join(resolve(env.DATA_DIR), AUDIT_KEY_FILE);
    const key = keyFromFile(file, { create: !env.DATABASE_URL && !env.AUDIT_MAC_KEY_FILE });
    return keyring(env.AUDIT_MAC_KEY_ID ? { ...key, id: env.AUDIT_MAC_KEY_ID } : key, older);
  } catch (error) {
    if (error instanceof AuditKeyError) throw new ConfigError('environment', [{ path: env.AUDIT_MAC_KEY_FILE ? 'AUDIT_MAC_KEY_FILE' : 'AUDIT_MAC_KEY', message: error.message }]);
    throw error;
  }
}

export async function openStore(env: Env, options: { brief?: boolean } = {}): Promise<Db> {
  const auditKeys = auditKeysFromEnv(env);
  const db = env.DATABASE_URL ? await openPostgres(env.DATABASE_URL, { auditKeys }) : await openPglite(resolve(env.DATA_DIR), { auditKeys, brief: options.brief });
  await migrate(db);
  return db;
}

export async function createContext(envInput: Record<string, string | undefined> = process.env, overrides: ContextOverrides = {}): Promise<ServiceContext> {
  const env = loadEnv(envInput);
  const criteria = overrides.criteria ?? loadCriteria(env.CRITERIA_FILE);
  const db = overrides.db ?? (await openStore(env, { brief: overrides.brief }));
  const crmCache = new Map<string, CrmPort>();
  // HubSpot: one adapter per portal (a private app serves its own portal only; OAuth installs
  // each bring their own tokens), built on first use.
  const hubspot = env.CRM === 'hubspot' || env.HUBSPOT_CLIENT_ID || env.HUBSPOT_CLIENT_SECRET || env.HUBSPOT_ACCESS_TOKEN ? await import('./crm/hubspot/from-env') : null;
  const notConfigured = () => new ConfigError('HubSpot settings', [{ path: 'HUBSPOT_CLIENT_ID', message: 'HubSpot is not configured (set CRM=hubspot and the app\'s settings)' }]);
  let tokens: HubSpotTokenStore | null = null;
  // A refresh token HubSpot rejected as revoked is audited: the portal stops being scanned.
  const onRevoked = (portalId: string, at: string) =>
    ctx.store.audit.append(portalId, [{ actor: 'system:hubspot-oauth', action: 'portal.tokens_revoked', entityType: 'portal', entityId: portalId, accountId: null, criteriaVersion: null, before: null, after: { reason: 'refresh token rejected as revoked (BAD_REFRESH_TOKEN / invalid_grant)' } }], at).then(() => undefined);
  const hubspotTokens = () => {
    if (!hubspot) throw notConfigured();
    return (tokens ??= hubspot.hubspotTokenStoreFromEnv(env, db, onRevoked));
  };
  let journal: AppLifecycleSource | null | undefined;
  const hubspotFor = hubspot && !overrides.crmFor && env.CRM === 'hubspot' ? hubspot.hubspotCrmFactoryFromEnv(env, db, hubspotTokens) : null;
  let salesforce: SalesforceCrm | null = null;
  if (!overrides.crmFor && env.CRM === 'salesforce') {
    const [{ connectSalesforce }, { salesforceAuthFromEnv, salesforceFieldMapFromEnv }, { SalesforceCrm }] = await Promise.all([import('./crm/salesforce/connect'), import('./crm/salesforce/from-env'), import('./crm/salesforce/salesforce-crm')]);
    const conn = await connectSalesforce(salesforceAuthFromEnv(env));
    salesforce = new SalesforceCrm(conn, { fieldMap: salesforceFieldMapFromEnv(env), reserveShare: env.SALESFORCE_RESERVE_SHARE, createOnce: { db, portalId: env.PORTAL_ID } });
  }
  const crmFor =
    overrides.crmFor ??
    ((portalId: string) => {
      if (salesforce) return salesforce; // one org per deployment: PORTAL_ID names it
      if (hubspotFor) return hubspotFor(portalId);
      if (env.CRM !== 'local') throw new Error(`CRM=${env.CRM} is not wired for the CLI yet; see README`);
      let crm = crmCache.get(portalId);
      if (!crm) crmCache.set(portalId, (crm = new LocalCrm(db, portalId)));
      return crm;
    });
  const store = createStore(db);
  const now = overrides.now ?? (() => new Date());
  const logger = overrides.logger ?? loggerFor(env);
  const slackWorkspaces = slackWorkspacesFromEnv(env, store.messaging, logger);
  const ctx: ServiceContext = {
    env,
    store,
    db,
    storeFromDataDir: !overrides.db && !env.DATABASE_URL,
    serial: new OneAtATime(),
    advocates: new AdvocateCache(),
    notifications: overrides.notifications ?? { config: loadNotificationConfig(env.NOTIFICATIONS_FILE), notifierFor: notifierFactory(slackWorkspaces, { programChannel: env.SLACK_PROGRAM_CHANNEL ?? null, now, store: store.messaging }) },
    slackWorkspaces,
    hubspotTokens,
    hubspotSignatureReplays: new StoreReplayCache(db, REPLAY_TTL_MS),
    appLifecycle: () => (journal === undefined ? (journal = overrides.appLifecycle !== undefined ? overrides.appLifecycle : (hubspot?.hubspotAppJournalFromEnv(env) ?? null)) : journal),
    startAccountChangeCapture: async () => {
      if (!salesforce) return null;
      const portalId = env.PORTAL_ID;
      const [{ ACCOUNT_CHANNEL, CONTACT_CHANNEL, subscribeToAccountChanges, subscribeToContactDeletions }, { jsforceSubscribe }, { reevaluateAccounts }, { eraseContact }] = await Promise.all([
        import('./crm/salesforce/change-events'),
        import('./crm/salesforce/jsforce-streaming'),
        import('./use-cases/reevaluate-accounts'),
        import('./use-cases/erase-contact'),
      ]);
      const subscription = await subscribeToAccountChanges({
        positions: ctx.store.replayPositions,
        portalId,
        map: salesforce.fieldMap,
        subscribe: jsforceSubscribe(salesforce.connection),
        reevaluate: (events) => reevaluateAccounts(ctx, portalId, events, 'salesforce:cdc'),
      });
      const deletions = await subscribeToContactDeletions({
        positions: ctx.store.replayPositions,
        portalId,
        subscribe: jsforceSubscribe(salesforce.connection),
        erase: (contactId) => eraseContact(ctx, portalId, contactId, 'salesforce:cdc-contact-deleted', { recordWhenNothingHeld: false }),
      });
      return { channels: [ACCOUNT_CHANNEL, CONTACT_CHANNEL], subscription: { cancel: () => (subscription.cancel(), deletions.cancel()) } };
    },
    criteria,
    defaultPortalId: env.PORTAL_ID,
    crmFor,
    now,
    logger,
    close: () => (overrides.db ? Promise.resolve() : db.close()),
  };
  // A change to an account's asks, consents or signals reaches the reference index by itself.
  ctx.store.changes.listen((portalId, accountIds, how) => refreshAdvocatesOf(ctx, portalId, accountIds, how));
  // ...and the stored index is rewritten in the transaction that changed them.
  ctx.store.changes.listenInTransaction((tx, portalId, accountIds) => rankInTransaction(ctx, tx, portalId, accountIds));
  return ctx;
}
