import { z } from 'zod';
import { AuditKeyError, decodeKeyMaterial, parseOldKeys } from './audit-key-material';
import { apiTokenProblem, parseKeyring } from './secret-rules';

// The only place that reads the environment. A bad value stops start-up with every problem
// listed, instead of failing later in the middle of a scan.

const optionalString = z.string().trim().min(1).optional();

export const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL').optional(),
  DATA_DIR: z.string().min(1).default('.advocacy-data'),
  /** The daily portfolio scan, local time and IANA time zone (pg-boss cron). */
  SCAN_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour), e.g. 06:00').default('06:00'),
  SCAN_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone, e.g. Europe/Berlin')
    .default('UTC'),
  /** The daily job re-evaluates what changed and what is due; every this many days it scans every account instead (0: every day). */
  FULL_SCAN_EVERY_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** How far back each refresh reads changes from before the last one's start: clock skew and transactions still committing. */
  REFRESH_OVERLAP_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  /** The schema pg-boss keeps its jobs in (in the same store). */
  JOBS_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier').default('pgboss'),
  /**
   * How long work a process took stays its own: a job's expiry (pg-boss expireInSeconds) and an
   * outbox row's claim. A process killed outright frees its job and rows after this; a scan job
   * hands the rest of its scan to a follow-up job after half of it, so a live one never expires.
   */
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(900),
  /** How often expired jobs are looked for (pg-boss maintenance); one process does it per interval. */
  JOB_EXPIRY_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The first retry's delay; later ones back off exponentially. */
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How long a CLI command waits for another one-off command to release the embedded store. */
  LOCK_WAIT_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  CRITERIA_FILE: optionalString,
  /** The program's notification rules (daily cap, quiet hours, opt-outs, admins); default backend/config/notifications.default.json. */
  NOTIFICATIONS_FILE: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Unset: `info`, except `warn` on a terminal with no LOG_FILE (see app-context logDestination). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Write the logs to this file (appended) instead of standard output. */
  LOG_FILE: optionalString,
  CRM: z.enum(['local', 'hubspot', 'salesforce']).default('local'),
  PORTAL_ID: z.string().min(1).default('local'),
  DEMO_SEED: z.coerce.number().int().default(20261124),
  DEMO_ACCOUNTS: z.coerce.number().int().min(1).max(1_000_000).default(300),
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_ACCESS_TOKEN: optionalString,
  PUBLIC_BASE_URL: z.string().url().optional(),
  TOKEN_ENCRYPTION_KEY: optionalString,
  /** Retired keys, comma-separated: tokens sealed with them still read, new ones use the current key. */
  TOKEN_ENCRYPTION_OLD_KEYS: optionalString,
  SALESFORCE_FLOW_SECRET: optionalString,
  API_TOKEN: optionalString,
  /** Who calls the local API with API_TOKEN, as the audit log names them (`api:<name>`). */
  API_TOKEN_NAME: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be 1-64 letters, digits or _ . @ -').default('api-token'),
  SALESFORCE_AUTH_FLOW: z.enum(['jwt', 'refresh_token', 'access_token']).optional(),
  SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  SALESFORCE_INSTANCE_URL: z.string().url().optional(),
  SALESFORCE_CLIENT_ID: optionalString,
  SALESFORCE_CLIENT_SECRET: optionalString,
  SALESFORCE_USERNAME: optionalString,
  SALESFORCE_PRIVATE_KEY_FILE: optionalString,
  SALESFORCE_REFRESH_TOKEN: optionalString,
  SALESFORCE_ACCESS_TOKEN: optionalString,
  SALESFORCE_ORG_ID: optionalString,
  SALESFORCE_FIELD_MAP_FILE: optionalString,
  SALESFORCE_RESERVE_SHARE: z.coerce.number().min(0).max(0.9).default(0.25),
  HUBSPOT_AUTH: z.enum(['private_app', 'oauth']).optional(),
  HUBSPOT_CLIENT_ID: optionalString,
  HUBSPOT_API_BASE_URL: z.string().url().default('https://api.hubapi.com'),
  HUBSPOT_RATE_LIMIT_PER_10S: z.coerce.number().int().min(1).max(1000).default(190),
  HUBSPOT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  HUBSPOT_ASK_STORAGE: z.enum(['custom_object', 'notes']).optional(),
  HUBSPOT_ASK_OBJECT_TYPE: z.string().trim().min(1).default('advocacy_ask'),
  HUBSPOT_FIELD_MAP_FILE: optionalString,
  // The audit log's MAC key (README "Audit log"): required on a server, where every process
  // must share it; the embedded default keeps a generated one in DATA_DIR/audit-mac.key.
  AUDIT_MAC_KEY: optionalString,
  AUDIT_MAC_KEY_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64').optional(),
  AUDIT_MAC_KEY_FILE: optionalString,
  AUDIT_MAC_OLD_KEYS: optionalString,
  /** Where `scan` and `log --anchor` append signed checkpoints; keep it on other storage. */
  AUDIT_ANCHOR_FILE: optionalString,
  // Slack (backend/src/notify/slack): a single workspace's bot token, or an OAuth install per portal.
  SLACK_BOT_TOKEN: z.string().trim().regex(/^xoxb-[A-Za-z0-9-]{10,}$/, 'must be a bot token (xoxb-...)').optional(),
  /** The workspace (team id, T...) SLACK_BOT_TOKEN belongs to: interactive requests from any other are refused. */
  SLACK_TEAM_ID: z.string().trim().regex(/^[TE][A-Z0-9]{2,30}$/, 'must be a Slack team id (T...)').optional(),
  SLACK_SIGNING_SECRET: z.string().trim().regex(/^[a-f0-9]{32,64}$/, "must be the app's signing secret (hex, from Basic Information)").optional(),
  SLACK_CLIENT_ID: z.string().trim().regex(/^\d+\.\d+$/, 'must be the app client id (digits.digits)').optional(),
  SLACK_CLIENT_SECRET: optionalString,
  /** Where notices go for a CSM with no Slack user (a channel id, C...). */
  SLACK_PROGRAM_CHANNEL: z.string().trim().regex(/^[CG][A-Z0-9]{2,30}$/, 'must be a channel id (C...), not a name').optional(),
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
  SLACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Retries of a Slack call on 429 (after Retry-After), 5xx and network errors, with exponential backoff. */
  SLACK_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** Days an uninstalled portal's data is kept (a reinstall within them keeps it), then purged. */
  UNINSTALL_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
}).superRefine((env, ctx) => {
  auditKeyProblems(env, ctx);
  // Secrets are checked here, once, so a weak one stops start-up with the other problems.
  for (const name of ['API_TOKEN', 'SALESFORCE_FLOW_SECRET'] as const) {
    const problem = env[name] === undefined ? null : apiTokenProblem(env[name]);
    if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_TEAM_ID) ctx.addIssue({ code: 'custom', path: ['SLACK_TEAM_ID'], message: 'is required with SLACK_BOT_TOKEN (the workspace the token belongs to)' });
  if (env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET) {
    for (const name of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'PUBLIC_BASE_URL', 'SLACK_SIGNING_SECRET'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required for the Slack OAuth install (SLACK_CLIENT_ID / SLACK_CLIENT_SECRET): bot tokens are stored sealed with TOKEN_ENCRYPTION_KEY' });
    }
  }
  if (env.TOKEN_ENCRYPTION_OLD_KEYS && !env.TOKEN_ENCRYPTION_KEY) ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: 'is required when TOKEN_ENCRYPTION_OLD_KEYS is set (the current key seals new tokens)' });
  if (env.TOKEN_ENCRYPTION_KEY) {
    try {
      parseKeyring(env.TOKEN_ENCRYPTION_KEY);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: (error as Error).message });
    }
    for (const [i, entry] of (env.TOKEN_ENCRYPTION_OLD_KEYS ?? '').split(',').filter((s) => s.trim()).entries()) {
      try {
        parseKeyring(entry);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_OLD_KEYS', i], message: (error as Error).message });
      }
    }
  }
});

