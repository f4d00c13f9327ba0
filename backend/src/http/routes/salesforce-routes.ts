import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../use-cases/context';
import { reevaluateAccounts } from '../../use-cases/reevaluate-accounts';
import { requireBearer } from '../auth-guard';
import { parseJsonBody } from '../body';
import { HttpError } from '../errors';

// The endpoint a Salesforce Flow calls (HTTP callout through a Named Credential that adds the
// bearer secret) when an Account's health or NPS changes. Idempotent on eventId.

const body = z
  .object({
    orgId: z.string().regex(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'must be a Salesforce org id'),
    eventId: z.string().min(1).max(200),
    accountIds: z.array(z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'must be Salesforce ids')).min(1).max(200),
  })
  .strict();


export function salesforceRoutes({ ctx, flowSecret, orgId }: { ctx: AppContext; flowSecret: string; orgId: string }): Router {
  const r = Router();
  r.use(requireBearer(flowSecret, 'the Flow callout must carry the configured bearer secret'));
  r.use(parseJsonBody);
  r.post('/flow/account-changed', async (req, res) => {
    const input = body.parse(req.body);
    if (input.orgId.slice(0, 15) !== orgId.slice(0, 15)) throw new HttpError('ORG_MISMATCH', 'this endpoint serves another org');
    const portalId = `salesforce:${orgId.slice(0, 15)}`;
    const result = await reevaluateAccounts(
      ctx,
      portalId,
      input.accountIds.map((accountId) => ({ eventId: `${input.eventId}:${accountId}`, accountId })),
      'salesforce:flow',
    );
    res.json(result);
  });
  return r;
}
