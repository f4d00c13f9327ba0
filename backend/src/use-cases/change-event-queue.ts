import type { AppContext } from '../app-context';
import { CrmError } from '../crm/errors';
import { DomainError } from '../domain/errors';
import type { ChangeEvent } from './reevaluate-accounts';
import { evaluateAndAct } from './evaluate-and-act';
import { oneAtATime } from '../jobs/one-at-a-time';

// Webhook deliveries are answered as soon as their events are stored (HubSpot gives a webhook
// a few seconds and retries a slow one); a worker then re-evaluates each named account once
// per batch, in the portal the event came from. Events survive a restart: serve drains what
// is left when it starts.

export const MAX_EVENT_ATTEMPTS = 5;
const DRAIN_BATCH = 500;

export async function storeChangeEvents(ctx: AppContext, portalId: string, events: ChangeEvent[], source: string): Promise<{ accepted: number; duplicates: number }> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const { rows } = await ctx.db.query<{ event_id: string }>(
    `INSERT INTO change_events (portal_id, event_id, account_id, source)
     SELECT $1, e, a, $4 FROM unnest($2::text[], $3::text[]) AS t(e, a)
     ON CONFLICT (portal_id, event_id) DO NOTHING RETURNING event_id`,
    [portalId, events.map((e) => e.eventId), events.map((e) => e.accountId), source],
  );
  return { accepted: rows.length, duplicates: events.length - rows.length };
}

export interface DrainResult {
  evaluated: number;
  failed: number;
  /** Set when the CRM said stop (daily limit, credentials): the rest waits for the next drain. */
  stopped: string | null;
}

/** One drain per store and portal at a time; a drain asked for while one runs follows it. */
export function drainChangeEvents(ctx: AppContext, portalId: string, actor = 'hubspot:webhook'): Promise<DrainResult> {
  return oneAtATime(ctx.db, `drain:${portalId}`, () => drainNow(ctx, portalId, actor));
}

async function drainNow(ctx: AppContext, portalId: string, actor: string): Promise<DrainResult> {
  const result: DrainResult = { evaluated: 0, failed: 0, stopped: null };
  const failedNow: string[] = []; // tried again by the next drain, not in a tight loop now
  for (;;) {
    const { rows } = await ctx.db.query<{ event_id: string; account_id: string }>(
      `SELECT event_id, account_id FROM change_events WHERE portal_id = $1 AND processed_at IS NULL AND attempts < $2 AND NOT (event_id = ANY($4::text[]))
        ORDER BY received_at, event_id LIMIT $3`,
      [portalId, MAX_EVENT_ATTEMPTS, DRAIN_BATCH, failedNow],
    );
    if (rows.length === 0) return result;
    const byAccount = new Map<string, string[]>();
    for (const r of rows) (byAccount.get(r.account_id) ?? byAccount.set(r.account_id, []).get(r.account_id)!).push(r.event_id);
    for (const [accountId, eventIds] of byAccount) {
      try {
        await evaluateAndAct(ctx, portalId, accountId, actor);
        await ctx.db.query(`UPDATE change_events SET processed_at = now(), last_error = NULL WHERE portal_id = $1 AND event_id = ANY($2::text[])`, [portalId, eventIds]);
        result.evaluated++;
      } catch (error) {
        const code = error instanceof DomainError || error instanceof CrmError ? error.code : 'ERROR';
        if (error instanceof CrmError && error.stopsScan) {
          result.stopped = code;
          ctx.logger.warn({ portalId, code }, 'change events paused: the CRM said stop');
          return result;
        }
        // An unknown account will not appear by retrying; anything else is tried again later.
        const final = error instanceof DomainError;
        await ctx.db.query(
          `UPDATE change_events SET attempts = attempts + 1, last_error = $3, processed_at = CASE WHEN $4 THEN now() ELSE NULL END WHERE portal_id = $1 AND event_id = ANY($2::text[])`,
          [portalId, eventIds, code, final],
        );
        ctx.logger.warn({ portalId, accountId, code }, 'change event evaluation failed');
        failedNow.push(...eventIds);
        result.failed++;
      }
    }
  }
}

/** Portals with events left from before a restart. */
export async function portalsWithPendingEvents(ctx: AppContext): Promise<string[]> {
  const { rows } = await ctx.db.query<{ portal_id: string }>(`SELECT DISTINCT portal_id FROM change_events WHERE processed_at IS NULL AND attempts < $1`, [MAX_EVENT_ATTEMPTS]);
  return rows.map((r) => r.portal_id);
}
