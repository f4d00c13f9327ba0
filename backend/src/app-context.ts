import pino, { type Logger } from 'pino';
import { join, resolve } from 'node:path';
import { ConfigError, loadEnv, type Env } from './config/env';
import { loadCriteria } from './config/load-criteria';
import { hubspotCrmFactoryFromEnv } from './crm/hubspot/from-env';
import { LocalCrm } from './crm/local/local-crm';
import type { CrmPort } from './crm/port';
import { connectSalesforce } from './crm/salesforce/connect';
import { salesforceAuthFromEnv, salesforceFieldMapFromEnv } from './crm/salesforce/from-env';
import { SalesforceCrm } from './crm/salesforce/salesforce-crm';
import type { Criteria } from './domain/criteria';
import { AuditKeyError, decodeKeyMaterial, fingerprint, keyFromFile, keyring, parseOldKeys, type AuditKeyring } from './store/audit-keys';
import { AUDIT_KEY_FILE, openPglite, openPostgres, type Db } from './store/db';
import { migrate } from './store/migrate';
import { createStore } from './store/pg-store';
import type { Store } from './store/store-port';
import { refreshAdvocatesOf } from './use-cases/advocate-cache';

// Everything a use case needs, built once from the environment. Plain objects, no container.

export interface AppContext {
  /** True when this context opened the store from DATA_DIR itself (the embedded default), not one handed in. */
  storeFromDataDir?: boolean;
  env: Env;
  /** Everything the application keeps (backend/src/store/store-port.ts). */
  store: Store;
  db: Db;
  criteria: Criteria;
  /** The portal the CLI and the local API act on ('local' for the embedded default). */
  defaultPortalId: string;
  crmFor(portalId: string): CrmPort;
  now(): Date;
  logger: Logger;
  close(): Promise<void>;
}

export interface ContextOverrides {
  db?: Db;
  criteria?: Criteria;
  crmFor?: (portalId: string) => CrmPort;
  now?: () => Date;
  logger?: Logger;
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

export async function openStore(env: Env): Promise<Db> {
  const auditKeys = auditKeysFromEnv(env);
  const db = env.DATABASE_URL ? await openPostgres(env.DATABASE_URL, { auditKeys }) : await openPglite(resolve(env.DATA_DIR), { auditKeys });
  await migrate(db);
  return db;
}

export async function createContext(envInput: Record<string, string | undefined> = process.env, overrides: ContextOverrides = {}): Promise<AppContext> {
  const env = loadEnv(envInput);
  const criteria = overrides.criteria ?? loadCriteria(env.CRITERIA_FILE);
  const db = overrides.db ?? (await openStore(env));
  const crmCache = new Map<string, CrmPort>();
  let salesforce: CrmPort | null = null;
  // HubSpot: one adapter per portal (a private app serves its own portal only; OAuth installs
  // each bring their own tokens), built on first use.
  const hubspotFor = !overrides.crmFor && env.CRM === 'hubspot' ? hubspotCrmFactoryFromEnv(env, db) : null;
  if (!overrides.crmFor && env.CRM === 'salesforce') {
    const conn = await connectSalesforce(salesforceAuthFromEnv(env));
    salesforce = new SalesforceCrm(conn, { fieldMap: salesforceFieldMapFromEnv(env), reserveShare: env.SALESFORCE_RESERVE_SHARE });
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
  const ctx: AppContext = {
    env,
    store: createStore(db),
    db,
    storeFromDataDir: !overrides.db && !env.DATABASE_URL,
    criteria,
    defaultPortalId: env.PORTAL_ID,
    crmFor,
    now: overrides.now ?? (() => new Date()),
    logger: overrides.logger ?? loggerFor(env),
    close: () => (overrides.db ? Promise.resolve() : db.close()),
  };
  // A change to an account's asks, consents or signals reaches the reference index by itself.
  ctx.store.changes.listen((portalId, accountIds) => refreshAdvocatesOf(ctx, portalId, accountIds));
  return ctx;
}
