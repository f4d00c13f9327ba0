import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../use-cases/context';
import { accountAdvocacy } from '../../use-cases/account-advocacy';
import { buildReport } from '../../use-cases/build-report';
import { programDashboard } from '../../use-cases/program-dashboard';
import { contactAdvocate } from '../../use-cases/contact-advocate';
import { createAskNow } from '../../use-cases/create-ask-now';
import { recordOutcome, revokeConsent } from '../../use-cases/record-outcome';
import { askViewOf } from '../../use-cases/ask-view';
import { ASK_STATUSES } from '../../domain/types';
import { csmAskBody, idParam, isoDate, monthsQuery, noteBody, outcomeBody, referenceNeed } from '../validate';
import { recordCsmAsk } from '../../use-cases/record-csm-ask';
import { editAskNote } from '../../use-cases/edit-ask-note';
import { decodeCursor, pageOf, pageQuery } from '../paging';
import { matchForDeal, requestReference, requestsForDeal } from '../../use-cases/reference-requests';

// The advocacy API, the same for every caller: the local API (portal from config) and the
// signed HubSpot routes (portal from the verified signature). Thin: parse, call a use case,
// reply.

export type PortalOf = (req: Request, res: Response) => string;
export type ActorOf = (req: Request, res: Response) => string;

// hubspot.fetch appends these to every card request; they are read (verified) by the
// signature middleware, not by the routes.
const HUBSPOT_CONTEXT_PARAMS = ['portalId', 'userId', 'userEmail', 'appId'];
const queryOf = (req: Request) => Object.fromEntries(Object.entries(req.query).filter(([k]) => !HUBSPOT_CONTEXT_PARAMS.includes(k)));

export function advocacyRoutes(ctx: AppContext, portalOf: PortalOf, actorOf: ActorOf): Router {
  const r = Router();

  r.get('/accounts/:accountId/advocacy', async (req, res) => {
    const accountId = idParam.parse(req.params.accountId);
    const { asOf } = z.object({ asOf: isoDate.optional() }).strict().parse(queryOf(req));
    res.json(await accountAdvocacy(ctx, portalOf(req, res), accountId, asOf));
  });

  r.post('/accounts/:accountId/asks', async (req, res) => {
    const accountId = idParam.parse(req.params.accountId);
    const result = await createAskNow(ctx, portalOf(req, res), accountId, actorOf(req, res));
    res.status(201).json(result);
  });

  // The CSM asked the customer directly (their own call, or a hand-off account): recorded as an
  // ask like any other, marked CSM-owned.
  r.post('/accounts/:accountId/csm-asks', async (req, res) => {
    const accountId = idParam.parse(req.params.accountId);
    const body = csmAskBody.parse(req.body ?? {});
    const result = await recordCsmAsk(ctx, portalOf(req, res), accountId, { ...body, actor: actorOf(req, res) });
    res.status(result.created ? 201 : 200).json({ ask: result.ask });
  });

  r.get('/accounts/:accountId/history', async (req, res) => {
    const accountId = idParam.parse(req.params.accountId);
    const { limit, cursor } = z.object(pageQuery).strict().parse(queryOf(req));
    const portalId = portalOf(req, res);
    const rows = await ctx.store.audit.list(portalId, { accountId, limit: limit + 1, afterSeq: decodeCursor(cursor, 'number') });
    const page = pageOf(rows, limit, (e) => e.seq);
    res.json({ entries: page.items, total: await ctx.store.audit.count(portalId, accountId), nextCursor: page.nextCursor });
  });

  r.get('/asks', async (req, res) => {
    const { cursor, limit, ...filter } = z.object({ accountId: idParam.optional(), status: z.enum(ASK_STATUSES).optional(), ...pageQuery }).strict().parse(queryOf(req));
    const portalId = portalOf(req, res);
    const rows = await ctx.store.asks.list(portalId, { ...filter, limit: limit + 1, afterAskId: decodeCursor(cursor, 'string') });
    const page = pageOf(rows, limit, (a) => a.askId);
    res.json({ asks: page.items, total: await ctx.store.asks.count(portalId, filter), nextCursor: page.nextCursor });
  });

  r.post('/asks/:askId/outcome', async (req, res) => {
    const askId = idParam.parse(req.params.askId);
    const body = outcomeBody.parse(req.body ?? {});
    const portalId = portalOf(req, res);
    const ask = await recordOutcome(ctx, portalId, askId, { ...body, actor: actorOf(req, res) });
    const stored = (await ctx.store.asks.get(portalId, ask.askId))!;
    res.json({ ask: await askViewOf(ctx, portalId, stored) });
  });

  r.post('/asks/:askId/note', async (req, res) => {
    const askId = idParam.parse(req.params.askId);
    const { note } = noteBody.parse(req.body ?? {});
    const portalId = portalOf(req, res);
    const ask = await editAskNote(ctx, portalId, askId, note, actorOf(req, res));
    res.json({ ask: await askViewOf(ctx, portalId, ask) });
  });

  r.post('/consents/:consentId/revoke', async (req, res) => {
    const consentId = idParam.parse(req.params.consentId);
    res.json({ consent: await revokeConsent(ctx, portalOf(req, res), consentId, actorOf(req, res)) });
  });

  r.get('/contacts/:contactId/advocate', async (req, res) => {
    const contactId = idParam.parse(req.params.contactId);
    res.json(await contactAdvocate(ctx, portalOf(req, res), contactId));
  });

  r.get('/deals/:dealId/reference-requests', async (req, res) => {
    res.json(await requestsForDeal(ctx, portalOf(req, res), idParam.parse(req.params.dealId)));
  });

  r.post('/deals/:dealId/reference-matches', async (req, res) => {
    const need = referenceNeed.parse(req.body ?? {});
    res.json(await matchForDeal(ctx, portalOf(req, res), idParam.parse(req.params.dealId), need));
  });

  r.post('/deals/:dealId/reference-requests', async (req, res) => {
    const body = z.object({ need: referenceNeed, contactId: idParam }).strict().parse(req.body ?? {});
    const request = await requestReference(ctx, portalOf(req, res), idParam.parse(req.params.dealId), body.need, body.contactId, actorOf(req, res));
    res.status(201).json({ request });
  });

  // The program dashboard page: the report and the candidates list, filterable by CSM.
  r.get('/dashboard', async (req, res) => {
    const q = monthsQuery.extend({ ownerId: idParam.optional() }).strict().parse(queryOf(req));
    res.json(await programDashboard(ctx, portalOf(req, res), { months: q.months, asOf: q.asOf, ownerId: q.ownerId }));
  });

  r.get('/kpis', async (req, res) => {
    const q = monthsQuery.parse(queryOf(req));
    res.json(await buildReport(ctx, portalOf(req, res), { months: q.months, asOf: q.asOf }));
  });

  return r;
}
