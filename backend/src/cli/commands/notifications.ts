import type { AppContext } from '../../app-context';
import { notifyDepsOf, sendNotifications } from '../../jobs/send-notifications';
import type { NotificationStatus } from '../../store/store-port';
import { table } from '../format';
import { UsageError, type CliIo } from '../io';

// `advocacy notifications`: what the CSMs were told, or would have been (with no messaging tool
// configured the notices go to the audit log): kind, recipient, status, where it went, the text.

const STATUSES: NotificationStatus[] = ['pending', 'sent', 'digested', 'suppressed', 'failed'];

export async function notificationsCommand(ctx: AppContext, io: CliIo, args: { status?: string; owner?: string; ask?: string; limit?: string; send?: boolean; json?: boolean }): Promise<number> {
  if (args.status && !(STATUSES as string[]).includes(args.status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = args.limit === undefined ? 200 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError(`--limit must be a whole number from 1 to 10000, got "${args.limit}"`);
  const portalId = ctx.defaultPortalId;
  if (args.send) {
    const r = await sendNotifications(await notifyDepsOf(ctx, portalId));
    if (!args.json) io.stdout.write(`sent ${r.sent}, into the digest ${r.digested}, opted out ${r.suppressed}, waiting (quiet hours) ${r.waiting}, failed ${r.failed}${r.stoppedBy ? `; stopped: ${r.stoppedBy.code}: ${r.stoppedBy.message}` : ''}\n`);
  }
  const rows = await ctx.store.notices.list(portalId, { status: args.status as NotificationStatus | undefined, ownerId: args.owner, askId: args.ask, limit });
  if (args.json) {
    io.stdout.write(`${JSON.stringify(rows.map((n) => ({ key: n.key, kind: n.kind, ownerId: n.ownerId, ownerEmail: n.ownerEmail, accountId: n.accountId, askId: n.askId, status: n.status, reason: n.reason, attempts: n.attempts, lastError: n.lastError, via: n.deliveredVia, to: n.deliveredTo, sentAt: n.sentAt, createdAt: n.createdAt, title: n.notice.title, lines: n.notice.lines, actions: n.notice.actions, done: n.actionState })), null, 2)}\n`);
    return 0;
  }
  io.stdout.write(
    table(
      ['created', 'kind', 'to', 'status', 'via', 'title'],
      rows.map((n) => [n.createdAt.slice(0, 16).replace('T', ' '), n.kind, n.ownerEmail ?? n.ownerId, n.status === 'failed' ? `failed: ${n.lastError}` : n.reason && n.status !== 'sent' ? `${n.status} (${n.reason})` : n.status, n.deliveredVia, n.notice.title]),
    ),
  );
  io.stdout.write(`${rows.length} notification${rows.length === 1 ? '' : 's'}\n`);
  return 0;
}
