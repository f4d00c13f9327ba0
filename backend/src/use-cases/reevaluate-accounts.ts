import type { AppContext } from '../app-context';
import { DomainError } from '../domain/errors';
import { evaluateAndAct } from './evaluate-and-act';

// CRM change events (HubSpot webhooks, Salesforce Flow or CDC): each event id is handled once;
// the accounts they name are re-evaluated once per batch however many events named them.

export interface ChangeEvent {
  eventId: string;
  accountId: string;
}

export interface ReevaluateResult {
  received: number;
  duplicates: number;
  evaluated: number;
  failed: Array<{ accountId: string; code: string }>;
}

export async function reevaluateAccounts(ctx: AppContext, portalId: string, events: ChangeEvent[], actor: string): Promise<ReevaluateResult> {
  const ids = events.map((e) => `event:${e.eventId}`);
  const { rows } = await ctx.db.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE portal_id = $1 AND key = ANY($2::text[])`, [portalId, ids]);
  const seen = new Set(rows.map((r) => r.key));
  const fresh = events.filter((e) => !seen.has(`event:${e.eventId}`));
  const accounts = [...new Set(fresh.map((e) => e.accountId))];
  const result: ReevaluateResult = { received: events.length, duplicates: events.length - fresh.length, evaluated: 0, failed: [] };
  for (const accountId of accounts) {
    try {
      await evaluateAndAct(ctx, portalId, accountId, actor);
      result.evaluated++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error; // transient: the sender retries, nothing recorded yet
      result.failed.push({ accountId, code: error.code });
    }
  }
  if (fresh.length) {
    await ctx.db.query(
      `INSERT INTO idempotency_keys (portal_id, key, response) SELECT $1, k, '{}'::jsonb FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING`,
      [portalId, fresh.map((e) => `event:${e.eventId}`)],
    );
  }
  return result;
}
