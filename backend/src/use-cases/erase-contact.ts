import type { AppContext } from './context';
import { refreshAdvocates } from './advocate-cache';

// A person's right to erasure: HubSpot's privacy deletion of a contact, a Salesforce contact
// deletion, or `advocacy erase --contact`. Their personal data leaves the store in one
// transaction with an audit entry saying it happened (ids and counts only); the audit log
// still verifies, because personal data was never inside the entries' MACs.

export interface ErasureResult {
  contactId: string;
  /** False when an earlier erasure already removed everything (a replayed webhook). */
  erased: boolean;
  counts: Record<string, number>;
}

/**
 * `recordWhenNothingHeld`: an explicit request (privacy deletion, the CLI) is recorded even when
 * nothing was held, as evidence it was honoured; a bulk sync of CRM deletions records only
 * the people it actually erased.
 */
export async function eraseContact(ctx: AppContext, portalId: string, contactId: string, source: string, options: { recordWhenNothingHeld?: boolean } = {}): Promise<ErasureResult> {
  const at = ctx.now().toISOString();
  const result = await ctx.store.transaction(async (tx) => {
    const { accountIds, counts } = await tx.privacy.eraseContact(portalId, contactId);
    const nothing = Object.values(counts).every((n) => n === 0);
    if (nothing && (options.recordWhenNothingHeld === false || (await tx.privacy.wasErased(portalId, contactId)))) return { erased: false, counts, accountIds };
    await tx.audit.append(
      portalId,
      [{ actor: source, action: 'contact.erased', entityType: 'contact', entityId: contactId, accountId: accountIds[0] ?? null, criteriaVersion: null, before: null, after: { source, accountIds, counts } }],
      at,
    );
    return { erased: true, counts, accountIds };
  });
  for (const accountId of result.accountIds) {
    await refreshAdvocates(ctx, portalId, accountId).catch((error) => ctx.logger.warn({ portalId, accountId, err: (error as Error).message }, 'advocate cache not refreshed after an erasure'));
  }
  return { contactId, erased: result.erased, counts: result.counts };
}
