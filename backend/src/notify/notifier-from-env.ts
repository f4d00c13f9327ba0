import type { Logger } from 'pino';
import type { Env } from '../config/env';
import { parseKeyring } from '../config/secret-rules';
import type { MessagingStateStore } from '../store/store-port';
import { AuditLogNotifier } from './audit-log-notifier';
import type { Notifier } from './port';
import { slackClient } from './slack/slack-client';
import { SlackNotifier } from './slack/slack-notifier';
import { SlackWorkspaces } from './slack/slack-workspaces';

/** The Slack workspaces this deployment serves, from the configuration (single token and/or OAuth installs). */
export function slackWorkspacesFromEnv(env: Env, store: MessagingStateStore, logger?: Logger): SlackWorkspaces {
  return new SlackWorkspaces(store, {
    apiUrl: env.SLACK_API_URL,
    timeoutMs: env.SLACK_TIMEOUT_MS,
    retries: env.SLACK_RETRIES,
    logger,
    keys: env.TOKEN_ENCRYPTION_KEY ? parseKeyring(env.TOKEN_ENCRYPTION_KEY, env.TOKEN_ENCRYPTION_OLD_KEYS) : null,
    single: env.SLACK_BOT_TOKEN && env.SLACK_TEAM_ID ? { token: env.SLACK_BOT_TOKEN, workspaceId: env.SLACK_TEAM_ID, portalId: env.PORTAL_ID } : null,
    oauth: env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET ? { clientId: env.SLACK_CLIENT_ID, clientSecret: env.SLACK_CLIENT_SECRET } : null,
  });
}

/**
 * Each portal's notifier: Slack when the portal has a workspace (the configured token, or an
 * OAuth install), else the audit log (the embedded default: what would have been sent).
 */
export function notifierFactory(workspaces: SlackWorkspaces, options: { programChannel: string | null; now: () => Date; store: MessagingStateStore; retryMinMs?: number }): (portalId: string) => Promise<Notifier> {
  const local = new AuditLogNotifier();
  return async (portalId) => {
    if (!workspaces.configured) return local;
    const ws = await workspaces.ofPortal(portalId);
    if (!ws) return local;
    const client = await slackClient(ws.token, { ...workspaces.options, minRetryMs: options.retryMinMs ?? workspaces.options.minRetryMs });
    return new SlackNotifier({ client, workspaceId: ws.workspaceId, portalId, directory: options.store, programChannel: options.programChannel, now: options.now });
  };
}
