import type { AppContext } from '../../app-context';
import { accountAdvocacy } from '../../use-cases/account-advocacy';
import { isoDateArg } from '../args';
import { table } from '../format';
import type { CliIo } from '../io';

// `advocacy account ID`: one account as the company card shows it, for a person at a terminal:
// readiness and why, the decision (or the ask in progress), and the history.

export async function accountCommand(ctx: AppContext, io: CliIo, accountId: string, args: { asOf?: string; json?: boolean }): Promise<number> {
  const view = await accountAdvocacy(ctx, ctx.defaultPortalId, accountId, isoDateArg('--as-of', args.asOf));
  if (args.json) {
    io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return 0;
  }
  const { account, evaluation, openAsk } = view;
  const w = (s: string) => io.stdout.write(s);
  w(`${account.name} (${account.accountId})\n`);
  w(`CSM ${account.ownerName ?? 'none'}${account.ownerId ? ` (${account.ownerId})` : ''} · health ${account.healthScore ?? 'missing'}${account.strategic ? ' · strategic' : ''}\n`);
  const r = evaluation.readiness;
  w(r ? `\nReadiness ${r.score} (${r.band}) as of ${evaluation.asOf}, criteria ${evaluation.criteriaVersion}\n` : `\nNo readiness score: no contact to score.\n`);
  if (r) w(table(['signal', 'value', 'points', 'note'], r.contributions.map((c) => [c.signal, c.missing ? 'missing' : c.raw === null ? null : String(c.raw), c.points, c.note])));

  const contactName = (id: string | null) => (id ? `${view.contacts.find((c) => c.contactId === id)?.name ?? id} (${id})` : '-');
  if (openAsk) {
    w(`\nAsk in progress: ${openAsk.askType} to ${contactName(openAsk.contactId)}, ${openAsk.status} ${openAsk.ageDays} day(s) ago${openAsk.csmOwned ? ', asked by the CSM' : ''} (${openAsk.askId})\n`);
    if (openAsk.rule) w(`  why: ${openAsk.rule.detail}\n`);
    if (openAsk.outreach) w(`  subject: ${openAsk.outreach.subject}\n`);
    w(`  next: ${openAsk.next.join(', ')} (advocacy outcome ${openAsk.askId} STATUS)\n`);
  }
  w(`\nDecision: ${evaluation.decision}${evaluation.askType ? ` (${evaluation.askType} to ${contactName(evaluation.contactId)})` : ''}\n`);
  for (const reason of evaluation.reasons) w(`  ${reason.code}: ${reason.detail}\n`);

  w(`\nHistory\n`);
  if (view.asks.length === 0) w('  no asks yet\n');
  else w(table(['ask', 'type', 'contact', 'status', 'since', 'note'], view.asks.map((a) => [a.askId, `${a.askType}${a.csmOwned ? ' (CSM)' : ''}`, a.contactName ? `${a.contactName} (${a.contactId})` : a.contactId, a.status, a.statusAt.slice(0, 10), a.outcomeNote])));
  for (const c of view.consents) w(`  consent ${c.consentId}: ${c.scope} since ${c.grantedOn}${c.revokedOn ? `, revoked ${c.revokedOn}` : c.expiresOn ? `, until ${c.expiresOn}` : ''}\n`);
  return 0;
}
