import type { AppContext } from './context';
import type { ChangeEvent } from '../crm/port';
import { DomainError } from '../domain/errors';
import { evaluateAndActMany } from './evaluate-and-act';

// CRM change events (HubSpot webhooks, Salesforce Flow or CDC): each event id is handled once;
// the accounts they name are re-evaluated once per batch however many events named them, read
// together with the CRM's batch reads.

export type { ChangeEvent } from '../crm/port';

export interface ReevaluateResult {
  received: number;
  duplicates: number;
  evaluated: number;
  failed: Array<{ accountId: string; code: string }>;
}

export async function reevaluateAccounts(ctx: AppContext, portalId: string, events: ChangeEvent[], actor: string): Promise<ReevaluateResult> {
  const ids = events.map((e) => `event:${e.eventId}`);
  const seen = await ctx.store.idempotency.seen(portalId, ids);
  const fresh = events.filter((e) => !seen.has(`event:${e.eventId}`));
  const accounts = [...new Set(fresh.map((e) => e.accountId))];
  const result: ReevaluateResult = { received: events.length, duplicates: events.length - fresh.length, evaluated: 0, failed: [] };
  for (const outcome of await evaluateAndActMany(ctx, portalId, accounts, actor)) {
    if (!('error' in outcome)) {
      result.evaluated++;
      continue;
    }
    // Transient: the sender retries the whole set, nothing recorded yet (what was applied is a no-op the second time).
    if (!(outcome.error instanceof DomainError)) throw outcome.error;
    result.failed.push({ accountId: outcome.accountId, code: outcome.error.code });
  }
  await ctx.store.idempotency.rememberAll(portalId, fresh.map((e) => `event:${e.eventId}`));
  return result;
}
