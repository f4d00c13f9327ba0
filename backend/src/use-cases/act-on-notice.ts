import type { AppContext } from './context';
import { DomainError } from '../domain/errors';
import { isAdmin, defaultNotificationConfig } from '../domain/notification-policy';
import type { NoticeAction } from '../domain/notices';
import { accountRecordUrl } from '../crm/record-links';
import type { NoticeOutcome } from '../notify/port';
import type { StoredAsk } from '../store/store-port';
import { recordOutcome } from './record-outcome';
import { snoozeAsk } from './snooze-ask';

// A CSM acts on a notice from their messaging tool: the same use cases the cards call (record
// an outcome, snooze, cancel with a reason; for reference requests approve = sent, decline =
// cancelled), audited with the messaging user as the actor. Only the ask's CSM (the CRM owner
// whose email the person has in the messaging tool) or a program admin may act; the portal is
// the one the workspace is installed for, never one named in the request. Afterwards the message
// is shown with what was done.

export interface NoticeActor {
  /** The audit log's name for them, e.g. `slack-user:T0123/U0456 <sam@example.com>`. */
  label: string;
  /** How the message names them (`<@U0456>`). */
  mention: string;
  /** Their email in the messaging tool (null: unknown, so never the ask's CSM). */
  email: string | null;
}

export interface NoticeActionInput {
  noticeKey: string;
  action: NoticeAction;
  reason?: string | null;
  actor: NoticeActor;
}

const WORDS: Record<NoticeAction, string> = { mark_sent: 'Marked sent', snooze: 'Snoozed', not_now: 'Not now', approve: 'Approved', decline: 'Declined' };

/**
 * Acts, and returns with `showOutcome` still to run: the caller answers first (Slack wants its
 * acknowledgement within 3 seconds) and then updates the message.
 */
export async function actOnNotice(ctx: AppContext, portalId: string, input: NoticeActionInput): Promise<{ ask: StoredAsk; outcome: NoticeOutcome; showOutcome: () => Promise<void> }> {
  const stored = await ctx.store.notices.get(portalId, input.noticeKey);
  if (!stored || !stored.askId) throw new DomainError('NOTICE_NOT_FOUND', `no notice ${input.noticeKey} with an ask in this portal`, { noticeKey: input.noticeKey });
  if (!stored.notice.actions.includes(input.action)) throw new DomainError('ACTION_NOT_OFFERED', `${input.action} is not an action of this notice`, { offered: stored.notice.actions });
  const config = ctx.notifications?.config ?? defaultNotificationConfig();
  const csmEmail = (stored.notice.recipient.email ?? stored.ownerEmail ?? (await ctx.store.notices.knownEmailOf(portalId, stored.ownerId)))?.toLowerCase() ?? null;
  const email = input.actor.email?.toLowerCase() ?? null;
  const mayAct = email !== null && (email === csmEmail || isAdmin(config, email));
  if (!mayAct) throw new DomainError('NOT_YOUR_ASK', `only the ask's CSM or a program admin may act on it${email ? '' : ' (your email is not known to the messaging tool)'}`, { askId: stored.askId });

  const askId = stored.askId;
  const reason = input.reason?.trim() || null;
  let ask: StoredAsk;
  let text = WORDS[input.action];
  switch (input.action) {
    case 'mark_sent':
    case 'approve':
      ask = await recordOutcome(ctx, portalId, askId, { status: 'sent', actor: input.actor.label });
      break;
    case 'not_now':
    case 'decline':
      ask = await recordOutcome(ctx, portalId, askId, { status: 'cancelled', note: reason ? `${WORDS[input.action]}: ${reason}` : WORDS[input.action], actor: input.actor.label });
      if (reason) text = `${text}: ${reason}`;
      break;
    case 'snooze': {
      const snoozed = await snoozeAsk(ctx, portalId, askId, { actor: input.actor.label, notice: stored.notice });
      ask = snoozed.ask;
      text = `Snoozed until ${snoozed.until}`;
      break;
    }
  }
  const outcome: NoticeOutcome = { text, by: input.actor.mention };
  await ctx.store.notices.setActionState(portalId, stored.key, { action: input.action, text, by: input.actor.label, at: ctx.now().toISOString(), status: ask.status });
  return { ask, outcome, showOutcome: () => showOutcome(ctx, portalId, stored.key, outcome) };
}

/** Replaces the delivered message's buttons with what was done; a tool that cannot is logged, the action stands. */
async function showOutcome(ctx: AppContext, portalId: string, key: string, outcome: NoticeOutcome): Promise<void> {
  try {
    const stored = await ctx.store.notices.get(portalId, key);
    if (!stored || stored.status !== 'sent' || !ctx.notifications) return;
    const notifier = await ctx.notifications.notifierFor(portalId);
    if (notifier.via !== stored.deliveredVia) return;
    const record = stored.accountId ? accountRecordUrl(portalId, stored.accountId, { salesforceInstanceUrl: ctx.env.SALESFORCE_INSTANCE_URL }) : null;
    await notifier.update({ via: stored.deliveredVia!, to: stored.deliveredTo, ref: stored.messageRef }, stored.notice, { record }, outcome);
  } catch (error) {
    ctx.logger.warn({ portalId, key, code: (error as { code?: string }).code }, 'message not updated after the action');
  }
}
