import { CrmError } from '../crm/errors';
import type { CrmPort, CrmTask } from '../crm/port';
import { appendAudit, type AuditEntryInput } from '../store/audit-log';
import { askFromRow, consentFromRow, type getAsk } from '../store/asks-repo';
import type { Db } from '../store/db';
import { markFailed, pending, type PendingOutboxItem } from '../store/outbox';
import { oneAtATime } from './one-at-a-time';

// Sends pending CRM writes. Each item carries its idempotency key to the CRM, so a relay that
// dies after the CRM accepted a task but before it was marked done cannot create a second one.
// Successes are recorded a batch at a time (one transaction per batch, not per item): a crash
// in between only means those items are sent again, and the keys make that harmless.

export interface RelayResult {
  sent: number;
  /** CRM tasks created (the rest of `sent` mirrors asks into the CRM). */
  tasks: number;
  failed: number;
  /** Set when the CRM said stop (daily limit, credentials): the rest stays pending. */
  stoppedBy: CrmError | null;
}

export const MAX_ATTEMPTS = 5;
// Large enough that each kind fills whole CRM collections (200 per call), small enough to stay flat.
const BATCH = 1000;

interface Done {
  item: PendingOutboxItem;
  taskId: string | null;
  crmAskId: string | null;
}

// Relays of one portal in one process run one after another: two at once could both see an
// item as pending and both send it (the CRM-side key check is not atomic with the create).
export function relayOutbox(deps: { db: Db; crm: CrmPort; portalId: string; now: () => Date }, options: { limit?: number; onlyKeys?: string[] } = {}): Promise<RelayResult> {
  return oneAtATime(deps.db, `relay:${deps.portalId}`, () => relayNow(deps, options));
}

