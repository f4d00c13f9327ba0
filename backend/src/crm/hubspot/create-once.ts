import type { Client } from '@hubspot/api-client';
import type { Db } from '../../store/db';
import { createdObjectIds, rememberCreatedObjects } from '../../store/hubspot-tokens-repo';
import { CrmError } from '../errors';
import { writeInBatches, type BatchInput, type BatchOutcome } from './batch-writes';
import type { CallContext } from './call-hubspot';

// HubSpot has no idempotency header for creates. The map from our idempotency key to the
// object it created is kept in our database and written as soon as HubSpot answers each batch:
// a restart, a retried relay or the same key twice in one call finds the object and creates
// nothing. Finding it by a stored key in HubSpot instead would need the search API (5
// requests/s, eventually consistent), too slow and too loose for this.

/**
 * Creates one object per distinct key not created before, remembers each new id as soon as
 * its batch answers, and reports per key. Throws only when nothing was created, or when
 * HubSpot said stop (after remembering what was created).
 */
export async function createOnce(
  ctx: CallContext,
  db: Db,
  portalId: string,
  objectType: string,
  keys: string[],
  body: (key: string) => Record<string, unknown>,
  send: (client: Client, inputs: Array<Record<string, unknown>>) => Promise<unknown>,
): Promise<Map<string, BatchOutcome>> {
  const distinct = [...new Set(keys)];
  const known = await createdObjectIds(db, portalId, distinct);
  const fresh: BatchInput[] = distinct.filter((k) => !known.has(k)).map((k) => ({ traceId: k, body: body(k) }));
  let created = 0;
  // Each batch's new ids are stored the moment HubSpot answers, before the next batch's answer.
  const remember = async (answered: Array<[string, BatchOutcome]>) => {
    const ids = answered.filter(([, o]) => 'id' in o).map(([key, o]) => ({ key, objectId: (o as { id: string }).id }));
    created += ids.length;
    await rememberCreatedObjects(db, portalId, objectType, ids);
  };
  const { outcomes, failure } = fresh.length ? await writeInBatches(ctx, `create ${objectType}`, fresh, send, { idempotent: false, onAnswer: remember }) : { outcomes: new Map<string, BatchOutcome>(), failure: null };
  if (failure) {
    const stop = failure instanceof CrmError && failure.stopsScan;
    if (stop || (created === 0 && known.size === 0)) throw failure;
  }
  const all = new Map<string, BatchOutcome>();
  for (const k of distinct) {
    const id = known.get(k);
    all.set(k, id ? { id } : (outcomes.get(k) ?? { error: failure instanceof Error ? failure.message : 'not sent' }));
  }
  return all;
}
