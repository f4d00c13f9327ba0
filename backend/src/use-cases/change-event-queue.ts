import type { AppContext } from './context';
import { CrmError } from '../crm/errors';
import { DomainError } from '../domain/errors';
import type { ChangeEvent } from './reevaluate-accounts';
import { evaluateAndActMany } from './evaluate-and-act';

// Webhook deliveries are answered as soon as their events are stored (HubSpot gives a webhook
// a few seconds and retries a slow one); a worker then re-evaluates each named account once
// per batch, in the portal the event came from: the batch's accounts are read together with
// the CRM's batch reads (evaluate-and-act), not one by one. An event is marked done only once
// its account's decision is stored; one whose account could not be read or acted on waits for
// the next drain. Events survive a restart: serve drains what is left when it starts.

export const MAX_EVENT_ATTEMPTS = 5;
// A burst of 1,000 companies is one drain batch: one v4 association read covers 1,000.
const DRAIN_BATCH = 1000;

export async function storeChangeEvents(ctx: AppContext, portalId: string, events: ChangeEvent[], source: string): Promise<{ accepted: number; duplicates: number }> {
  const accepted = await ctx.store.changeEvents.store(portalId, events, source);
  return { accepted, duplicates: events.length - accepted };
}

export interface DrainResult {
  evaluated: number;
  failed: number;
  /** Set when the CRM said stop (daily limit, credentials): the rest waits for the next drain. */
  stopped: string | null;
}

/** One drain per store and portal at a time; a drain asked for while one runs follows it. */
export function drainChangeEvents(ctx: AppContext, portalId: string, actor = 'hubspot:webhook'): Promise<DrainResult> {
  return ctx.serial.run(`drain:${portalId}`, () => drainNow(ctx, portalId, actor));
}

async function drainNow(ctx: AppContext, portalId: string, actor: string): Promise<DrainResult> {
  const result: DrainResult = { evaluated: 0, failed: 0, stopped: null };
  const failedNow: string[] = []; // tried again by the next drain, not in a tight loop now
  for (;;) {
    const events = await ctx.store.changeEvents.pending(portalId, { maxAttempts: MAX_EVENT_ATTEMPTS, limit: DRAIN_BATCH, skip: failedNow });
    if (events.length === 0) return result;
    const byAccount = new Map<string, string[]>();
    for (const e of events) (byAccount.get(e.accountId) ?? byAccount.set(e.accountId, []).get(e.accountId)!).push(e.eventId);
    let outcomes;
    try {
      outcomes = await evaluateAndActMany(ctx, portalId, [...byAccount.keys()], actor);
    } catch (error) {
      const code = error instanceof DomainError || error instanceof CrmError ? error.code : 'ERROR';
      if (error instanceof CrmError && error.stopsScan) {
        // Decisions already applied stand; their events run again (a no-op) with the rest.
        result.stopped = code;
        ctx.logger.warn({ portalId, code }, 'change events paused: the CRM said stop');
        return result;
      }
      const eventIds = events.map((e) => e.eventId);
      await ctx.store.changeEvents.markFailed(portalId, eventIds, code, false);
      ctx.logger.warn({ portalId, accounts: byAccount.size, code }, 'change event evaluation failed');
      failedNow.push(...eventIds);
      result.failed += byAccount.size;
      continue;
    }
    const done: string[] = [];
    const failed = new Map<string, { code: string; final: boolean; eventIds: string[] }>();
    for (const outcome of outcomes) {
      const eventIds = byAccount.get(outcome.accountId) ?? [];
      if (!('error' in outcome)) {
        done.push(...eventIds);
        result.evaluated++;
        continue;
      }
      const { error } = outcome;
      const code = error instanceof DomainError || error instanceof CrmError ? error.code : 'ERROR';
      // An unknown account will not appear by retrying; anything else is tried again later.
      const final = error instanceof DomainError;
      const group = failed.get(`${code}:${final}`) ?? failed.set(`${code}:${final}`, { code, final, eventIds: [] }).get(`${code}:${final}`)!;
      group.eventIds.push(...eventIds);
      ctx.logger.warn({ portalId, accountId: outcome.accountId, code }, 'change event evaluation failed');
      failedNow.push(...eventIds);
      result.failed++;
    }
    if (done.length) await ctx.store.changeEvents.markProcessed(portalId, done);
    for (const { code, final, eventIds } of failed.values()) await ctx.store.changeEvents.markFailed(portalId, eventIds, code, final);
  }
}

/** Portals with events left from before a restart. */
export async function portalsWithPendingEvents(ctx: AppContext): Promise<string[]> {
  return ctx.store.changeEvents.portalsWithPending(MAX_EVENT_ATTEMPTS);
}
