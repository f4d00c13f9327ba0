import type { ServiceContext } from '../../app-context';
import { slackInstallState } from '../../http/routes/slack-routes';
import { UsageError, type CliIo } from '../io';

// `advocacy slack install-link`: a link, good for 10 minutes and one install, that adds the
// Slack app to a workspace for a portal (PORTAL_ID unless --portal). Made by whoever can run
// the CLI here, so nobody on the internet can bind their own workspace to a portal.

export async function slackInstallLinkCommand(ctx: ServiceContext, io: CliIo, args: { portal?: string }): Promise<number> {
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: secret, PUBLIC_BASE_URL: base } = ctx.env;
  if (!clientId || !secret || !base) throw new UsageError('the Slack OAuth install needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET, TOKEN_ENCRYPTION_KEY and PUBLIC_BASE_URL (or use a single workspace: SLACK_BOT_TOKEN and SLACK_TEAM_ID)');
  const portalId = args.portal ?? ctx.defaultPortalId;
  const url = new URL('/slack/oauth/install', base);
  url.searchParams.set('state', slackInstallState(secret, portalId, ctx.now()));
  io.stdout.write(`Open this link within 10 minutes, as a Slack admin, to install Advocacy Loop for ${portalId}:\n${url.toString()}\n`);
  return 0;
}
