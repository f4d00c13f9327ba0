import type { AppContext } from '../../app-context';
import { buildReport } from '../../use-cases/build-report';
import { isoDateArg, positiveIntArg } from '../args';
import { pct, table } from '../format';
import type { CliIo } from '../io';

export async function reportCommand(ctx: AppContext, io: CliIo, args: { months?: string; json?: boolean; asOf?: string }): Promise<number> {
  const months = positiveIntArg('--months', args.months, 6);
  const report = await buildReport(ctx, ctx.defaultPortalId, { months, asOf: isoDateArg('--as-of', args.asOf) });
  if (args.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`\nAdvocacy pipeline, ${report.months.length} months to ${report.asOf}\n`);
  io.stdout.write(
    table(
      ['month', 'eligible', 'asked', 'active', 'pipeline', 'change', 'sent', 'accepted', 'activation'],
      report.months.map((m) => [m.month, m.eligible, m.asked, m.active, m.size, m.change === null ? null : (m.change > 0 ? `+${m.change}` : String(m.change)), m.sent, m.accepted, pct(m.activationRate)]),
    ),
  );
  io.stdout.write(`\nActivation rate (accepted / sent): ${report.activationRate.accepted}/${report.activationRate.sent} = ${pct(report.activationRate.rate)}\n`);
  io.stdout.write(`Time to first completed reference: median ${report.timeToReference.medianDays ?? '-'} days, mean ${report.timeToReference.meanDays ?? '-'} days over ${report.timeToReference.accounts} accounts\n`);
  io.stdout.write('\nAcceptance by ask type:\n');
  io.stdout.write(table(['ask type', 'sent', 'accepted', 'rate'], report.acceptanceByAskType.map((r) => [r.askType, r.sent, r.accepted, pct(r.rate)])));
  io.stdout.write('\nAsks by outcome:\n');
  io.stdout.write(table(Object.keys(report.asksByOutcome), [Object.values(report.asksByOutcome)]));
  return 0;
}
