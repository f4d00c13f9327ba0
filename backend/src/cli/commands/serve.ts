import { createServer, type RequestListener, type Server } from 'node:http';
import type { AppContext, ServiceContext } from '../../app-context';
import { keepReinstalledPortal } from '../../use-cases/uninstall-portal';
import { createApp } from '../../http/create-app';
import { verifyHubSpotSignature } from '../../http/hubspot-signature';
import { hubspotRoutes } from '../../http/routes/hubspot-routes';
import { hubspotOAuthRoutes, STATE_MAX_AGE_MS } from '../../http/routes/hubspot-oauth-routes';
import { consumeOAuthState } from '../../store/oauth-states';
import { HUBSPOT_REQUIRED_SCOPES } from '../../crm/hubspot/scopes';
import { setUpHubSpotPortal, setupSummary } from './setup';
import { salesforceRoutes } from '../../http/routes/salesforce-routes';
import { slackRoutes } from '../../http/routes/slack-routes';
import { emailOfSlackUser } from '../../notify/slack/slack-people';
import { salesforceUiRoutes } from '../../http/routes/salesforce-ui-routes';
import { salesforceOrgAuth } from '../../http/salesforce-org-auth';
import { salesforcePortalOf } from '../../use-cases/salesforce-org-keys';
import { UsageError, type CliIo } from '../io';
import { drainChangeEvents, portalsWithPendingEvents } from '../../use-cases/change-event-queue';
import { advocateIndex } from '../../use-cases/advocate-cache';
import { localCommandRoutes } from '../../http/routes/local-command-routes';
import { jobsStatus, startJobs, WORK_QUEUES } from '../../jobs/job-runner';
import type { DataFolderLease } from '../../service/data-folder-lock';
import { removeServiceToken, writeServiceToken } from '../../service/service-token';

/** Held by serve on the embedded store: the folder's lock, and how to run a CLI's command. */
export interface StoreOwnership {
  lease: DataFolderLease;
  dataDir: string;
  runCommand(argv: string[], io: CliIo, cwd: string): Promise<number>;
}

/** Where a CLI on this machine reaches the service: loopback when it listens on every address. */
function loopbackAddress(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** With CRM=salesforce: Account changes re-evaluate, Contact deletions erase (Change Data Capture). */
async function startChangeDataCapture(ctx: ServiceContext, io: CliIo) {
  const capture = await ctx.startAccountChangeCapture();
  if (capture) io.stdout.write(`listening to ${capture.channels.join(' and ')} for ${ctx.defaultPortalId}\n`);
  return capture?.subscription ?? null;
}

/**
 * On a Salesforce portal: the Lightning components' routes (org keys from `advocacy setup
 * salesforce --issue-key`; only this deployment's org, the one its CRM adapter reads), and the
 * Flow callout endpoint when its secret and the org are configured.
 */
function salesforceRouters(ctx: AppContext) {
  const routers = [];
  if (ctx.defaultPortalId.startsWith('salesforce:')) {
    const served = salesforcePortalOf(ctx.defaultPortalId.slice('salesforce:'.length));
    routers.push({ path: '/salesforce/ui/v1', router: salesforceUiRoutes({ ctx, authenticate: salesforceOrgAuth({ ctx, serves: (portalId) => portalId === served }) }) });
  }
  const flowSecret = ctx.env.SALESFORCE_FLOW_SECRET;
  const orgId = ctx.env.SALESFORCE_ORG_ID;
  if (flowSecret && orgId) routers.push({ path: '/salesforce/v1', router: salesforceRoutes({ ctx, flowSecret, orgId }) });
  return routers;
}

/** Slack's interactivity request URL (and the OAuth install), when the app's signing secret is configured. */
export function slackRouters(ctx: ServiceContext) {
  const signingSecret = ctx.env.SLACK_SIGNING_SECRET;
  if (!signingSecret) return [];
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret, PUBLIC_BASE_URL: base } = ctx.env;
  const router = slackRoutes({
    ctx,
    signingSecret,
    workspaces: ctx.slackWorkspaces,
    // The same store-backed replay cache as HubSpot's signatures (keys prefixed slack:), shared and kept across restarts.
    replays: ctx.hubspotSignatureReplays,
    emailOf: (ws, userId) => emailOfSlackUser(ctx.store.messaging, ws, userId, { ...ctx.slackWorkspaces.options, now: ctx.now }),
    oauth: clientId && clientSecret && base ? { clientId, clientSecret, redirectUri: new URL('/slack/oauth/callback', base).toString(), consumeState: (nonce, now) => consumeOAuthState(ctx.db, nonce, now, STATE_MAX_AGE_MS * 2) } : undefined,
  });
  return [{ path: '/slack', router }];
}

