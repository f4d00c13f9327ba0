import type { Client } from '@hubspot/api-client';
import { CrmError } from '../errors';
import { callHubSpot, type CallContext } from './call-hubspot';

// Batch writes with one result per input. HubSpot answers a batch either 201/200 (all done),
// 207 (some done: `errors` name the rest by objectWriteTraceId), or 400/409 for the whole
// batch when one record is invalid. A whole-batch refusal is split in halves until the bad
// records stand alone, so one invalid owner id costs a few calls, not the other 99 tasks.

export const BATCH_LIMIT = 100;

export interface BatchInput {
  /** Correlates HubSpot's answer to the input; also what 207 errors name. */
  traceId: string;
  body: Record<string, unknown>;
}

/** `updatedAt`: HubSpot's time of the write (an update's own mark in hs_lastmodifieddate). */
export type BatchOutcome = { id: string; updatedAt?: string } | { error: string };

interface BatchAnswer {
  results?: Array<{ id: string; objectWriteTraceId?: string; properties?: Record<string, string | null>; updatedAt?: Date | string }>;
  errors?: Array<{ message?: string; category?: string; context?: Record<string, string[] | undefined> }>;
}

export async function writeInBatches(
  ctx: CallContext,
  what: string,
  inputs: BatchInput[],
  send: (client: Client, inputs: Array<Record<string, unknown>>) => Promise<unknown>,
  options: {
    idempotent: boolean;
    size?: number;
    onAnswer?: (answered: Array<[string, BatchOutcome]>) => Promise<void>;
    /** A chunk's call threw (after its retries): these records got no answer of their own. */
    onThrown?: (traceIds: string[], error: unknown) => Promise<void>;
  },
): Promise<{ outcomes: Map<string, BatchOutcome>; failure: unknown }> {
  const out = new Map<string, BatchOutcome>();
  const size = options.size ?? BATCH_LIMIT;
  const chunks: BatchInput[][] = [];
  for (let i = 0; i < inputs.length; i += size) chunks.push(inputs.slice(i, i + size));
  // Chunks go out together: the portal's limiter paces them, and waiting on each in turn would
  // leave the rate budget idle for a round trip per chunk.
  // A chunk that throws (daily limit, HubSpot down) must not hide the chunks that succeeded:
  // the caller records those first, so a retry does not create them again.
  const settled = await Promise.allSettled(chunks.map((chunk) => writeChunk(ctx, what, chunk, send, options.idempotent, out, options.onAnswer, options.onThrown)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')?.reason ?? null;
  return { outcomes: out, failure };
}

const answered = (r: { id: string; updatedAt?: Date | string }): BatchOutcome => {
  const at = r.updatedAt ? new Date(r.updatedAt) : null;
  return at && !Number.isNaN(at.getTime()) ? { id: r.id, updatedAt: at.toISOString() } : { id: r.id };
};

async function writeChunk(
  ctx: CallContext,
  what: string,
  chunk: BatchInput[],
  send: (client: Client, inputs: Array<Record<string, unknown>>) => Promise<unknown>,
  idempotent: boolean,
  out: Map<string, BatchOutcome>,
  onAnswer?: (answered: Array<[string, BatchOutcome]>) => Promise<void>,
  onThrown?: (traceIds: string[], error: unknown) => Promise<void>,
): Promise<void> {
  let answer: BatchAnswer;
  try {
    answer = (await callHubSpot(ctx, what, { idempotent }, (client) => send(client, chunk.map((c) => ({ ...c.body, objectWriteTraceId: c.traceId }))))) as BatchAnswer;
  } catch (error) {
    const whole = error instanceof CrmError && error.code === 'CRM_REJECTED' && (error.details.status === 400 || error.details.status === 409);
    if (!whole) {
      await onThrown?.(chunk.map((c) => c.traceId), error);
      throw error;
    }
    if (chunk.length === 1) {
      out.set(chunk[0].traceId, { error: error.message });
      await onAnswer?.([[chunk[0].traceId, { error: error.message }]]);
      return;
    }
    const half = Math.ceil(chunk.length / 2);
    await writeChunk(ctx, what, chunk.slice(0, half), send, idempotent, out, onAnswer, onThrown);
    await writeChunk(ctx, what, chunk.slice(half), send, idempotent, out, onAnswer, onThrown);
    return;
  }
  const failed = new Map<string, string>();
  for (const e of answer.errors ?? []) {
    for (const traceId of e.context?.objectWriteTraceId ?? []) failed.set(traceId, `${e.category ?? 'ERROR'}: ${e.message ?? 'refused'}`);
  }
  const results = answer.results ?? [];
  const traced = results.every((r) => r.objectWriteTraceId);
  if (traced) {
    for (const r of results) out.set(r.objectWriteTraceId!, answered(r));
  } else {
    // Older answers without trace ids: results follow the inputs that did not fail, in order.
    const ok = chunk.filter((c) => !failed.has(c.traceId));
    results.forEach((r, k) => ok[k] && out.set(ok[k].traceId, answered(r)));
  }
  for (const c of chunk) if (!out.has(c.traceId)) out.set(c.traceId, { error: failed.get(c.traceId) ?? 'HubSpot returned no result for this record' });
  await onAnswer?.(chunk.map((c) => [c.traceId, out.get(c.traceId)!]));
}
