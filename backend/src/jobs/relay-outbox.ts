import { CrmError } from '../crm/errors';
import type { CrmPort, CrmTask } from '../crm/port';
import { appendAudit } from '../store/audit-log';
import { consentFromRow, getAsk } from '../store/asks-repo';
import type { Queryable } from '../store/db';
import type { Db } from '../store/db';
import { markDone, markFailed, pending } from '../store/outbox';

// Sends pending CRM writes. Each item carries its idempotency key to the CRM, so a relay that
// dies after the CRM accepted a task but before it was marked done cannot create a second one.

export interface RelayResult {
  sent: number;
  /** CRM tasks created (the rest of `sent` mirrors asks into the CRM). */
  tasks: number;
  failed: number;
  /** Set when the CRM said stop (daily limit, credentials): the rest stays pending. */
  stoppedBy: CrmError | null;
}

export const MAX_ATTEMPTS = 5;

export async function relayOutbox(deps: { db: Db; crm: CrmPort; portalId: string; now: () => Date }, limit = 10_000): Promise<RelayResult> {
  const { db, crm, portalId } = deps;
  const result: RelayResult = { sent: 0, tasks: 0, failed: 0, stoppedBy: null };
  // A failed item waits for the next relay (the adapter already retried it with backoff).
  const failedNow: string[] = [];
  while (result.sent + result.failed < limit) {
    const batch = await pending(db, portalId, Math.min(limit - result.sent - result.failed, 200), failedNow);
    if (batch.length === 0) return result;
    for (const item of batch) {
      try {
        if (item.kind === 'ask_mirror') {
          const ask = await getAsk(db, portalId, (item.payload as { askId: string }).askId);
          const consent = ask ? await consentOfAsk(db, portalId, ask.askId) : null;
          const { crmAskId } = ask ? await crm.saveAsk(ask, { outcomeNote: ask.outcomeNote, consent }) : { crmAskId: null };
          await db.transaction(async (tx) => {
            await markDone(tx, portalId, item.idempotencyKey, null);
            if (ask && crmAskId) await tx.query(`UPDATE asks SET crm_ask_id = $3 WHERE portal_id = $1 AND ask_id = $2`, [portalId, ask.askId, crmAskId]);
          });
        } else {
          const task = item.payload as CrmTask;
          const { taskId } = await crm.createTask(task);
          await db.transaction(async (tx) => {
            await markDone(tx, portalId, item.idempotencyKey, taskId);
            if (item.askId) await tx.query(`UPDATE asks SET task_id = $3, updated_at = now() WHERE portal_id = $1 AND ask_id = $2`, [portalId, item.askId, taskId]);
            await appendAudit(
              tx,
              portalId,
              [{ actor: 'system:relay', action: 'task.created', entityType: 'task', entityId: taskId, accountId: item.accountId, criteriaVersion: null, before: null, after: { kind: task.kind, ownerId: task.ownerId, askId: item.askId, dueOn: task.dueOn } }],
              deps.now().toISOString(),
            );
          });
          result.tasks++;
        }
        result.sent++;
      } catch (error) {
        if (error instanceof CrmError && error.stopsScan) {
          result.stoppedBy = error;
          return result;
        }
        const message = error instanceof Error ? error.message : String(error);
        await markFailed(db, portalId, item.idempotencyKey, message, item.attempts + 1 >= MAX_ATTEMPTS);
        failedNow.push(item.idempotencyKey);
        result.failed++;
      }
    }
  }
  return result;
}

async function consentOfAsk(db: Queryable, portalId: string, askId: string) {
  const { rows } = await db.query<Parameters<typeof consentFromRow>[0]>(
    `SELECT * FROM consents WHERE portal_id = $1 AND ask_id = $2 ORDER BY recorded_at DESC LIMIT 1`,
    [portalId, askId],
  );
  return rows[0] ? consentFromRow(rows[0]) : null;
}
