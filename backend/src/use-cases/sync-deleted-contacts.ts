import type { AppContext } from './context';
import { eraseContact } from './erase-contact';

// Contacts deleted in the CRM since the last look (Salesforce's deleted-records call, which
// reaches back 30 days): each is erased here too. Run on the daily path (scan, start).

const LOOKBACK_MS = 29 * 86_400_000;

export async function syncDeletedContacts(ctx: AppContext, portalId: string): Promise<{ checked: boolean; erased: string[] }> {
  const crm = ctx.crmFor(portalId);
  if (!crm.listDeletedContacts) return { checked: false, erased: [] };
  const now = ctx.now();
  const since = (await ctx.store.privacy.deletionSyncPosition(portalId)) ?? new Date(now.getTime() - LOOKBACK_MS).toISOString();
  if (since >= now.toISOString()) return { checked: true, erased: [] };
  const { contactIds, coveredUntil } = await crm.listDeletedContacts({ from: since, to: now.toISOString() });
  const erased: string[] = [];
  for (const contactId of contactIds) {
    const r = await eraseContact(ctx, portalId, contactId, `${crm.kind}:contact-deleted`, { recordWhenNothingHeld: false });
    if (r.erased) erased.push(contactId);
  }
  // Only after every erasure committed: a failure part-way reads the same window again.
  await ctx.store.privacy.saveDeletionSyncPosition(portalId, coveredUntil);
  return { checked: true, erased };
}
