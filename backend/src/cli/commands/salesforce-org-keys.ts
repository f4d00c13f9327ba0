import type { AppContext } from '../../app-context';
import { issueOrgKey, revokeOrgKeyOf } from '../../use-cases/salesforce-org-keys';
import { UsageError, type CliIo } from '../io';

// `advocacy setup salesforce --issue-key | --revoke-key ID | --list-keys`: the keys the
// Lightning components' Apex presents (through the External Credential). A key is printed once;
// only its hash is kept.

export interface OrgKeyOptions {
  issueKey?: boolean;
  keyDays?: string;
  revokeKey?: string;
  listKeys?: boolean;
}

export const wantsOrgKeys = (o: OrgKeyOptions) => Boolean(o.issueKey || o.revokeKey || o.listKeys);

export async function orgKeyCommand(ctx: AppContext, io: CliIo, opts: OrgKeyOptions, actor: string): Promise<number> {
  const portalId = ctx.defaultPortalId;
  if (!/^salesforce:00D[A-Za-z0-9]{12}$/.test(portalId)) throw new UsageError(`org keys are for a Salesforce org: set PORTAL_ID=salesforce:<15-character org id> (it is "${portalId}")`);
  if (opts.issueKey) {
    const days = Number(opts.keyDays ?? '365');
    if (!Number.isInteger(days) || days < 1 || days > 1095) throw new UsageError(`--key-days must be a whole number of days from 1 to 1095, got "${opts.keyDays}"`);
    const { key, row } = await issueOrgKey(ctx, portalId, { days, actor });
    io.stdout.write(`org key ${row.keyId} for ${portalId}, valid until ${row.expiresAt}:\n\n  ${key}\n\n`);
    io.stdout.write('Shown once. In Salesforce: Setup > Named Credentials > External Credentials > Advocacy Loop > Principals > Backend > Edit: authentication parameter OrgKey = the key above.\n');
    return 0;
  }
  if (opts.revokeKey) {
    if (!/^[0-9a-f]{16}$/.test(opts.revokeKey)) throw new UsageError(`--revoke-key takes a key id (16 hex characters, as --list-keys shows), got "${opts.revokeKey}"`);
    const revoked = await revokeOrgKeyOf(ctx, portalId, opts.revokeKey, actor);
    io.stdout.write(revoked ? `org key ${opts.revokeKey} revoked: the org's components are refused with it from now on\n` : `${portalId} has no unrevoked key ${opts.revokeKey}\n`);
    return revoked ? 0 : 1;
  }
  const now = ctx.now().getTime();
  const rows = await ctx.store.salesforceOrgKeys.list(portalId);
  if (rows.length === 0) io.stdout.write(`${portalId} has no org keys: issue one with \`advocacy setup salesforce --issue-key\`\n`);
  for (const r of rows) {
    const state = r.revokedAt ? `revoked ${r.revokedAt}` : new Date(r.expiresAt).getTime() <= now ? `expired ${r.expiresAt}` : `valid until ${r.expiresAt}`;
    io.stdout.write(`${r.keyId}  issued ${r.issuedAt} by ${r.issuedBy}  ${state}\n`);
  }
  return 0;
}
