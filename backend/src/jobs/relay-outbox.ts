import { randomUUID } from 'node:crypto';
import { CREATE_IN_PROGRESS } from '../crm/create-once';
import { CrmError } from '../crm/errors';
import type { CrmPort, CrmTask } from '../crm/port';
import type { Consent } from '../domain/types';
import type { AuditEntryInput, PendingOutboxItem, Store, StoredAsk } from '../store/store-port';
import { OneAtATime } from './one-at-a-time';

// Sends pending CRM writes. Each item carries its idempotency key to the CRM, so a relay that
// dies after the CRM accepted a task but before it was marked done cannot create a second one.
// Successes are recorded a batch at a time (one transaction per batch, not per item): a crash
// in between only means those items are sent again, and the keys make that harmless.

export interface RelayResult {
  sent: number;
  /** CRM tasks created (the rest of `sent` mirrors asks into the CRM). */
  tasks: number;
  failed: number;
  /**
   * Left pending, not failed: another process's create claim holds the record's key (it is
   * creating it, or died doing so and its claim has yet to run out). Not an attempt: a relay
   * after the claim's lease sends it (or finds what the dead process created).
   */
  busy?: number;
  /** Set when the CRM said stop (daily limit, credentials): the rest stays pending. */
  stoppedBy: CrmError | null;
}

export const MAX_ATTEMPTS = 5;
/** How long a relay holds the outbox rows it took (a relay that died frees them after this). */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;
// Large enough that each kind fills whole CRM collections (200 per call), small enough to stay flat.
const BATCH = 1000;

interface Done {
  item: PendingOutboxItem;
  taskId: string | null;
  crmAskId: string | null;
}

// Relays of one portal in one process run one after another: two at once could both see an
// item as pending and both send it (the CRM-side key check is not atomic with the create).
export interface RelayDeps {
  store: Store;
  crm: CrmPort;
  portalId: string;
  now: () => Date;
  /** The process's serializer (the composition root's); a relay of its own when absent. */
  serial?: OneAtATime;
  /** How long the rows in hand stay this relay's (JOB_LEASE_SECONDS; CLAIM_LEASE_MS when absent). */
  claimLeaseMs?: number;
}

export function relayOutbox(deps: RelayDeps, options: { limit?: number; onlyKeys?: string[] } = {}): Promise<RelayResult> {
  return (deps.serial ?? new OneAtATime()).run(`relay:${deps.portalId}`, async () => {
    const claim = { by: `relay:${randomUUID()}`, leaseMs: deps.claimLeaseMs ?? CLAIM_LEASE_MS };
    try {
      return await relayNow(deps, options, claim);
    } finally {
      // Stopped by the CRM, or failed: what it still holds goes back at once, not after the lease.
      await deps.store.outbox.releaseClaims(deps.portalId, claim.by);
    }
  });
}

async function relayNow(deps: RelayDeps, options: { limit?: number; onlyKeys?: string[] }, claim: { by: string; leaseMs: number }): Promise<RelayResult> {
  const limit = options.limit ?? 10_000;
  const { store, crm, portalId } = deps;
  const result: RelayResult = { sent: 0, tasks: 0, failed: 0, stoppedBy: null };
  // A failed item waits for the next relay (the adapter already retried it with backoff).
  const failedNow: string[] = [];
  // Other relays (workers, serve) share this outbox: the rows in hand are claimed for a lease,
  // and marked done only while still ours.
  while (result.sent + result.failed < limit) {
    const batch = await store.outbox.pending(portalId, Math.min(limit - result.sent - result.failed, BATCH), failedNow, options.onlyKeys ?? null, claim);
    if (batch.length === 0) return result;
    const done: Done[] = [];
    const fail = async (item: PendingOutboxItem, error: unknown) => {
      if (error instanceof CrmError && error.stopsScan) {
        result.stoppedBy = error;
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes(CREATE_IN_PROGRESS)) {
        // Counting it would give a killed process's keys up after a few relays: lost tasks.
        failedNow.push(item.idempotencyKey);
        result.busy = (result.busy ?? 0) + 1;
        return;
      }
      await store.outbox.markFailed(portalId, item.idempotencyKey, message, item.attempts + 1 >= MAX_ATTEMPTS, claim.by);
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
      const mirrors = await loadMirrors(store, portalId, batch);
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
      await recordDone(deps, done, claim.by);
    }
    result.sent += done.length;
    result.tasks += done.filter((d) => d.taskId !== null).length;
    if (result.stoppedBy) return result;
  }
  return result;
}

type Mirrors = Map<string, { ask: StoredAsk | null; consent: Consent | null }>;

/** The asks (and their latest consent) a batch of mirror items needs. */
function loadMirrors(store: Store, portalId: string, batch: PendingOutboxItem[]): Promise<Mirrors> {
  return store.asks.withLatestConsent(portalId, batch.filter((i) => i.kind === 'ask_mirror').map((i) => (i.payload as { askId: string }).askId));
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

async function recordDone(deps: RelayDeps, done: Done[], claimedBy: string): Promise<void> {
  if (done.length === 0) return;
  const { store, portalId } = deps;
  const auditFor = (marked: Set<string>): AuditEntryInput[] => done
    .filter((d) => d.taskId && marked.has(d.item.idempotencyKey))
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
  // Only the rows this relay still holds are marked, and only those audited: a row whose claim
  // ran out was taken over by another relay, which records it (the CRM's key makes its resend
  // harmless), so each task gets one audit entry.
  await store.transaction(async (tx) => {
    const marked = await tx.outbox.markRelayed(portalId, done.map((d) => ({ idempotencyKey: d.item.idempotencyKey, askId: d.item.askId, taskId: d.taskId, crmAskId: d.crmAskId })), claimedBy);
    await tx.audit.append(portalId, auditFor(marked), deps.now().toISOString());
  });
}
