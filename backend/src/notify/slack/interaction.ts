import { z } from 'zod';
import type { NoticeAction } from '../../domain/notices';
import { ACTION_IDS, DECLINE_REASONS, NOT_NOW_REASONS } from './blocks';

// An interactive payload (a button or a select in one of our messages), as Slack sends it:
// form-encoded `payload=<JSON>`. zod checks the parts we use; anything else is refused with
// the problem named. The notice key comes from the element's value, the reason from the option.

const action = z.object({
  action_id: z.string().min(1).max(255),
  value: z.string().max(2000).optional(),
  selected_option: z.object({ value: z.string().max(2000) }).passthrough().optional(),
}).passthrough();

export const interactionSchema = z
  .object({
    type: z.literal('block_actions'),
    team: z.object({ id: z.string().regex(/^[TE][A-Z0-9]{2,30}$/) }).passthrough(),
    user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,30}$/), team_id: z.string().optional() }).passthrough(),
    actions: z.array(action).min(1).max(5),
    response_url: z.string().url().optional(),
  })
  .passthrough();

export interface ParsedInteraction {
  workspaceId: string;
  userId: string;
  /** null: an element that needs no backend action (the "Open in CRM" link button). */
  action: NoticeAction | null;
  noticeKey: string | null;
  reason: string | null;
}

const BY_ID = new Map(Object.entries(ACTION_IDS).map(([k, v]) => [v, k as NoticeAction]));

export function parseInteraction(payload: unknown): ParsedInteraction {
  const p = interactionSchema.parse(payload);
  const first = p.actions[0];
  const kind = BY_ID.get(first.action_id) ?? null;
  if (!kind) return { workspaceId: p.team.id, userId: p.user.id, action: null, noticeKey: null, reason: null };
  let key = first.value ?? null;
  let reason: string | null = null;
  if (kind === 'not_now' || kind === 'decline') {
    const [k, index] = (first.selected_option?.value ?? '').split('|');
    const reasons = kind === 'not_now' ? NOT_NOW_REASONS : DECLINE_REASONS;
    key = k || null;
    reason = reasons[Number(index)] ?? null;
    if (reason === null) throw new z.ZodError([{ code: 'custom', path: ['actions', 0, 'selected_option'], message: 'a reason from the list is required', input: first.selected_option }]);
  }
  if (!key || !/^notice:[\x21-\x7e]{1,300}$/.test(key)) throw new z.ZodError([{ code: 'custom', path: ['actions', 0, 'value'], message: 'must carry the notice key', input: key }]);
  return { workspaceId: p.team.id, userId: p.user.id, action: kind, noticeKey: key, reason };
}
