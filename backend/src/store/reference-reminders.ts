import type { CrmTask } from '../domain/crm-task';
import type { Queryable } from './db';
import type { OutboxItem } from './outbox';

// Reference requests still waiting on someone, with the task their CSM got (whose owner the
// reminder goes to), and the insert that raises a reminder at most once per request and stage.

export interface OpenReferenceRequest {
  askId: string;
  accountId: string;
  status: 'proposed' | 'sent' | 'accepted';
  proposedAt: string;
  task: CrmTask;
}

export async function openReferenceRequests(db: Queryable, portalId: string): Promise<OpenReferenceRequest[]> {
  const { rows } = await db.query<{ ask_id: string; account_id: string; status: OpenReferenceRequest['status']; proposed_at: string; payload: CrmTask }>(
    `SELECT a.ask_id, a.account_id, a.status, a.proposed_at, o.payload FROM asks a
       JOIN outbox o ON o.portal_id = a.portal_id AND o.ask_id = a.ask_id AND o.kind = 'reference_task' AND o.idempotency_key NOT LIKE 'reminder:%'
      WHERE a.portal_id = $1 AND a.deal_id IS NOT NULL AND a.status IN ('proposed', 'sent', 'accepted')
      ORDER BY a.proposed_at, a.ask_id`,
    [portalId],
  );
  return rows.map((r) => ({ askId: r.ask_id, accountId: r.account_id, status: r.status, proposedAt: r.proposed_at, task: r.payload }));
}

/** True when this call raised it: an item of the same key already there adds nothing. */
export async function enqueueOnce(q: Queryable, portalId: string, item: OutboxItem): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO outbox (portal_id, idempotency_key, kind, account_id, ask_id, payload, created_on) VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (portal_id, idempotency_key) DO NOTHING RETURNING idempotency_key`,
    [portalId, item.idempotencyKey, item.kind, item.accountId, item.askId, JSON.stringify(item.payload), item.createdOn],
  );
  return rows.length === 1;
}
