import type { AppContext } from '../../app-context';
import { positiveIntArg } from '../args';
import { table } from '../format';
import type { CliIo } from '../io';

export async function logCommand(ctx: AppContext, io: CliIo, args: { account?: string; verify?: boolean; json?: boolean; limit?: string }): Promise<number> {
  const portalId = ctx.defaultPortalId;
  if (args.verify) {
    const result = await ctx.store.audit.verify(portalId);
    if (args.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.ok) io.stdout.write(`audit log intact: ${result.checked} entries, hash chain verified\n`);
    else {
      io.stdout.write(`AUDIT LOG TAMPERED: ${result.problems.length} problem(s) in ${result.checked} entries\n`);
      for (const p of result.problems) io.stdout.write(`  - entry ${p.seq}: ${p.problem}: ${p.detail}\n`);
    }
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

function summarize(after: unknown): string {
  if (!after || typeof after !== 'object') return '';
  const a = after as Record<string, unknown>;
  const parts = ['decision', 'askType', 'status', 'scope'].filter((k) => a[k]).map((k) => `${k}=${a[k]}`);
  if (Array.isArray(a.reasons)) parts.push(`reasons=${a.reasons.map((r) => (typeof r === 'string' ? r : (r as { code: string }).code)).join('|')}`);
  return parts.join(' ');
}
