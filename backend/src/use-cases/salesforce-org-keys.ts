import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OrgKeyRow } from '../store/store-port';
import type { AppContext } from './context';

// Per-org keys for the Lightning components' Apex controller. Why a key and not a JWT signed
// with the org's certificate: an admin pastes a key into the External Credential's principal
// (Setup, no code, no certificate to export and register here), the backend keeps only its
// hash, and a leaked or departed key is revoked here at once. A key names its org (its row
// holds the portal), so a request never says which org it is for; it is found by its id and
// its secret compared in constant time.

const DAY_MS = 86_400_000;
export const ORG_KEY_PREFIX = 'alk';
const KEY_PATTERN = /^alk\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export type OrgKeyCheck =
  | { ok: true; portalId: string; keyId: string }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired'; keyId?: string; at?: string };

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The org's portal id: `salesforce:` and the 15-character org id. */
export const salesforcePortalOf = (orgId: string) => `salesforce:${orgId.slice(0, 15)}`;

export async function issueOrgKey(ctx: AppContext, portalId: string, options: { days: number; actor: string }): Promise<{ key: string; row: OrgKeyRow }> {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const row: OrgKeyRow = { keyId, portalId, secretSha256: sha256(secret), issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + options.days * DAY_MS).toISOString(), revokedAt: null, issuedBy: options.actor };
  await ctx.store.transaction(async (tx) => {
    await tx.salesforceOrgKeys.insert(row);
    await tx.audit.append(portalId, [{ actor: options.actor, action: 'salesforce.org_key_issued', entityType: 'salesforce_org_key', entityId: keyId, accountId: null, criteriaVersion: null, before: null, after: { keyId, expiresAt: row.expiresAt } }], row.issuedAt);
  });
  return { key: `${ORG_KEY_PREFIX}.${keyId}.${secret}`, row };
}

export async function revokeOrgKeyOf(ctx: AppContext, portalId: string, keyId: string, actor: string): Promise<boolean> {
  const at = ctx.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const revoked = await tx.salesforceOrgKeys.revoke(portalId, keyId, at);
    if (revoked) await tx.audit.append(portalId, [{ actor, action: 'salesforce.org_key_revoked', entityType: 'salesforce_org_key', entityId: keyId, accountId: null, criteriaVersion: null, before: { revokedAt: null }, after: { revokedAt: at } }], at);
    return revoked;
  });
}

/**
 * Which org a presented key belongs to. Whether a key was revoked or expired is said only to
 * a caller that holds its secret; anything else is just unknown.
 */
export async function checkOrgKey(ctx: AppContext, presented: string): Promise<OrgKeyCheck> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, keyId, secret] = m;
  const row = await ctx.store.salesforceOrgKeys.byId(keyId);
  const expected = Buffer.from(row?.secretSha256 ?? sha256(''), 'hex');
  const matches = timingSafeEqual(Buffer.from(sha256(secret), 'hex'), expected) && row !== null;
  if (!row || !matches) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked', keyId, at: row.revokedAt };
  if (new Date(row.expiresAt).getTime() <= ctx.now().getTime()) return { ok: false, reason: 'expired', keyId, at: row.expiresAt };
  return { ok: true, portalId: row.portalId, keyId };
}