/** The signed HubSpot routes, when the app's client secret is configured. */
function hubspotRouters(ctx: ServiceContext) {
  const clientSecret = ctx.env.HUBSPOT_CLIENT_SECRET;
  if (!clientSecret) return [];
  // Accepted signatures are kept in the store: a replay is refused after a restart and by every instance.
  const verify = verifyHubSpotSignature({ clientSecret, publicBaseUrl: ctx.env.PUBLIC_BASE_URL, allowV2: (req) => req.path === '/workflow/evaluate', replayCache: ctx.hubspotSignatureReplays });
  const routers = [{ path: '/hubspot/v1', router: hubspotRoutes({ ctx, verify }) }];
  // The marketplace (OAuth) variant: each account installs through /hubspot/oauth/install.
  const { HUBSPOT_CLIENT_ID: clientId, PUBLIC_BASE_URL: base, TOKEN_ENCRYPTION_KEY: key } = ctx.env;
  if (clientId && base && key) {
    const store = ctx.hubspotTokens();
    const redirectUri = new URL('/hubspot/oauth/callback', base).toString();
    routers.push({
      path: '/hubspot/oauth',
      router: hubspotOAuthRoutes({
        clientId,
        clientSecret,
        redirectUri,
        scopes: [...HUBSPOT_REQUIRED_SCOPES],
        // Installing again within the grace period after an uninstall keeps the account's data.
        install: async (code, uri) => {
          const installed = await store.install(code, uri);
          await keepReinstalledPortal(ctx, installed.portalId);
          return installed;
        },
        consumeState: (nonce, now) => consumeOAuthState(ctx.db, nonce, now, STATE_MAX_AGE_MS * 2),
        setUp: async (portalId) => setupSummary(await setUpHubSpotPortal(ctx, portalId)),
        logger: ctx.logger,
      }),
    });
  }
  return routers;
}

/** Behind the listening server: events left from before a restart, and the reference index. */
async function warmUp(ctx: AppContext): Promise<void> {
  try {
    for (const portalId of await portalsWithPendingEvents(ctx)) await drainChangeEvents(ctx, portalId);
    await advocateIndex(ctx, ctx.defaultPortalId);
  } catch (error) {
    ctx.logger.warn({ code: (error as { code?: string }).code }, 'warm-up after start did not finish');
  }
}

/** What /health adds: the jobs' backlog and failures, and each portal's last successful scan. */
async function jobsHealth(ctx: ServiceContext) {
  const status = await jobsStatus(ctx);
  const work = status.queues.filter((q) => (WORK_QUEUES as readonly string[]).includes(q.queue));
  return {
    jobs: {
      backlog: work.reduce((n, q) => n + q.queued, 0),
      running: work.reduce((n, q) => n + q.active, 0),
      failed: work.reduce((n, q) => n + q.failed, 0),
      recentFailures: status.failures.slice(0, 5).map((f) => ({ queue: f.queue, key: f.key, failedAt: f.failedAt, reason: f.reason })),
      dailyScan: status.schedule,
    },
    lastScans: status.lastScans,
    // Notices waiting to be sent, and those given up after their last attempt.
    notifications: { pending: status.notifications.pending, failed: status.notifications.failed },
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function portArg(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a port number from 0 to 65535, got "${value}"`);
  return Number(value);
}

/**
 * Listens, or fails with a message naming the port. (Express 5's app.listen calls its callback
 * on an error too, which printed "listening on null" for a port in use.)
 */
function listen(app: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`port ${port} on ${host} is already in use: stop what holds it or choose another with --port or PORT`));
      else if (error.code === 'EACCES') reject(new UsageError(`port ${port} on ${host} needs privileges this process does not have: choose a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UsageError(`HOST=${host} is not an address of this machine`));
      else reject(error);
    });
    server.listen(port, host, () => resolve(server));
  });
}

/** Serves the HTTP API until SIGINT/SIGTERM, then closes the server and the store cleanly. */
export async function serveCommand(ctx: ServiceContext, io: CliIo, args: { port?: string }, owner?: StoreOwnership): Promise<number> {
  const port = args.port !== undefined ? portArg(args.port) : ctx.env.PORT;
  // /api/v1 acts on PORTAL_ID with no other check than API_TOKEN: beyond this machine it needs one.
  if (!LOOPBACK.has(ctx.env.HOST) && !ctx.env.API_TOKEN) {
    throw new UsageError(`HOST=${ctx.env.HOST} serves beyond this machine: set API_TOKEN so /api/v1 is not open to anyone who can reach it`);
  }
  // On the embedded store, CLI commands run here (see local-command-routes).
  const commandRouters = owner ? [{ path: '/local/v1', router: localCommandRoutes({ token: writeServiceToken(owner.dataDir), runCommand: owner.runCommand }) }] : [];
  const app = createApp({ ctx, apiToken: ctx.env.API_TOKEN, apiTokenName: ctx.env.API_TOKEN_NAME, extraRouters: [...commandRouters, ...hubspotRouters(ctx), ...salesforceRouters(ctx), ...slackRouters(ctx)], health: () => jobsHealth(ctx) });
  // The daily scan, relays, drains, reminders and KPI snapshots run here on pg-boss (on a
  // PostgreSQL server, also in any number of `advocacy worker`s). Started first: a service
  // whose jobs cannot start does not listen.
  const jobs = await startJobs(ctx, { work: true, schedule: true });
  const server: Server = await listen(app, port, ctx.env.HOST).catch(async (error) => {
    await jobs.stop(1000);
    throw error;
  });
  const cdc = await startChangeDataCapture(ctx, io);
  void warmUp(ctx);
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://${ctx.env.HOST}:${address.port}` : String(address);
  if (owner && typeof address === 'object' && address) owner.lease.publish(loopbackAddress(ctx.env.HOST, address.port));
  io.stdout.write(`Jobs: daily scan at ${ctx.env.SCAN_TIME} ${ctx.env.SCAN_TIME_ZONE}; relays and drains every 5 minutes; see \`advocacy jobs\`\n`);
  io.stdout.write(`\nAdvocacy Loop API listening on ${url}  (try ${url}/health, ${url}/api/v1/kpis)\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      cdc?.cancel();
      server.close(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await jobs.stop();
  if (owner) removeServiceToken(owner.dataDir);
  io.stdout.write('stopped\n');
  return 0;
}
