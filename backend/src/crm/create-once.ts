import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/db';
import { claimCreates, confirmCreates, releaseCreates } from '../store/crm-created-objects';
import { CrmError } from './errors';

// Create-once for CRMs that have no idempotency header (HubSpot, Salesforce). Each key is
// claimed in the store before the CRM is called, so two processes never both create it, and
// its record id is stored the moment the CRM answers. A crash between the answer and that store
// write leaves the claim unconfirmed; when its lease runs out, the next caller takes it over and
// first looks the record up in the CRM by the key written on the record, creating only what is
// not there. Only those taken-over keys are looked up (the rare crash path), so an ordinary
// create costs no extra CRM request.

/**
 * How long a claim holds. Shorter than the outbox relay's claim (10 minutes): by the time
 * another relay may take an outbox row over, the dead relay's create claims have run out too.
 */
export const CREATE_CLAIM_LEASE_MS = 5 * 60 * 1000;

export type CreateOutcome = { id: string } | { error: string };

export interface CreateOnceSteps {
  /** Records already in the CRM for these keys (found by the key stored on each record). */
  lookup(keys: string[]): Promise<Map<string, string>>;
  /**
   * Creates one record per key. `onAnswer` is awaited as each CRM answer arrives (before the
   * next answer counts). A thrown error leaves the keys it did not answer in doubt.
   */
  create(keys: string[], onAnswer: (answered: Array<[string, CreateOutcome]>) => Promise<void>): Promise<void>;
}

export interface CreateOnceResult {
  outcomes: Map<string, CreateOutcome>;
  /** The first error thrown by a lookup or create (what it did not answer is in the outcomes as an error). */
  failure: unknown;
  /** Records created now, plus those found by lookup. */
  created: number;
  /** Keys created earlier (their ids were in the store). */
  known: number;
}

export const CREATE_IN_PROGRESS = 'CREATE_IN_PROGRESS';

export async function createOnceWithClaims(
  db: Queryable,
  portalId: string,
  objectType: string,
  keys: string[],
  steps: CreateOnceSteps,
  options: { leaseMs?: number; claimedBy?: string } = {},
): Promise<CreateOnceResult> {
  const distinct = [...new Set(keys)];
  const by = options.claimedBy ?? `create:${randomUUID()}`;
  const claims = await claimCreates(db, portalId, objectType, distinct, by, options.leaseMs ?? CREATE_CLAIM_LEASE_MS);
  const outcomes = new Map<string, CreateOutcome>();
  let failure: unknown = null;
  let created = 0;
  let known = 0;
  const confirm = async (all: Array<[string, CreateOutcome]>) => {
    const answered = all.filter(([k]) => !outcomes.has(k));
    const ids = answered.filter((a): a is [string, { id: string }] => 'id' in a[1]).map(([key, o]) => ({ key, objectId: o.id }));
    await confirmCreates(db, portalId, objectType, ids);
    created += ids.length;
    // The CRM refused these and made nothing: forgotten, so a later try simply creates.
    await releaseCreates(db, portalId, answered.filter(([, o]) => 'error' in o).map(([k]) => k), by, 'refused');
    for (const [k, o] of answered) outcomes.set(k, o);
  };

  const toCreate: string[] = [];
  const takenOver: string[] = [];
  for (const key of distinct) {
    const claim = claims.get(key);
    if (!claim) outcomes.set(key, { error: `${CREATE_IN_PROGRESS}: the key's claim could not be read` });
    else if (claim.state === 'created') {
      outcomes.set(key, { id: claim.objectId });
      known++;
    } else if (claim.state === 'busy') outcomes.set(key, { error: `${CREATE_IN_PROGRESS}: another process is creating this record (its claim holds until ${claim.until})` });
    else if (claim.takenOver) takenOver.push(key);
    else toCreate.push(key);
  }

  if (takenOver.length) {
    try {
      const found = await steps.lookup(takenOver);
      await confirm([...found].map(([k, id]) => [k, { id }]));
      toCreate.push(...takenOver.filter((k) => !found.has(k)));
    } catch (error) {
      failure = error;
      await releaseCreates(db, portalId, takenOver, by, 'unknown');
      for (const k of takenOver) outcomes.set(k, { error: `could not look up the record an earlier attempt may have created: ${message(error)}` });
    }
  }

  // Stopped while looking up (daily limit, credentials): nothing of this call reached the CRM.
  const stopped = failure instanceof CrmError && failure.stopsScan;
  if (toCreate.length && !stopped) {
    try {
      await steps.create(toCreate, confirm);
    } catch (error) {
      failure ??= error;
    }
  }
  // What the CRM never answered may exist there: left unconfirmed, out of lease, for a lookup.
  const unanswered = toCreate.filter((k) => !outcomes.has(k));
  if (unanswered.length) {
    await releaseCreates(db, portalId, unanswered, by, stopped ? 'refused' : 'unknown');
    for (const k of unanswered) outcomes.set(k, { error: failure ? message(failure) : 'not sent' });
  }
  return { outcomes, failure, created, known };
}

/**
 * The CRM answered the call with a refusal (a 4xx, 429 and daily limits included, or our own
 * stop before sending): nothing was created. A timeout or a 5xx leaves it in doubt.
 */
export function refusedOutright(error: unknown): boolean {
  if (!(error instanceof CrmError)) return false;
  const status = error.details.status;
  return error.code === 'CRM_RATE_LIMITED' || error.code === 'CRM_DAILY_LIMIT' || error.code === 'CRM_AUTH' || (typeof status === 'number' && status >= 400 && status < 500);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
