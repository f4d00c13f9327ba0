import { Router, type RequestHandler } from 'express';
import { parseJsonBody } from '../body';
import { HttpError } from '../errors';
import type { AppContext } from '../../use-cases/context';
import { advocacyRoutes } from './advocacy-routes';

// What the Lightning components' Apex controller calls: the same routes, use cases and answers
// as the HubSpot cards (advocacy-routes.ts), behind the org-key guard instead of HubSpot's
// signature. The portal is the guard's (res.locals.portalId, from the key); the actor is the
// Salesforce user the Apex ran as.

export function salesforceUiRoutes({ ctx, authenticate }: { ctx: AppContext; authenticate: RequestHandler }): Router {
  const r = Router();
  r.use(authenticate);
  // Only an authenticated request gets its body parsed.
  r.use(parseJsonBody);
  const portalOf = (_req: unknown, res: { locals: Record<string, unknown> }) => {
    const portalId = res.locals.portalId;
    if (typeof portalId !== 'string' || !portalId.startsWith('salesforce:')) throw new HttpError('UNAUTHORIZED', 'the request carries no authenticated org');
    return portalId;
  };
  const actorOf = (_req: unknown, res: { locals: Record<string, unknown> }) => `salesforce-user:${String(res.locals.salesforceUserId)}`;
  r.use(advocacyRoutes(ctx, portalOf, actorOf));
  return r;
}
