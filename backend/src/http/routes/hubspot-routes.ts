import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../use-cases/context';
import { drainChangeEvents, storeChangeEvents } from '../../use-cases/change-event-queue';
import { eraseContact } from '../../use-cases/erase-contact';
import { workflowEvaluate } from '../../use-cases/workflow-evaluate';
import { parseJsonBody } from '../body';
import { HttpError } from '../errors';
import { advocacyRoutes } from './advocacy-routes';
import { hubspotPortalId } from '../../crm/hubspot/portal-id';

// Everything HubSpot calls: the cards (through hubspot.fetch), the workflow action and the
// webhooks. `verify` runs first on every route and is the only source of the portal id
// (res.locals.portalId, taken from the signed request); nothing here trusts a portal id from
// the body or the query of an unsigned request.

export interface HubSpotRoutesDeps {
  ctx: AppContext;
  verify: RequestHandler;
  /** More routers (e.g. reference requests) that take the same portal resolution. */
  extra?: Array<(portalOf: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string) => Router>;
}

const workflowBody = z
  .object({
    callbackId: z.string().min(1).max(200),
    origin: z.object({ portalId: z.union([z.number(), z.string()]) }).passthrough(),
    object: z.object({ objectId: z.union([z.number(), z.string()]), objectType: z.string() }).passthrough(),
    inputFields: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

const webhookEvents = z
  .array(
    z
      .object({
        eventId: z.union([z.number(), z.string()]),
        portalId: z.union([z.number(), z.string()]),
        objectId: z.union([z.number(), z.string()]),
        subscriptionType: z.string(),
        propertyName: z.string().optional(),
      })
      .passthrough(),
  )
  .max(1000);

export function hubspotRoutes({ ctx, verify, extra = [] }: HubSpotRoutesDeps): Router {
  const r = Router();
  r.use(verify);
  // Only a verified request gets its body parsed.
  r.use(parseJsonBody);
  const portalOf = (_req: unknown, res: { locals: Record<string, unknown> }) => {
    const portalId = res.locals.portalId;
    if (typeof portalId !== 'string' || portalId.length === 0) throw new HttpError('UNSIGNED_PORTAL', 'the request carries no verified portal');
    return hubspotPortalId(portalId);
  };
  // The HubSpot user who clicked, from the signed request: `hubspot-user:<id> <email>`.
  const actorOf = (_req: unknown, res: { locals: Record<string, unknown> }) => {
    const email = typeof res.locals.userEmail === 'string' ? ` <${res.locals.userEmail}>` : '';
    return `hubspot-user:${String(res.locals.userId ?? 'unknown')}${email}`;
  };

  r.post('/workflow/evaluate', async (req, res) => {
    const body = workflowBody.parse(req.body);
    const portalId = portalOf(req, res);
    if (hubspotPortalId(String(body.origin.portalId)) !== portalId) throw new HttpError('PORTAL_MISMATCH', 'the body names another portal than the signed request');
    if (body.object.objectType.toUpperCase() !== 'COMPANY') throw new HttpError('UNSUPPORTED_OBJECT', 'this action evaluates companies');
    res.json(await workflowEvaluate(ctx, portalId, body.callbackId, String(body.object.objectId)));
  });

  // Webhook batches are signed with the app's secret as a whole and may carry events of
  // several portals that installed the app: each event is handled in its own portal.
  r.post('/webhooks', async (req, res) => {
    const all = webhookEvents.parse(req.body);
    // A privacy-compliant contact deletion is honoured before the answer: the person is erased
    // in that event's portal (a replay erases nothing more). HubSpot also sends contact.deletion,
    // which is not an erasure request and is ignored.
    const erased = [];
    for (const e of all.filter((x) => x.subscriptionType === 'contact.privacyDeletion')) {
      const portalId = hubspotPortalId(String(e.portalId));
      const r = await eraseContact(ctx, portalId, String(e.objectId), 'hubspot:privacyDeletion');
      erased.push({ portalId, contactId: r.contactId, erased: r.erased });
    }
    const events = all.filter((e) => e.subscriptionType.startsWith('company.'));
    const byPortal = new Map<string, Array<{ eventId: string; accountId: string }>>();
    for (const e of events) {
      const portalId = hubspotPortalId(String(e.portalId));
      (byPortal.get(portalId) ?? byPortal.set(portalId, []).get(portalId)!).push({ eventId: String(e.eventId), accountId: String(e.objectId) });
    }
    const results = [];
    for (const [portalId, list] of byPortal) results.push({ portalId, ...(await storeChangeEvents(ctx, portalId, list, 'hubspot:webhook')) });
    // Answered now; the accounts are re-evaluated behind the answer (see change-event-queue).
    res.json({ results, ...(erased.length ? { erased } : {}) });
    for (const portalId of byPortal.keys()) {
      drainChangeEvents(ctx, portalId).catch((error) => ctx.logger.error({ portalId, err: (error as Error).message }, 'change event drain failed'));
    }
  });

  r.use(advocacyRoutes(ctx, portalOf, actorOf));
  for (const make of extra) r.use(make(portalOf));
  return r;
}
