import type { AppContext } from '../../app-context';
import { anchorAudit, verifyAuditLog, type AnchorOutcome } from '../../use-cases/anchor-audit';
import { positiveIntArg } from '../args';
import { table } from '../format';
import type { CliIo } from '../io';

export interface LogArgs {
  account?: string;
  verify?: boolean;
  anchor?: boolean;
  anchors?: string[];
  json?: boolean;
  limit?: string;
}

export async function logCommand(ctx: AppContext, io: CliIo, args: LogArgs): Promise<number> {
  const portalId = ctx.defaultPortalId;
  if (args.anchor) {
    const outcome = await anchorAudit(ctx, portalId);
    if (args.json) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    else printAnchor(io, outcome);
    return outcome.destinations.every((d) => d.ok) ? 0 : 1;
  }
  if (args.verify) {
    const result = await verifyAuditLog(ctx, portalId, args.anchors ?? []);
    if (args.json) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return result.ok ? 0 : 1;
    }
    const anchored = result.sources.reduce((n, s) => n + s.checkpoints, 0);
    if (result.ok) io.stdout.write(`audit log intact: ${result.checked} entries, hash chain verified (keyed MAC), head signed, ${anchored} checkpoint(s) agree\n`);
    else {
      io.stdout.write(`AUDIT LOG TAMPERED: ${result.problems.length} problem(s) in ${result.checked} entries\n`);
      for (const p of result.problems) io.stdout.write(`  - entry ${p.seq}: ${p.problem}: ${p.detail}\n`);
    }
    for (const s of result.sources) io.stdout.write(`  checkpoints from ${s.source}: ${s.error ? `not read (${s.error})` : s.checkpoints}\n`);
    if (anchored === 0) io.stdout.write('  no checkpoint checked: a removed tail or a whole rewritten log can only be seen against one (advocacy log --anchor, --anchors FILE)\n');
    if (result.unkeyedThrough) io.stdout.write(`  entries 1..${result.unkeyedThrough} predate keyed MACs: they carry an unkeyed hash, pinned by the signed marker after them\n`);
    return result.ok ? 0 : 1;
  }
  const limit = positiveIntArg('--limit', args.limit, 200, 100_000);
  const entries = await ctx.store.audit.list(portalId, { accountId: args.account, limit });
  if (args.json) {
    io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(
    table(
      ['#', 'at', 'actor', 'action', 'entity', 'account', 'criteria', 'after'],
      entries.map((e) => [e.seq, e.at.slice(0, 19), e.actor, e.action, `${e.entityType}:${e.entityId}`, e.accountId, e.criteriaVersion, summarize(e.after)]),
    ),
  );
  return 0;
}

export function printAnchor(io: CliIo, outcome: AnchorOutcome): void {
  if (outcome.sealed) io.stdout.write('audit log: marked the start of the keyed chain (entries before it predate keyed MACs)\n');
  if (!outcome.checkpoint) {
    io.stdout.write('audit log is empty: no checkpoint written\n');
    return;
  }
  const c = outcome.checkpoint;
  io.stdout.write(`audit checkpoint: entry ${c.seq} at ${c.at} (key ${c.keyId})\n`);
  if (outcome.coveredByNewer) io.stdout.write('  already written by another process (a later head than this one read)\n');
  for (const d of outcome.destinations) io.stdout.write(d.ok ? `  written to ${d.to}\n` : `  NOT written to ${d.to}: ${d.error}\n`);
}

function summarize(after: unknown): string {
  if (!after || typeof after !== 'object') return '';
  const a = after as Record<string, unknown>;
  const parts = ['decision', 'askType', 'status', 'scope'].filter((k) => a[k]).map((k) => `${k}=${a[k]}`);
  if (Array.isArray(a.reasons)) parts.push(`reasons=${a.reasons.map((r) => (typeof r === 'string' ? r : (r as { code: string }).code)).join('|')}`);
  return parts.join(' ');
}
