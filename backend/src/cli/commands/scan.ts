import { SingleBar } from 'cli-progress';
import type { AppContext } from '../../app-context';
import { dayOf } from '../../domain/calendar';
import { refreshPortfolio, type RefreshResult } from '../../jobs/refresh-portfolio';
import { runScan, ScanRunningError, type ScanDecision } from '../../jobs/scan-portfolio';
import { AuditTamperedError } from '../../store/audit-log';
import { anchorAudit } from '../../use-cases/anchor-audit';
import { notifyDepsOf, sendNotifications } from '../../jobs/send-notifications';
import { syncDeletedContacts } from '../../use-cases/sync-deleted-contacts';
import { purgeUninstalledPortals } from '../../use-cases/uninstall-portal';
import { isoDateArg } from '../args';
import { firstOf, labelled, table } from '../format';
import type { CliIo } from '../io';

export interface ScanArgs {
  asOf?: string;
  dryRun?: boolean;
  /** Every account, not only what changed or is due. */
  full?: boolean;
  json?: boolean;
}

const decisionJson = (d: ScanDecision) => ({
  accountId: d.evaluation.accountId,
  contactId: d.evaluation.contactId,
  decision: d.evaluation.decision,
  askType: d.evaluation.askType,
  reasons: d.evaluation.reasons,
  readiness: d.evaluation.readiness,
  taskId: d.taskId,
});

/** Runs the scan; --json streams one document so memory stays flat on large portfolios. */
export async function scanCommand(ctx: AppContext, io: CliIo, args: ScanArgs): Promise<number> {
  const asOf = isoDateArg('--as-of', args.asOf) ?? dayOf(ctx.now());
  const portalId = ctx.defaultPortalId;
  const crm = ctx.crmFor(portalId);
  if (!args.dryRun) await privacyDuties(ctx, io, portalId);
  const showBar = io.stderr.isTTY === true && !args.json;
  // done/total and percent when the CRM can count its accounts; a running count otherwise.
  const total = showBar && crm.countAccounts ? await crm.countAccounts().catch(() => null) : null;
  const bar = showBar
    ? new SingleBar({ format: total !== null ? 'scanning {bar} {value}/{total} accounts {percentage}%' : 'scanning {bar} {value} accounts', stream: io.stderr as NodeJS.WriteStream })
    : null;
  bar?.start(total ?? 0, 0);
  let first = true;
  const proposals: ScanDecision[] = [];
  const handoffs: ScanDecision[] = [];
  // Not ready, by reason: one account can fail several gates, so the counts add up to more.
  const notReadyReasons = new Map<string, number>();
  if (args.json) io.stdout.write(`{"asOf":${JSON.stringify(asOf)},"criteriaVersion":${JSON.stringify(ctx.criteria.version)},"decisions":[`);
  const deps = { store: ctx.store, serial: ctx.serial, crm, criteria: ctx.criteria, portalId, now: ctx.now };
  // A dry run judges every account and writes nothing; otherwise the daily refresh (a full scan when due or asked for).
  const run = args.dryRun ? (o: Parameters<typeof runScan>[1]) => runScan(deps, o) : (o: Parameters<typeof runScan>[1]) => refreshPortfolio({ ...deps, fullEveryDays: ctx.env.FULL_SCAN_EVERY_DAYS, overlapMinutes: ctx.env.REFRESH_OVERLAP_MINUTES }, { ...o, full: args.full });
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run({
      asOf,
      dryRun: args.dryRun,
      // A scan of this date already running (a worker's job, another `advocacy scan`) is waited for this long.
      lockWaitMs: ctx.env.LOCK_WAIT_SECONDS * 1000,
      onProgress: ({ evaluated }) => {
        if (total === null || evaluated > total) bar?.setTotal(evaluated);
        bar?.update(evaluated);
      },
      onDecision: (d) => {
        if (args.json) {
          io.stdout.write(`${first ? '' : ','}\n${JSON.stringify(decisionJson(d))}`);
          first = false;
        } else if (d.evaluation.decision === 'propose' && proposals.length < 25) proposals.push(d);
        else if (d.evaluation.decision === 'handoff' && handoffs.length < 25) handoffs.push(d);
        if (d.evaluation.decision === 'not_ready') for (const code of new Set(d.evaluation.reasons.map((r) => r.code))) notReadyReasons.set(code, (notReadyReasons.get(code) ?? 0) + 1);
      },
    });
  } catch (error) {
    if (!(error instanceof ScanRunningError)) throw error;
    bar?.stop();
    // The document already begun on stdout is closed, so it still parses, saying why it is empty.
    if (args.json) io.stdout.write(`\n],"status":"refused","stopReason":${JSON.stringify(`SCAN_RUNNING: ${error.message}`)}}\n`);
    io.stderr.write(`scan refused: ${error.message}. It did not finish within LOCK_WAIT_SECONDS (${ctx.env.LOCK_WAIT_SECONDS} s); run this again when it has finished (its work is not lost), or raise LOCK_WAIT_SECONDS to wait longer.\n`);
    return 4;
  }
  bar?.stop();
  if (args.json) {
    io.stdout.write(`\n],"summary":${JSON.stringify(result.summary)},"mode":${JSON.stringify('mode' in result ? (result as RefreshResult).mode : 'full')},"status":${JSON.stringify(result.status)},"stopReason":${JSON.stringify(result.stopReason)},"dryRun":${!!args.dryRun}}\n`);
  } else {
    printScan(io, result, proposals, handoffs, notReadyReasons, !!args.dryRun);
  }
  const anchored = args.dryRun ? 0 : await anchorAfterScan(ctx, io, portalId);
  if (!args.dryRun) await notifyAfterScan(ctx, io, portalId, !!args.json);
  if (result.status === 'stopped') {
    io.stderr.write(`scan stopped: ${result.stopReason}. Progress is saved; run the same command again to resume.\n`);
    return 3;
  }
  return anchored;
}

