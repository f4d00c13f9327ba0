import type { AppContext } from '../../app-context';
import { eraseContact } from '../../use-cases/erase-contact';
import { purgeUninstalledPortals, uninstallPortal } from '../../use-cases/uninstall-portal';
import type { CliIo } from '../io';
import { UsageError } from '../io';

// Privacy duties from the command line: erase a person (the embedded default has no CRM to
// send a privacy deletion), record an uninstall, and run the purge of uninstalled portals.

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export async function eraseCommand(ctx: AppContext, io: CliIo, args: { contact?: string; json?: boolean }): Promise<number> {
  if (!args.contact || !ID.test(args.contact)) throw new UsageError('--contact ID is required (letters, digits, ".", "_", ":", "@" or "-")');
  const result = await eraseContact(ctx, ctx.defaultPortalId, args.contact, 'cli:erase', { recordWhenNothingHeld: true });
  if (args.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (!result.erased) io.stdout.write(`contact ${result.contactId} was already erased: nothing left to remove\n`);
  else {
    const removed = Object.entries(result.counts).filter(([, n]) => n > 0).map(([what, n]) => `${what} ${n}`);
    io.stdout.write(`contact ${result.contactId} erased (${removed.length ? removed.join(', ') : 'nothing was held'}); the audit log records the erasure\n`);
  }
  return 0;
}

export async function uninstallCommand(ctx: AppContext, io: CliIo, args: { portal?: string }): Promise<number> {
  if (!args.portal || !ID.test(args.portal)) throw new UsageError('--portal ID is required (e.g. hubspot:123456)');
  const result = await uninstallPortal(ctx, args.portal, 'cli:uninstall');
  io.stdout.write(`${args.portal}: ${result.tokensDeleted} token record(s) deleted now; its data is purged after ${result.purgeAfter}\n`);
  return 0;
}

export async function purgeCommand(ctx: AppContext, io: CliIo): Promise<number> {
  const purged = await purgeUninstalledPortals(ctx);
  if (purged.length === 0) io.stdout.write('no uninstalled portal is due for purging\n');
  for (const p of purged) io.stdout.write(`${p.portalId}: purged (${Object.entries(p.deleted).map(([t, n]) => `${t} ${n}`).join(', ') || 'nothing left'})\n`);
  return 0;
}
