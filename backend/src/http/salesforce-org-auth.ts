import type { RequestHandler } from 'express';
import { z } from 'zod';
import { checkOrgKey, salesforcePortalOf } from '../use-cases/salesforce-org-keys';
import type { AppContext } from '../use-cases/context';
import { HttpError } from './errors';

// Authenticates the Apex controller behind the Lightning components. The Named Credential's
// External Credential adds `X-Advocacy-Org-Key` (the org's key, an authentication parameter of
// its principal, never in code); the Apex adds the org and the acting user from UserInfo. The
// portal comes from the key alone; the org id header only has to agree with it (a key pasted
// into another org, a sandbox, is refused instead of serving the org it was issued for).

export const ORG_KEY_HEADER = 'x-advocacy-org-key';
export const ORG_ID_HEADER = 'x-advocacy-org-id';
export const USER_ID_HEADER = 'x-advocacy-user-id';

const orgId = z.string().regex(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'must be a Salesforce org id (UserInfo.getOrganizationId())');
const userId = z.string().regex(/^005[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'must be a Salesforce user id (UserInfo.getUserId())');
const headers = z.object({ [ORG_ID_HEADER]: orgId, [USER_ID_HEADER]: userId });

export interface SalesforceOrgAuthOptions {
  ctx: AppContext;
  /** Whether this deployment serves the portal (its CRM adapter reads that org and no other). */
  serves: (portalId: string) => boolean;
}

export function salesforceOrgAuth({ ctx, serves }: SalesforceOrgAuthOptions): RequestHandler {
  return async (req, res, next) => {
    const presented = req.get(ORG_KEY_HEADER);
    if (!presented) return next(new HttpError('UNAUTHORIZED', `the ${ORG_KEY_HEADER} header is required: set the OrgKey authentication parameter on the Advocacy Loop External Credential`));
    const check = await checkOrgKey(ctx, presented.trim());
    if (!check.ok) {
      if (check.reason === 'revoked') return next(new HttpError('ORG_KEY_REVOKED', `org key ${check.keyId} was revoked on ${check.at}; issue a new one with \`advocacy setup salesforce --issue-key\``));
      if (check.reason === 'expired') return next(new HttpError('ORG_KEY_EXPIRED', `org key ${check.keyId} expired on ${check.at}; issue a new one with \`advocacy setup salesforce --issue-key\``));
      return next(new HttpError('UNAUTHORIZED', 'the org key is not one this backend issued'));
    }
    const parsed = headers.parse({ [ORG_ID_HEADER]: req.get(ORG_ID_HEADER), [USER_ID_HEADER]: req.get(USER_ID_HEADER) });
    if (salesforcePortalOf(parsed[ORG_ID_HEADER]) !== check.portalId) return next(new HttpError('ORG_MISMATCH', `this org key was issued for ${check.portalId}, not this org`));
    if (!serves(check.portalId)) return next(new HttpError('ORG_NOT_SERVED', `this backend does not serve ${check.portalId}`));
    res.locals.portalId = check.portalId;
    res.locals.salesforceUserId = parsed[USER_ID_HEADER];
    next();
  };
}