/**
 * The daily path's privacy duties, before the scan reads anyone: people deleted in the CRM are
 * erased here too, and uninstalled portals past their grace period are purged. A CRM that
 * cannot answer now is reported; the next scan reads the same window again.
 */
async function privacyDuties(ctx: AppContext, io: CliIo, portalId: string): Promise<void> {
  for (const p of await purgeUninstalledPortals(ctx)) io.stderr.write(`purged the data of uninstalled portal ${p.portalId}\n`);
  try {
    const { erased } = await syncDeletedContacts(ctx, portalId);
    if (erased.length) io.stderr.write(`erased ${erased.length} contact(s) deleted in the CRM\n`);
  } catch (error) {
    io.stderr.write(`warning: contacts deleted in the CRM not read: ${(error as Error).message}\n`);
  }
}

/**
 * Every scan ends with a signed checkpoint of the audit head (anchor file and CRM). A
 * destination that fails is reported and the scan still succeeds; a log that no longer
 * matches its last checkpoint fails the command.
 */
async function anchorAfterScan(ctx: AppContext, io: CliIo, portalId: string): Promise<number> {
  try {
    const outcome = await anchorAudit(ctx, portalId);
    for (const d of outcome.destinations) if (!d.ok) io.stderr.write(`warning: audit checkpoint not written to ${d.to}: ${d.error}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AuditTamperedError)) throw error;
    io.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
}

/** The scan's notices go out after it (the service's job retries what fails): a messaging outage never fails the scan. */
async function notifyAfterScan(ctx: AppContext, io: CliIo, portalId: string, json: boolean) {
  try {
    const r = await sendNotifications(await notifyDepsOf(ctx, portalId));
    if (!json && r.sent + r.digested + r.failed > 0) io.stdout.write(`Notifications: ${r.sent} sent, ${r.digested} into the daily digest${r.failed ? `, ${r.failed} to retry` : ''} (\`advocacy notifications\`)\n`);
    if (r.stoppedBy) io.stderr.write(`notifications not sent: ${r.stoppedBy.code}: ${r.stoppedBy.message}\n`);
  } catch (error) {
    io.stderr.write(`notifications not sent now (they stay pending): ${(error as Error).message}\n`);
  }
}

function printScan(io: CliIo, result: Awaited<ReturnType<typeof runScan>>, proposals: ScanDecision[], handoffs: ScanDecision[], notReady: Map<string, number>, dryRun: boolean) {
  const s = result.summary;
  io.stdout.write(`\nScan as of ${result.asOf} (criteria ${result.criteriaVersion})${dryRun ? ' - dry run, nothing written' : ''}\n`);
  if ('mode' in result && !result.alreadyDone) {
    const r = result as RefreshResult;
    io.stdout.write(
      r.mode === 'full'
        ? `Full scan: ${r.fullBecause}\n`
        : `Incremental refresh: re-evaluated ${r.selected!.total} account(s) (changed in the CRM ${r.selected!.crmChanged}, changed here ${r.selected!.storeChanged}, decision due ${r.selected!.due}); every other decision still holds (\`scan --full\` re-evaluates all)\n`,
    );
  }
  io.stdout.write(table(['evaluated', 'proposed', 'handed off', 'not ready', 'tasks created now'], [[s.evaluated, s.proposed, s.handedOff, s.notReady, result.tasksCreated]]));
  if (proposals.length) {
    io.stdout.write(`\nProposed asks${firstOf(proposals.length, s.proposed, '`advocacy asks --status proposed`')}:\n`);
    io.stdout.write(
      table(
        ['account', 'contact', 'ask', 'readiness', 'why', 'task'],
        proposals.map((d) => [labelled(d.evaluation.accountId, d.names?.accountName), labelled(d.evaluation.contactId, d.names?.contactName), d.evaluation.askType, d.evaluation.readiness ? `${d.evaluation.readiness.score} ${d.evaluation.readiness.band}` : null, d.evaluation.proposal?.rule.detail ?? null, d.taskId]),
      ),
    );
  }
  if (handoffs.length) {
    io.stdout.write(`\nHanded off to the CSM${firstOf(handoffs.length, s.handedOff, '`advocacy scan --json`')} - a task is raised when the CSM must act (strategic or sensitive):\n`);
    io.stdout.write(table(['account', 'reasons', 'task'], handoffs.map((d) => [labelled(d.evaluation.accountId, d.names?.accountName), d.evaluation.reasons.map((r) => `${r.code}: ${r.detail}`).join('; '), d.taskId])));
  }
  if (notReady.size) {
    io.stdout.write(`\nNot ready, by reason (an account may fail several):\n`);
    io.stdout.write(table(['reason', 'accounts'], [...notReady].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => [code, n])));
  }
}
