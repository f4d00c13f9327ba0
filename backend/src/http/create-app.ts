import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../use-cases/context';
import { authFailureLimiter, DEFAULT_AUTH_FAILURE_LIMIT, hasBearer, requireBearer, type AuthFailureLimit } from './auth-guard';
import { parseJsonBody, readRawBody } from './body';
import { errorMiddleware, HttpError } from './errors';
import { advocacyRoutes } from './routes/advocacy-routes';

// Builds the Express app; does not listen. Extra routers (HubSpot, Salesforce) are mounted
// by the caller that holds their secrets.

export interface AppDeps {
  ctx: AppContext;
  /** When set, the local API requires `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** The token holder's name, the audit log's actor for local API calls (`api:<name>`). */
  apiTokenName?: string;
  /** Mounted before the error middleware, e.g. the signed HubSpot routes. */
  extraRouters?: Array<{ path: string; router: express.Router }>;
  /** Failed authentications allowed per client address (all authenticated routes together). */
  authFailureLimit?: AuthFailureLimit;
  /** More for /health (serve adds the jobs: backlog, failures, last scan per portal). */
  health?: () => Promise<Record<string, unknown>>;
}

/** Routes that authenticate their caller; their failures count against the address. */
const AUTHENTICATED_PATHS = ['/api', '/hubspot', '/salesforce', '/local', '/slack'];

const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  (req as typeof req & { id: string }).id = id;
  res.setHeader('x-request-id', id);
  next();
};

// Every answer may hold personal data (names, NPS, notes): no cache, shared or private, keeps it.
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export function createApp({ ctx, apiToken, apiTokenName = 'api-token', extraRouters = [], authFailureLimit = DEFAULT_AUTH_FAILURE_LIMIT , health }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // An API only: no content may load or frame anything (helmet's defaults plus default-src 'none').
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  app.use(noStore);
  app.set('trust proxy', false);
  app.locals.logger = ctx.logger;
  app.use(requestId);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Route pattern only: ids in paths are CRM ids, but query strings may carry personal data.
      ctx.logger.info(
        { requestId: (req as typeof req & { id: string }).id, method: req.method, route: req.route?.path ?? req.path.split('?')[0], status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      );
    });
    next();
  });
  // Bytes only (1 MB at most): each router parses JSON after it has authenticated the caller,
  // and HubSpot's signature is checked over exactly these bytes.
  app.use(readRawBody());
  app.use(AUTHENTICATED_PATHS, authFailureLimiter(authFailureLimit));

  // Liveness for anyone; which store and criteria run, and the jobs (serve's `health`), only for
  // a caller holding API_TOKEN, or for anyone on a loopback-only service without one.
  app.get('/health', async (req, res) => {
    try {
      await ctx.store.ping();
    } catch (error) {
      ctx.logger.error({ err: error }, 'health check: store unreachable');
      res.status(503).json({ status: 'unavailable' });
      return;
    }
    const jobs = health && (apiToken ? hasBearer(req, apiToken) : true) ? await health() : {};
    if (apiToken && hasBearer(req, apiToken)) res.json({ status: 'ok', store: ctx.store.kind, criteriaVersion: ctx.criteria.version, ...jobs });
    else res.json({ status: 'ok', ...jobs });
  });

  const local = express.Router();
  if (apiToken) local.use(requireBearer(apiToken));
  local.use(parseJsonBody);
  // Who acted: the holder of the token; without a token, whoever reaches the loopback API.
  const localActor = apiToken ? `api:${apiTokenName}` : 'api:local';
  local.use(advocacyRoutes(ctx, () => ctx.defaultPortalId, () => localActor));
  app.use('/api/v1', local);

  for (const { path, router } of extraRouters) app.use(path, router);

  app.use((req, _res, next) => next(new HttpError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware);
  return app;
}
