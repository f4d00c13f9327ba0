import { ASK_LABELS, type Notice, type NoticeAction } from '../../domain/notices';
import type { NoticeLinks, NoticeOutcome } from '../port';

// Block Kit for a notice: the account, readiness and why (its top contributions), the proposed
// ask and its outreach text, the CRM record's link, and the buttons the CSM acts with. Names
// and outreach are the customer's data, never markup: Slack's three control characters are
// escaped in every text (https://api.slack.com/reference/surfaces/formatting#escaping).

export const ACTION_IDS: Record<NoticeAction, string> = {
  mark_sent: 'advocacy.mark_sent',
  snooze: 'advocacy.snooze',
  not_now: 'advocacy.not_now',
  approve: 'advocacy.approve',
  decline: 'advocacy.decline',
};

/** The reasons offered by "Not now" and "Decline" (one click: a select, no dialog). */
export const NOT_NOW_REASONS = ['Bad timing for the customer', 'Relationship needs care first', 'Contact has left or changed role', 'Asked recently outside the app', 'Other'];
export const DECLINE_REASONS = ['Advocate unavailable', 'Relationship needs care first', 'Too many references lately', 'Wrong fit for this prospect', 'Other'];

export const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const plain = (text: string) => ({ type: 'plain_text' as const, text: cut(text, 75), emoji: false });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: cut(text, 3000) });

type Block = Record<string, unknown>;

function bodyBlocks(notice: Notice, links: NoticeLinks): Block[] {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: cut(notice.title, 150) } }];
  const facts: string[] = [];
  if (notice.accountName || notice.accountId) {
    const name = escapeText(notice.accountName ?? notice.accountId!);
    facts.push(`*Account:* ${links.record ? `<${links.record}|${name}>` : name}`);
  }
  if (notice.readiness) facts.push(`*Readiness:* ${notice.readiness.score} (${notice.readiness.band})`);
  if (notice.ask) facts.push(`*Ask:* ${ASK_LABELS[notice.ask.askType]}${notice.ask.rule ? ` (${escapeText(notice.ask.rule)})` : ''}`);
  if (facts.length) blocks.push({ type: 'section', text: mrkdwn(facts.join('\n')) });
  if (notice.readiness?.top.length) blocks.push({ type: 'section', text: mrkdwn(`*Why:*\n${notice.readiness.top.map((c) => `• ${escapeText(c.signal)} +${c.points}: ${escapeText(c.note)}`).join('\n')}`) });
  if (notice.reasons.length) blocks.push({ type: 'section', text: mrkdwn(`*Held back because:*\n${notice.reasons.map((r) => `• ${escapeText(r.code)}: ${escapeText(r.detail)}`).join('\n')}`) });
  if (notice.ask?.outreach) blocks.push({ type: 'section', text: mrkdwn(`*Outreach:* ${escapeText(notice.ask.outreach.subject)}\n>${escapeText(notice.ask.outreach.body).replace(/\n/g, '\n>')}`) });
  if (notice.lines.length) blocks.push({ type: 'section', text: mrkdwn(notice.lines.map((l) => escapeText(l)).join('\n')) });
  return blocks;
}

const select = (actionId: string, placeholder: string, reasons: string[], value: string) => ({
  type: 'static_select',
  action_id: actionId,
  placeholder: plain(placeholder),
  options: reasons.map((r, i) => ({ text: plain(r), value: `${value}|${i}` })),
});

/** The message as first sent: the body and its buttons. Each button carries the notice's key only. */
export function noticeBlocks(notice: Notice, links: NoticeLinks): Block[] {
  const blocks = bodyBlocks(notice, links);
  const value = notice.key;
  const elements: Block[] = [];
  for (const action of notice.actions) {
    if (action === 'mark_sent') elements.push({ type: 'button', action_id: ACTION_IDS.mark_sent, text: plain('Mark sent'), style: 'primary', value });
    if (action === 'snooze') elements.push({ type: 'button', action_id: ACTION_IDS.snooze, text: plain('Snooze 7 days'), value });
    if (action === 'not_now') elements.push(select(ACTION_IDS.not_now, 'Not now (reason)', NOT_NOW_REASONS, value));
    if (action === 'approve') elements.push({ type: 'button', action_id: ACTION_IDS.approve, text: plain('Approve'), style: 'primary', value });
    if (action === 'decline') elements.push(select(ACTION_IDS.decline, 'Decline (reason)', DECLINE_REASONS, value));
  }
  if (links.record) elements.push({ type: 'button', action_id: 'advocacy.open_record', text: plain('Open in CRM'), url: links.record });
  if (elements.length) blocks.push({ type: 'actions', block_id: 'advocacy.actions', elements });
  return blocks;
}

/** After an action: the same body, and what was done (by whom) in place of the buttons. */
export function outcomeBlocks(notice: Notice, links: NoticeLinks, outcome: NoticeOutcome): Block[] {
  return [...bodyBlocks(notice, links), { type: 'context', elements: [mrkdwn(`✅ ${escapeText(outcome.text)} by ${outcome.by}`)] }];
}

/** The notification text (push and screen readers): the title. */
export const fallbackText = (notice: Notice) => cut(notice.title, 300);
