import type { Logger } from 'pino';
import { decryptToken, encryptToken, type Keyring } from '../../crm/hubspot/token-cipher';
import type { MessagingStateStore } from '../../store/store-port';
import { NotifyError } from '../port';
import { callSlack, slackClient, type SlackClientOptions } from './slack-client';

// Which Slack workspace serves which portal, and its bot token. Two ways in: one workspace's
// token from the configuration (SLACK_BOT_TOKEN + SLACK_TEAM_ID, for one team), or the OAuth
// install (oauth.v2.access), whose bot token is stored sealed with AES-256-GCM under
// TOKEN_ENCRYPTION_KEY, bound to its workspace, like the CRM tokens (crm/hubspot/token-cipher.ts).

// chat:write posts to a CSM's user id (the app's Messages tab) and updates our messages; users:read and
// users:read.email find a CSM by CRM email (users.lookupByEmail) and who clicked (users.info).
export const SLACK_BOT_SCOPES = ['chat:write', 'users:read', 'users:read.email'] as const;

export interface SlackWorkspace {
  workspaceId: string;
  portalId: string;
  token: string;
}

export interface SlackWorkspacesOptions extends SlackClientOptions {
  keys: Keyring | null;
  /** SLACK_BOT_TOKEN + SLACK_TEAM_ID, for PORTAL_ID. */
  single: { token: string; workspaceId: string; portalId: string } | null;
  oauth: { clientId: string; clientSecret: string } | null;
  logger?: Logger;
}

const sealContext = (workspaceId: string) => `slack:${workspaceId}:bot_token`;

export class SlackWorkspaces {
  constructor(
    private readonly store: MessagingStateStore,
    readonly options: SlackWorkspacesOptions,
  ) {}

  get configured(): boolean {
    return !!this.options.single || !!this.options.oauth;
  }

  async ofPortal(portalId: string): Promise<SlackWorkspace | null> {
    const single = this.options.single;
    if (single && single.portalId === portalId) return { workspaceId: single.workspaceId, portalId, token: single.token };
    if (!this.options.keys) return null;
    const row = await this.store.workspaceOfPortal(portalId);
    return row ? { workspaceId: row.workspaceId, portalId, token: decryptToken(this.options.keys, row.botToken, sealContext(row.workspaceId)) } : null;
  }

  /** The workspace an interactive request names, if this app serves it (else null: refused). */
  async byId(workspaceId: string): Promise<SlackWorkspace | null> {
    const single = this.options.single;
    if (single && single.workspaceId === workspaceId) return { workspaceId, portalId: single.portalId, token: single.token };
    if (!this.options.keys) return null;
    const row = await this.store.workspace(workspaceId);
    return row ? { workspaceId, portalId: row.portalId, token: decryptToken(this.options.keys, row.botToken, sealContext(workspaceId)) } : null;
  }

  /** Exchanges an OAuth code for the workspace's bot token and keeps it, sealed, for the portal. */
  async install(code: string, redirectUri: string, portalId: string): Promise<{ workspaceId: string; teamName: string | null; installedBy: string | null }> {
    const { oauth, keys } = this.options;
    if (!oauth || !keys) throw new NotifyError('NOTIFY_REFUSED', 'the Slack OAuth install is not configured (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY)');
    const client = await slackClient('', this.options);
    const res = await callSlack('oauth.v2.access', () => client.oauth.v2.access({ client_id: oauth.clientId, client_secret: oauth.clientSecret, code, redirect_uri: redirectUri }));
    const workspaceId = res.team?.id;
    const token = res.access_token;
    if (!workspaceId || !token || res.token_type !== 'bot') throw new NotifyError('NOTIFY_REFUSED', 'Slack answered oauth.v2.access without a bot token for a workspace');
    const granted = new Set((res.scope ?? '').split(','));
    const missing = SLACK_BOT_SCOPES.filter((s) => !granted.has(s));
    if (missing.length) throw new NotifyError('NOTIFY_REFUSED', `the Slack install did not grant ${missing.join(', ')}`);
    await this.store.saveWorkspace({ workspaceId, portalId, botToken: encryptToken(keys, token, sealContext(workspaceId)), botUserId: res.bot_user_id ?? null, installedBy: res.authed_user?.id ?? null });
    return { workspaceId, teamName: res.team?.name ?? null, installedBy: res.authed_user?.id ?? null };
  }
}
