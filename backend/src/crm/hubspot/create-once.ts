import type { Client } from '@hubspot/api-client';
import type { Db } from '../../store/db';
import { createOnceWithClaims, refusedOutright } from '../create-once';
import { CrmError } from '../errors';
import { writeInBatches, type BatchInput, type BatchOutcome } from './batch-writes';
import type { CallContext } from './call-hubspot';

// HubSpot has no idempotency header for creates. Each key is claimed in our store before the
// batch goes out and its new id stored as soon as HubSpot answers that batch (crm/create-once):
// a restart, a retried relay, another worker or the same key twice in one call finds the object
// and creates nothing. A key whose claim was left unconfirmed by a crash is looked up in HubSpot
// by the key in the record's body (`lookup`) before anything is created for it.

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
  lookup: (keys: string[]) => Promise<Map<string, string>>,
): Promise<Map<string, BatchOutcome>> {
  const { outcomes, failure, created, known } = await createOnceWithClaims(db, portalId, objectType, keys, {
    lookup,
    create: async (fresh, onAnswer) => {
      const inputs: BatchInput[] = fresh.map((k) => ({ traceId: k, body: body(k) }));
      const { failure: thrown } = await writeInBatches(ctx, `create ${objectType}`, inputs, send, {
        idempotent: false,
        onAnswer,
        // A 4xx answer (429 included) means HubSpot made nothing: those keys are simply free again.
        // A timeout or a 5xx may have created them: they stay in doubt, for a lookup next time.
        onThrown: async (traceIds, error) => {
          if (refusedOutright(error)) await onAnswer(traceIds.map((k) => [k, { error: (error as Error).message }]));
        },
      });
      if (thrown) throw thrown;
    },
  });
  if (failure) {
    const stop = failure instanceof CrmError && failure.stopsScan;
    if (stop || (created === 0 && known === 0)) throw failure;
  }
  return outcomes;
}

