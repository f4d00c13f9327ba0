import type { AppLifecycleSource } from '../crm/app-lifecycle';
import { CrmError } from '../crm/errors';
import type { AppContext } from './context';
import { uninstallPortal } from './uninstall-portal';

// Follows the CRM's record of the app's installs (HubSpot's webhooks journal): every portal with
// tokens is subscribed to its uninstalls, then each new journal entry is read in order, each
// APP_UNINSTALL handed to the uninstall use case once (tokens now, data after the grace
// period), and the position saved after each entry, so a restart or a retry resumes there and
// an entry read twice does nothing twice. Portals the CRM names that this store never knew
// are recorded too (their purge finds nothing): the event is the CRM's word, not ours.

/** Entries read per run at most: a backlog is worked off over the next runs (every 5 minutes). */
export const MAX_ENTRIES_PER_RUN = 200;

export interface LifecycleRun {
  subscribed: string[];
  entries: number;
  uninstalled: string[];
  skipped: Array<{ portalId: string; reason: string }>;
  /** The saved offset was older than the journal keeps (3 days): read again from the earliest. */
  restarted: boolean;
}

export async function followAppLifecycle(ctx: AppContext, journal: AppLifecycleSource, installedPortals: string[]): Promise<LifecycleRun> {
  const run: LifecycleRun = { subscribed: [], entries: 0, uninstalled: [], skipped: [], restarted: false };
  run.subscribed = (await journal.ensureSubscribed(installedPortals)).created;
  let offset = await ctx.store.hubspot.journalOffset(journal.appId);
  while (run.entries < MAX_ENTRIES_PER_RUN) {
    let entry;
    try {
      entry = await journal.next(offset);
    } catch (error) {
      if (!(error instanceof CrmError && error.code === 'CRM_NOT_FOUND') || offset === null || run.restarted) throw error;
      ctx.logger.warn({ appId: journal.appId }, 'webhooks journal offset expired; reading again from the earliest entry');
      run.restarted = true;
      offset = null;
      continue;
    }
    if (!entry) break;
    for (const event of entry.events) {
      if (event.action !== 'APP_UNINSTALL') continue;
      const result = await uninstallPortal(ctx, event.portalId, 'hubspot:app-uninstall', { key: event.key, occurredAt: event.occurredAt });
      if ('skipped' in result) run.skipped.push({ portalId: event.portalId, reason: result.skipped });
      else run.uninstalled.push(event.portalId);
    }
    offset = entry.offset;
    await ctx.store.hubspot.saveJournalOffset(journal.appId, offset);
    run.entries++;
  }
  return run;
}
