import type { AppContext } from './context';

// An app uninstalled from a portal: its OAuth tokens are deleted at once (nothing can call
// HubSpot for it any more), its data after UNINSTALL_GRACE_DAYS, so a mistaken uninstall
// can be undone by installing again. Both steps are audited; the audit log itself stays.

const DAY_MS = 86_400_000;

export async function uninstallPortal(ctx: AppContext, portalId: string, source: string): Promise<{ purgeAfter: string; tokensDeleted: number }> {
  const at = ctx.now().toISOString();
  const purgeAfter = new Date(ctx.now().getTime() + ctx.env.UNINSTALL_GRACE_DAYS * DAY_MS).toISOString();
  const { tokensDeleted } = await ctx.store.transaction(async (tx) => {
    const done = await tx.privacy.recordUninstall(portalId, at, purgeAfter, source);
    await tx.audit.append(portalId, [{ actor: source, action: 'portal.uninstalled', entityType: 'portal', entityId: portalId, accountId: null, criteriaVersion: null, before: null, after: { source, purgeAfter, tokensDeleted: done.tokensDeleted } }], at);
    return done;
  });
  return { purgeAfter, tokensDeleted };
}

/** A reinstall inside the grace period: nothing is purged. */
export function keepReinstalledPortal(ctx: AppContext, portalId: string): Promise<boolean> {
  return ctx.store.privacy.cancelUninstall(portalId);
}

/**
 * Purges every portal whose grace period has ended (the daily path: `scan`, `start`, and
 * `advocacy purge-uninstalled`). Each portal in its own transaction, with its audit entry.
 */
export async function purgeUninstalledPortals(ctx: AppContext): Promise<Array<{ portalId: string; deleted: Record<string, number> }>> {
  const at = ctx.now().toISOString();
  const purged = [];
  for (const portalId of await ctx.store.privacy.portalsDueForPurge(at)) {
    const deleted = await ctx.store.transaction(async (tx) => {
      const counts = await tx.privacy.purgePortal(portalId, at);
      await tx.audit.append(portalId, [{ actor: 'system:uninstall', action: 'portal.purged', entityType: 'portal', entityId: portalId, accountId: null, criteriaVersion: null, before: null, after: { deleted: counts } }], at);
      return counts;
    });
    purged.push({ portalId, deleted });
  }
  return purged;
}
