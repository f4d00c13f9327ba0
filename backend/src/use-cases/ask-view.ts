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
  };
}
