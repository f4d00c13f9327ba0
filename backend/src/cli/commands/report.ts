import type { AppContext } from '../../app-context';
import { buildReport } from '../../use-cases/build-report';
import { isoDateArg, positiveIntArg } from '../args';
import { pct, table } from '../format';
import type { CliIo } from '../io';
import type { ReferenceKpis } from '../../domain/reference-kpis';

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
  writeReferences(io, report.references);
  return 0;
}

const money = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

function writeReferences(io: CliIo, r: ReferenceKpis | null): void {
  if (!r) {
    io.stdout.write('\nReferences: this CRM adapter cannot list closed deals, so influenced revenue is not shown.\n');
    return;
  }
  io.stdout.write(`\nReferences and deals (influenced = won with a reference completed by the close):\n`);
  io.stdout.write(
    table(
      ['month', 'influenced', 'won w/ ref', 'win rate w/ ref', 'won w/o ref', 'win rate w/o ref'],
      r.months.map((m) => [m.month, money(m.influencedRevenue), `${m.withReference.won}/${m.withReference.won + m.withReference.lost}`, pct(m.withReference.winRate), `${m.withoutReference.won}/${m.withoutReference.won + m.withoutReference.lost}`, pct(m.withoutReference.winRate)]),
    ),
  );
  io.stdout.write(`Influenced revenue: ${money(r.influencedRevenue)}; win rate with a reference ${pct(r.winRate.withReference)}, without ${pct(r.winRate.withoutReference)}\n`);
  const sl = r.serviceLevels;
  io.stdout.write(
    `Service levels: ${sl.requests} requests; CSM decided within ${sl.csmDecisionBusinessDays} business days ${sl.decidedInTime}/${sl.decided}; ` +
      `fulfilled within ${sl.fulfilmentBusinessDays} ${sl.fulfilledInTime}/${sl.fulfilled}; overdue now ${sl.overdueNow}\n`,
  );
  io.stdout.write(`Load: ${r.load.advocates} advocates gave references in 12 months; the busiest ${r.load.maxRequests} requests, median ${r.load.medianRequests ?? '-'}\n`);
  if (r.loadPerAdvocate.length) io.stdout.write(table(['advocate', 'account', 'requests', 'completed'], r.loadPerAdvocate.slice(0, 5).map((a) => [a.contactId, a.accountId, a.requests, a.completed])));
}
