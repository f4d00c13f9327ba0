import type { AppContext } from './context';
import { askDetails } from '../domain/ask-details';
import type { Contact } from '../domain/types';
import type { StoredAsk } from '../store/asks-repo';
import type { AskView } from './views';

export function toAskView(ask: StoredAsk, contacts: Contact[]): AskView {
  const c = contacts.find((x) => x.contactId === ask.contactId);
  const steps = [ask.proposedAt, ask.sentAt, ask.acceptedAt, ask.declinedAt, ask.noResponseAt, ask.completedAt, ask.cancelledAt].filter((s): s is string => !!s);
  return {
    askId: ask.askId,
    accountId: ask.accountId,
    contactId: ask.contactId,
    contactName: c ? [c.firstName, c.lastName].filter(Boolean).join(' ') || null : null,
    dealId: ask.dealId,
    askType: ask.askType,
    status: ask.status,
    proposedAt: ask.proposedAt,
    sentAt: ask.sentAt,
    statusAt: steps.sort().at(-1) ?? ask.proposedAt,
    taskId: ask.taskId,
    outcomeNote: ask.outcomeNote,
    csmOwned: ask.source === 'csm',
  };
}

/**
 * One ask as the cards show it, its contact named from the CRM. The ask is already stored
 * (an outcome was recorded): a CRM that cannot answer now must not turn that into a failure,
 * so the view then names the contact as the ask itself kept it, if it did.
 */
export async function askViewOf(ctx: AppContext, portalId: string, ask: StoredAsk): Promise<AskView> {
  if (!ask.contactId) return toAskView(ask, []);
  try {
    const signals = await ctx.crmFor(portalId).getAccount(ask.accountId);
    return toAskView(ask, signals?.contacts ?? []);
  } catch (error) {
    ctx.logger.warn({ portalId, askId: ask.askId, code: (error as { code?: string }).code }, 'contact name not read from the CRM for the ask view');
    return { ...toAskView(ask, []), contactName: askDetails(ask.details).contactName };
  }
}
