import type { AppContext } from '../../app-context';
import { recordOutcome } from '../../use-cases/record-outcome';
import { askTypeArg, isoDateArg, statusArg } from '../args';
import { labelled, table } from '../format';
import { UsageError, type CliIo } from '../io';
import { ASK_STATUSES, type AskStatus } from '../../domain/types';

export async function asksCommand(ctx: AppContext, io: CliIo, args: { account?: string; status?: string; json?: boolean }): Promise<number> {
  if (args.status && !(ASK_STATUSES as readonly string[]).includes(args.status)) throw new UsageError(`--status must be one of ${ASK_STATUSES.join(', ')}`);
  const asks = await ctx.store.asks.list(ctx.defaultPortalId, { accountId: args.account, status: args.status as AskStatus | undefined, limit: 10_000 });
  if (args.json) {
    io.stdout.write(`${JSON.stringify(asks, null, 2)}\n`);
    return 0;
  }
  const names = await ctx.store.evaluations.namesOf(ctx.defaultPortalId, [...new Set(asks.map((a) => a.accountId))]);
  // The evaluation names one contact (the one it chose); other contacts of the account show their id.
  const contactName = (a: (typeof asks)[number]) => {
    const kept = names.get(a.accountId);
    return kept && kept.contactId === a.contactId ? kept.contactName : null;
  };
  io.stdout.write(
    table(
      ['ask', 'account', 'contact', 'type', 'status', 'proposed', 'task'],
      asks.map((a) => [a.askId, labelled(a.accountId, names.get(a.accountId)?.accountName), labelled(a.contactId, contactName(a)), a.askType, a.status, a.proposedAt.slice(0, 10), a.taskId]),
    ),
  );
  io.stdout.write(`${asks.length} ask${asks.length === 1 ? '' : 's'}\n`);
  return 0;
}

export async function outcomeCommand(
  ctx: AppContext,
  io: CliIo,
  askId: string,
  statusText: string,
  args: { consentScope?: string; evidence?: string; expiresOn?: string; grantedOn?: string; note?: string; advocateFeedback?: string; prospectFeedback?: string; actor?: string },
): Promise<number> {
  const status = statusArg(statusText);
  const scope = askTypeArg('--consent-scope', args.consentScope);
  if ((scope && !args.evidence) || (!scope && args.evidence)) throw new UsageError('--consent-scope and --evidence go together: consent needs both its scope and its evidence');
  const ask = await recordOutcome(ctx, ctx.defaultPortalId, askId, {
    status,
    note: args.note ?? null,
    consent: scope ? { scope, evidence: args.evidence!, expiresOn: isoDateArg('--expires-on', args.expiresOn) ?? null, grantedOn: isoDateArg('--granted-on', args.grantedOn) } : null,
    feedback: args.advocateFeedback || args.prospectFeedback ? { advocate: args.advocateFeedback ?? null, prospect: args.prospectFeedback ?? null } : null,
    actor: args.actor ?? 'cli:outcome',
  });
  io.stdout.write(`ask ${ask.askId} is now ${ask.status}\n`);
  return 0;
}
