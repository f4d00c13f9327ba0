import { Router, type RequestHandler } from 'express';
import { parseJsonBody } from '../body';
import { HttpError } from '../errors';
import { idParam } from '../validate';
import { DomainError } from '../../domain/errors';
import type { AppContext } from '../../use-cases/context';
import { advocacyRoutes } from './advocacy-routes';

// What the Lightning components' Apex controller calls: the same routes, use cases and answers
// as the HubSpot cards (advocacy-routes.ts), behind the org-key guard instead of HubSpot's
// signature. The portal is the guard's (res.locals.portalId, from the key); the actor is the
// Salesforce user the Apex ran as.
//
// Ask and consent ids are not Salesforce records, so Salesforce's sharing cannot guard them:
// the Apex names the record the component sits on (X-Advocacy-Record-Id, an Account or
// Opportunity the user can read, checked in user mode), and an ask or consent is acted on only
// when it belongs to that account or deal.

export const RECORD_ID_HEADER = 'x-advocacy-record-id';

/** Salesforce ids compare on their 15 case-sensitive characters (the 18-character form adds a checksum). */
const sameRecord = (a: string | null, b: string) => a !== null && (a === b || (a.length >= 15 && b.length >= 15 && a.slice(0, 15) === b.slice(0, 15)));

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
  const scopedTo = (load: (portalId: string, id: string) => Promise<{ accountId: string; dealId?: string | null } | null>, param: string): RequestHandler => async (req, res, next) => {
    const record = req.get(RECORD_ID_HEADER);
    if (!record) return next(new HttpError('VALIDATION_FAILED', `the ${RECORD_ID_HEADER} header is required: the record the component is on`));
    const recordId = idParam.parse(record);
    const found = await load(portalOf(req, res), idParam.parse(req.params[param]));
    // Not found either way: another record's ask is not told apart from one that does not exist.
    if (found && !sameRecord(found.accountId, recordId) && !sameRecord(found.dealId ?? null, recordId)) return next(new DomainError(param === 'askId' ? 'ASK_NOT_FOUND' : 'CONSENT_NOT_FOUND', `no ${param === 'askId' ? 'ask' : 'consent'} ${String(req.params[param])} on record ${recordId}`));
    next();
  };
  r.use('/asks/:askId', scopedTo((p, id) => ctx.store.asks.get(p, id), 'askId'));
  r.use('/consents/:consentId', scopedTo((p, id) => ctx.store.consents.get(p, id), 'consentId'));
  r.use(advocacyRoutes(ctx, portalOf, actorOf));
  return r;
}
