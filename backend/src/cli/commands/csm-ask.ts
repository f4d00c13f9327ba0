import type { AppContext } from '../../app-context';
import { recordCsmAsk } from '../../use-cases/record-csm-ask';
import { today } from '../../use-cases/load-snapshot';
import { askTypeArg, isoDateArg } from '../args';
import { UsageError, type CliIo } from '../io';

/** `advocacy csm-ask ACCOUNT --type T --contact C [--on D] [--note N]`: the CSM asked directly. */
export async function csmAskCommand(ctx: AppContext, io: CliIo, accountId: string, flags: { type?: string; contact?: string; on?: string; note?: string }, actor: string): Promise<number> {
  const askType = askTypeArg('--type', flags.type);
  if (!askType) throw new UsageError('--type is required: what you asked for (quote, review, reference_call, ...)');
  if (!flags.contact) throw new UsageError('--contact is required: the contact you asked');
  const askedOn = isoDateArg('--on', flags.on) ?? today(ctx);
  const { ask, created } = await recordCsmAsk(ctx, ctx.defaultPortalId, accountId, { askType, contactId: flags.contact, askedOn, note: flags.note ?? null, actor });
  io.stdout.write(`${created ? 'recorded' : 'already recorded'}: ${ask.askType} ask ${ask.askId} to ${ask.contactName ?? ask.contactId} on ${askedOn}, CSM-owned, now ${ask.status}\n`);
  return 0;
}
