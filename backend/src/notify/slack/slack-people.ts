import type { MessagingStateStore } from '../../store/store-port';
import { callSlack, slackClient, type SlackClientOptions } from './slack-client';

// Who clicked: a Slack user's email, from the store's directory (the CSM was found there when
// their message was sent) or else from Slack (users.info, scope users:read.email), kept after.

export async function emailOfSlackUser(store: MessagingStateStore, ws: { portalId: string; workspaceId: string; token: string }, userId: string, options: SlackClientOptions & { now: () => Date }): Promise<string | null> {
  const known = await store.emailOfUser(ws.portalId, ws.workspaceId, userId);
  if (known) return known;
  const client = await slackClient(ws.token, options);
  const res = await callSlack('users.info', () => client.users.info({ user: userId }));
  const email = res.user?.profile?.email ?? null;
  if (email) await store.rememberUser(ws.portalId, ws.workspaceId, email, userId, options.now().toISOString());
  return email;
}
