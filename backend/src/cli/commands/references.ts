import type { AppContext } from '../../app-context';
import type { MatchResult, ReferenceNeed } from '../../domain/reference-match';
import { referenceNeed } from '../../http/validate';
import { matchForDeal, prefillForDeal, requestReference, requestsForDeal } from '../../use-cases/reference-requests';
import { table } from '../format';
import { UsageError, type CliIo } from '../io';

// `advocacy references ...`: the deal card's reference flow for Salesforce users and the
// embedded default. The need starts from what the deal and its company say; flags override.

export interface NeedFlags {
  deal?: string;
  askType?: string;
  industry?: string;
  sizeBand?: string;
  region?: string;
  product?: string;
  useCase?: string;
  competitor?: string;
  language?: string;
  due?: string;
  json?: boolean;
}

const FLAG_OF: Record<string, string> = { askType: '--ask-type', sizeBand: '--size-band', useCase: '--use-case', dueOn: '--due' };

function dealArg(flags: NeedFlags): string {
  if (!flags.deal) throw new UsageError('--deal ID is required');
  return flags.deal;
}

async function needFor(ctx: AppContext, dealId: string, flags: NeedFlags): Promise<ReferenceNeed> {
  const prefill = await prefillForDeal(ctx, ctx.defaultPortalId, dealId);
  const overrides = Object.fromEntries(
    Object.entries({ askType: flags.askType, industry: flags.industry, sizeBand: flags.sizeBand, region: flags.region, product: flags.product, useCase: flags.useCase, competitor: flags.competitor, language: flags.language, dueOn: flags.due }).filter(([, v]) => v !== undefined),
  );
  const parsed = referenceNeed.safeParse({ ...prefill, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${FLAG_OF[key] ?? `--${key}`}: ${i.message}`;
    });
    throw new UsageError(problems.join('; '));
  }
  return parsed.data;
}

const describeNeed = (n: ReferenceNeed) =>
  [n.askType, n.industry, n.sizeBand, n.region, n.product, n.useCase, n.competitor && `replacing ${n.competitor}`, n.language, n.dueOn && `due ${n.dueOn}`].filter(Boolean).join(', ');

function writeMatches(io: CliIo, need: ReferenceNeed, result: MatchResult): void {
  io.stdout.write(`Need: ${describeNeed(need)}\n`);
  if (result.matches.length === 0) {
    io.stdout.write(`No advocate fits: ${result.explanation ?? 'no advocate shares any attribute with this need'}\n`);
    return;
  }
  io.stdout.write(
    table(
      ['#', 'contact', 'name', 'account', 'fit', 'readiness', 'last used', 'why'],
      result.matches.map((m, i) => [i + 1, m.contactId, m.contactName, m.accountName, m.score, m.readiness, m.lastUsedOn, m.matched.map((a) => `${a.attribute}=${a.value} (+${a.weight})`).join(', ')]),
    ),
  );
}

export async function referencesMatchCommand(ctx: AppContext, io: CliIo, flags: NeedFlags): Promise<number> {
  const dealId = dealArg(flags);
  const need = await needFor(ctx, dealId, flags);
  const result = await matchForDeal(ctx, ctx.defaultPortalId, dealId, need);
  if (flags.json) io.stdout.write(`${JSON.stringify({ dealId, need, ...result }, null, 2)}\n`);
  else writeMatches(io, need, result);
  return 0;
}

export async function referencesRequestCommand(ctx: AppContext, io: CliIo, flags: NeedFlags & { contact?: string }): Promise<number> {
  const dealId = dealArg(flags);
  if (!flags.contact) throw new UsageError('--contact ID is required: the advocate to ask (see `advocacy references match`)');
  const need = await needFor(ctx, dealId, flags);
  const request = await requestReference(ctx, ctx.defaultPortalId, dealId, need, flags.contact, 'cli:references');
  if (flags.json) io.stdout.write(`${JSON.stringify({ request }, null, 2)}\n`);
  else io.stdout.write(`reference request ${request.askId}: ${request.contactName} (${request.accountName}) is ${request.status}; their CSM has a task to approve or decline it\n`);
  return 0;
}

export async function referencesListCommand(ctx: AppContext, io: CliIo, flags: { deal?: string; json?: boolean }): Promise<number> {
  const dealId = dealArg(flags);
  const { requests } = await requestsForDeal(ctx, ctx.defaultPortalId, dealId);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ dealId, requests }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(table(['ask', 'contact', 'account', 'status', 'requested', 'overdue'], requests.map((r) => [r.askId, r.contactName, r.accountName, r.status, r.requestedAt.slice(0, 10), r.overdueReason])));
  io.stdout.write(`${requests.length} request${requests.length === 1 ? '' : 's'} on deal ${dealId}\n`);
  return 0;
}