function auditKeyProblems(env: { DATABASE_URL?: string; AUDIT_MAC_KEY?: string; AUDIT_MAC_KEY_FILE?: string; AUDIT_MAC_OLD_KEYS?: string }, ctx: z.RefinementCtx) {
  const check = (path: string, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof AuditKeyError)) throw error;
      ctx.addIssue({ code: 'custom', path: [path], message: error.message });
    }
  };
  if (env.AUDIT_MAC_KEY) check('AUDIT_MAC_KEY', () => decodeKeyMaterial(env.AUDIT_MAC_KEY!));
  if (env.AUDIT_MAC_OLD_KEYS) check('AUDIT_MAC_OLD_KEYS', () => parseOldKeys(env.AUDIT_MAC_OLD_KEYS));
  if (env.DATABASE_URL && !env.AUDIT_MAC_KEY && !env.AUDIT_MAC_KEY_FILE) {
    ctx.addIssue({ code: 'custom', path: ['AUDIT_MAC_KEY'], message: 'required with DATABASE_URL (or AUDIT_MAC_KEY_FILE): every process on a server signs the audit log with the same key, kept out of the database; generate one with: openssl rand -base64 32' });
  }
  if (env.AUDIT_MAC_KEY && env.AUDIT_MAC_KEY_FILE) ctx.addIssue({ code: 'custom', path: ['AUDIT_MAC_KEY_FILE'], message: 'set AUDIT_MAC_KEY or AUDIT_MAC_KEY_FILE, not both' });
}

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: Array<{ path: string; message: string }>,
  ) {
    super(`${source} is invalid:\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadEnv(env: Record<string, string | undefined> = process.env): Env {
  // Empty strings in the environment mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError('environment', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}
