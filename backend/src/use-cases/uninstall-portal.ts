import type { AppContext } from './context';

// An app uninstalled from a portal: its OAuth tokens are deleted at once (nothing can call
// HubSpot for it any more), its data after UNINSTALL_GRACE_DAYS, so a mistaken uninstall
// can be undone by installing again. Both steps are audited; the audit log itself stays.

const DAY_MS = 86_400_000;

/** An uninstall the CRM reported (HubSpot's journal): acted on once per event. */
export interface UninstallEvent {
  key: string;
  occurredAt: string;
}

export type UninstallResult =
  | { purgeAfter: string; tokensDeleted: number }
  /** The same event was handled before, or the portal installed the app again after it. */
  | { skipped: 'already_handled' | 'reinstalled_since' };

export async function uninstallPortal(ctx: AppContext, portalId: string, source: string): Promise<{ purgeAfter: string; tokensDeleted: number }>;
export async function uninstallPortal(ctx: AppContext, portalId: string, source: string, event: UninstallEvent): Promise<UninstallResult>;
export async function uninstallPortal(ctx: AppContext, portalId: string, source: string, event?: UninstallEvent): Promise<UninstallResult> {
  const at = ctx.now().toISOString();
  const purgeAfter = new Date(ctx.now().getTime() + ctx.env.UNINSTALL_GRACE_DAYS * DAY_MS).toISOString();
  return ctx.store.transaction(async (tx): Promise<UninstallResult> => {
    if (event) {
      // An event read late (the journal keeps 3 days) must not undo a reinstall that came after it.
      const reinstalled = await tx.privacy.installedSince(portalId, event.occurredAt);
      const first = await tx.privacy.recordLifecycleEvent({ key: event.key, portalId, action: 'APP_UNINSTALL', occurredAt: event.occurredAt }, reinstalled ? 'reinstalled_since' : 'uninstalled');
      if (!first) return { skipped: 'already_handled' };
      if (reinstalled) return { skipped: 'reinstalled_since' };
    }
    const done = await tx.privacy.recordUninstall(portalId, at, purgeAfter, source);
    const after = { source, purgeAfter, tokensDeleted: done.tokensDeleted, ...(event ? { occurredAt: event.occurredAt } : {}) };
    await tx.audit.append(portalId, [{ actor: source, action: 'portal.uninstalled', entityType: 'portal', entityId: portalId, accountId: null, criteriaVersion: null, before: null, after }], at);
    return { purgeAfter, tokensDeleted: done.tokensDeleted };
  });
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