async function relayNow(deps: { db: Db; crm: CrmPort; portalId: string; now: () => Date }, options: { limit?: number; onlyKeys?: string[] }): Promise<RelayResult> {
  const limit = options.limit ?? 10_000;
  const { db, crm, portalId } = deps;
  const result: RelayResult = { sent: 0, tasks: 0, failed: 0, stoppedBy: null };
  // A failed item waits for the next relay (the adapter already retried it with backoff).
  const failedNow: string[] = [];
  while (result.sent + result.failed < limit) {
    const batch = await pending(db, portalId, Math.min(limit - result.sent - result.failed, BATCH), failedNow, options.onlyKeys ?? null);
    if (batch.length === 0) return result;
    const done: Done[] = [];
    const fail = async (item: PendingOutboxItem, error: unknown) => {
      if (error instanceof CrmError && error.stopsScan) {
        result.stoppedBy = error;
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      await markFailed(db, portalId, item.idempotencyKey, message, item.attempts + 1 >= MAX_ATTEMPTS);
      failedNow.push(item.idempotencyKey);
      result.failed++;
    };
    try {
      const taskItems = batch.filter((i) => i.kind !== 'ask_mirror');
      let sentAsBatch = false;
      if (crm.createTasks && taskItems.length > 1) {
        try {
          const results = await crm.createTasks(taskItems.map((i) => i.payload as CrmTask));
          for (const [k, r] of results.entries()) {
            if ('taskId' in r) done.push({ item: taskItems[k], taskId: r.taskId, crmAskId: null });
            else await fail(taskItems[k], new Error(r.error));
          }
          sentAsBatch = true;
        } catch (error) {
          if (error instanceof CrmError && error.stopsScan) result.stoppedBy = error;
          // otherwise nothing was created: fall back to one by one
        }
      }
      const mirrors = await loadMirrors(db, portalId, batch);
      const mirrorItems = batch.filter((i) => i.kind === 'ask_mirror');
      let mirroredAsBatch = false;
      if (crm.saveAsks && mirrorItems.length > 1 && !result.stoppedBy) {
        const found = mirrorItems.map((i) => ({ item: i, m: mirrors.get((i.payload as { askId: string }).askId) }));
        const present = found.filter((f) => f.m?.ask);
        try {
          const results = await crm.saveAsks(present.map((f) => ({ ask: f.m!.ask!, outcomeNote: f.m!.ask!.outcomeNote, consent: f.m!.consent })));
          for (const [k, r] of results.entries()) {
            if ('error' in r) await fail(present[k].item, new Error(r.error));
            else done.push({ item: present[k].item, taskId: null, crmAskId: r.crmAskId });
          }
          for (const f of found) if (!f.m?.ask) done.push({ item: f.item, taskId: null, crmAskId: null });
          mirroredAsBatch = true;
        } catch (error) {
          if (error instanceof CrmError && error.stopsScan) result.stoppedBy = error;
        }
      }
      for (const item of batch) {
        if (result.stoppedBy) break;
        if (sentAsBatch && item.kind !== 'ask_mirror') continue;
        if (mirroredAsBatch && item.kind === 'ask_mirror') continue;
        try {
          done.push(await send(crm, item, mirrors));
        } catch (error) {
          await fail(item, error);
        }
      }
    } finally {
      await recordDone(deps, done);
    }
    result.sent += done.length;
    result.tasks += done.filter((d) => d.taskId !== null).length;
    if (result.stoppedBy) return result;
  }
  return result;
}

type Mirrors = Map<string, { ask: Awaited<ReturnType<typeof getAsk>>; consent: ReturnType<typeof consentFromRow> | null }>;

/** The asks (and their latest consent) a batch of mirror items needs, in two queries. */
async function loadMirrors(db: Db, portalId: string, batch: PendingOutboxItem[]): Promise<Mirrors> {
  const ids = batch.filter((i) => i.kind === 'ask_mirror').map((i) => (i.payload as { askId: string }).askId);
  const out: Mirrors = new Map();
  if (ids.length === 0) return out;
  const asks = await db.query<Parameters<typeof askFromRow>[0]>(`SELECT * FROM asks WHERE portal_id = $1 AND ask_id = ANY($2::text[])`, [portalId, ids]);
  const consents = await db.query<Parameters<typeof consentFromRow>[0] & { ask_id: string }>(
    `SELECT DISTINCT ON (ask_id) * FROM consents WHERE portal_id = $1 AND ask_id = ANY($2::text[]) ORDER BY ask_id, recorded_at DESC`,
    [portalId, ids],
  );
  const consentByAsk = new Map(consents.rows.map((r) => [r.ask_id, consentFromRow(r)]));
  for (const r of asks.rows) out.set(r.ask_id, { ask: askFromRow(r), consent: consentByAsk.get(r.ask_id) ?? null });
  return out;
}

async function send(crm: CrmPort, item: PendingOutboxItem, mirrors: Mirrors): Promise<Done> {
  if (item.kind === 'ask_mirror') {
    const found = mirrors.get((item.payload as { askId: string }).askId);
    if (!found?.ask) return { item, taskId: null, crmAskId: null };
    const { crmAskId } = await crm.saveAsk(found.ask, { outcomeNote: found.ask.outcomeNote, consent: found.consent });
    return { item, taskId: null, crmAskId };
  }
  const { taskId } = await crm.createTask(item.payload as CrmTask);
  return { item, taskId, crmAskId: null };
}

async function recordDone(deps: { db: Db; portalId: string; now: () => Date }, done: Done[]): Promise<void> {
  if (done.length === 0) return;
  const { db, portalId } = deps;
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE outbox o SET status = 'done', task_id = d.task_id, done_at = now(), last_error = NULL
         FROM unnest($2::text[], $3::text[]) AS d(key, task_id)
        WHERE o.portal_id = $1 AND o.idempotency_key = d.key`,
      [portalId, done.map((d) => d.item.idempotencyKey), done.map((d) => d.taskId)],
    );
    // One row per ask: a task and a mirror of the same ask may finish in the same batch.
    const perAsk = new Map<string, { taskId: string | null; crmAskId: string | null }>();
    for (const d of done) {
      if (!d.item.askId || (!d.taskId && !d.crmAskId)) continue;
      const prev = perAsk.get(d.item.askId) ?? { taskId: null, crmAskId: null };
      perAsk.set(d.item.askId, { taskId: d.taskId ?? prev.taskId, crmAskId: d.crmAskId ?? prev.crmAskId });
    }
    if (perAsk.size) {
      const ids = [...perAsk.keys()];
      await tx.query(
        `UPDATE asks a SET task_id = COALESCE(d.task_id, a.task_id), crm_ask_id = COALESCE(d.crm_ask_id, a.crm_ask_id), updated_at = now()
           FROM unnest($2::text[], $3::text[], $4::text[]) AS d(ask_id, task_id, crm_ask_id)
          WHERE a.portal_id = $1 AND a.ask_id = d.ask_id`,
        [portalId, ids, ids.map((id) => perAsk.get(id)!.taskId), ids.map((id) => perAsk.get(id)!.crmAskId)],
      );
    }
    const audit: AuditEntryInput[] = done
      .filter((d) => d.taskId)
      .map((d) => {
        const task = d.item.payload as CrmTask;
        return {
          actor: 'system:relay',
          action: 'task.created',
          entityType: 'task',
          entityId: d.taskId!,
          accountId: d.item.accountId,
          criteriaVersion: null,
          before: null,
          after: { kind: task.kind, ownerId: task.ownerId, askId: d.item.askId, dueOn: task.dueOn },
        };
      });
    await appendAudit(tx, portalId, audit, deps.now().toISOString());
  });
}

