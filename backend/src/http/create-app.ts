import express, { type Express, type RequestHandler } from 'express';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../app-context';
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
}

const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  (req as typeof req & { id: string }).id = id;
  res.setHeader('x-request-id', id);
  next();
};

function bearer(token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    const got = Buffer.from(req.get('authorization') ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return next(new HttpError('UNAUTHORIZED', 'a valid bearer token is required'));
    next();
  };
}

export function createApp({ ctx, apiToken, apiTokenName = 'api-token', extraRouters = [] }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
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
  // Keep the raw body: HubSpot signs the exact bytes it sent.
  app.use(
    express.json({
      limit: '1mb',
      verify: (req, _res, buf) => {
        (req as typeof req & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );

  app.get('/health', async (_req, res) => {
    await ctx.store.ping();
    res.json({ status: 'ok', store: ctx.store.kind, criteriaVersion: ctx.criteria.version });
  });

  const local = express.Router();
  if (apiToken) local.use(bearer(apiToken));
  // Who acted: the holder of the token; without a token, whoever reaches the loopback API.
  const localActor = apiToken ? `api:${apiTokenName}` : 'api:local';
  local.use(advocacyRoutes(ctx, () => ctx.defaultPortalId, () => localActor));
  app.use('/api/v1', local);

  for (const { path, router } of extraRouters) app.use(path, router);

  app.use((req, _res, next) => next(new HttpError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware);
  return app;
}
