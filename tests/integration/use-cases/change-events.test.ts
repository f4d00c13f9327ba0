import { CrmError } from '../../../backend/src/crm/errors';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { applyDataset } from '../../../backend/src/import/dataset';
import type { Db } from '../../../backend/src/store/db';
import { drainChangeEvents, portalsWithPendingEvents, storeChangeEvents } from '../../../backend/src/use-cases/change-event-queue';
import { championsDataset } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

const PORTAL = 'hubspot:111';

async function seed(db: Db) {
  await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset([{ id: 'acc-a' }, { id: 'acc-b' }])));
}

/**
 * The local CRM, except that reading `failing` fails with `error` while `failures` lasts: a
 * batch read answers that error for it (or throws it, when it is a stop, as the adapters do).
 * `reads` counts the reads by kind.
 */
function flaky(db: Db, failing: string, error: Error, failures: { left: number }, reads = { one: 0, many: 0, taskBatches: 0, writeBacks: 0 }): CrmPort {
  const local = new LocalCrm(db, PORTAL);
  return new Proxy(local, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'getAccount')
        return async (accountId: string) => {
          reads.one++;
          if (accountId === failing && failures.left-- > 0) throw error;
          return local.getAccount(accountId);
        };
      if (prop === 'getAccounts')
        return async (accountIds: string[]) => {
          reads.many++;
          const read = await local.getAccounts(accountIds);
          if (read.has(failing) && failures.left-- > 0) {
            if (error instanceof CrmError && error.stopsScan) throw error;
            read.set(failing, error as CrmError);
          }
          return read;
        };
      if (prop === 'createTasks' || prop === 'writeBack')
        return (...args: unknown[]) => {
          reads[prop === 'createTasks' ? 'taskBatches' : 'writeBacks']++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const tasks = async (db: Db) => (await db.query<{ account_id: string }>(`SELECT account_id FROM crm_tasks ORDER BY account_id`)).rows.map((r) => r.account_id);

describe('stored change events', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb('pglite');
    await seed(db);
  });
  afterEach(async () => db.close());

  it('when an evaluation fails for a moment, then its event waits, the others go through, and the next drain (after a restart) finishes it', async () => {
    const failures = { left: 1 };
    const ctx = await testContext(db, { crmFor: () => flaky(db, 'acc-b', new CrmError('CRM_UNAVAILABLE', 'HubSpot answered 503'), failures) });
    expect(await storeChangeEvents(ctx, PORTAL, [{ eventId: 'e1', accountId: 'acc-a' }, { eventId: 'e2', accountId: 'acc-b' }, { eventId: 'e3', accountId: 'acc-b' }], 'test')).toEqual({ accepted: 3, duplicates: 0 });
    expect(await drainChangeEvents(ctx, PORTAL)).toEqual({ evaluated: 1, failed: 1, stopped: null });
    expect(await tasks(db)).toEqual(['acc-a']);
    expect((await db.query(`SELECT event_id, attempts, last_error FROM change_events WHERE processed_at IS NULL ORDER BY event_id`)).rows).toEqual([
      { event_id: 'e2', attempts: 1, last_error: 'CRM_UNAVAILABLE' },
      { event_id: 'e3', attempts: 1, last_error: 'CRM_UNAVAILABLE' },
    ]);

    const restarted = await testContext(db, { crmFor: () => flaky(db, 'acc-b', new Error('unused'), { left: 0 }) });
    expect(await portalsWithPendingEvents(restarted)).toEqual([PORTAL]);
    expect(await drainChangeEvents(restarted, PORTAL)).toEqual({ evaluated: 1, failed: 0, stopped: null });
    expect(await tasks(db)).toEqual(['acc-a', 'acc-b']);
    expect(await portalsWithPendingEvents(restarted)).toEqual([]);
  });

  it('when a burst names many accounts, then the drain reads them in one batch read (never one by one), creates their tasks and writes their readiness back in one batch each, and a second drain of the same events creates nothing twice', async () => {
    await db.transaction((tx) => applyDataset(tx, PORTAL, championsDataset(Array.from({ length: 6 }, (_, i) => ({ id: `acc-${i}` })))));
    const reads = { one: 0, many: 0, taskBatches: 0, writeBacks: 0 };
    const ctx = await testContext(db, { crmFor: () => flaky(db, 'none', new Error('unused'), { left: 0 }, reads) });
    const events = ['acc-a', 'acc-b', ...Array.from({ length: 6 }, (_, i) => `acc-${i}`)].flatMap((id) => [{ eventId: `${id}:1`, accountId: id }, { eventId: `${id}:2`, accountId: id }]);
    await storeChangeEvents(ctx, PORTAL, events, 'test');
    expect(await drainChangeEvents(ctx, PORTAL)).toEqual({ evaluated: 8, failed: 0, stopped: null });
    expect(reads).toEqual({ one: 0, many: 1, taskBatches: 1, writeBacks: 1 });
    const once = await tasks(db);
    expect(once).toHaveLength(8);
    expect(new Set(once).size).toBe(8);

    // The same events delivered again (a webhook retry) and the same accounts changing again today.
    await storeChangeEvents(ctx, PORTAL, events.map((e) => ({ ...e, eventId: `${e.eventId}:again` })), 'test');
    expect(await drainChangeEvents(ctx, PORTAL)).toEqual({ evaluated: 8, failed: 0, stopped: null });
    expect(await tasks(db)).toEqual(once);
    expect((await db.query(`SELECT count(*)::int AS n FROM asks`)).rows[0]).toEqual({ n: 8 });
  });

  it('when the CRM says stop (daily limit), then the drain pauses and the events wait untouched', async () => {
    const ctx = await testContext(db, { crmFor: () => flaky(db, 'acc-a', new CrmError('CRM_DAILY_LIMIT', 'daily limit', { policy: 'DAILY' }), { left: 5 }) });
    await storeChangeEvents(ctx, PORTAL, [{ eventId: 'e1', accountId: 'acc-a' }, { eventId: 'e2', accountId: 'acc-b' }], 'test');
    expect(await drainChangeEvents(ctx, PORTAL)).toEqual({ evaluated: 0, failed: 0, stopped: 'CRM_DAILY_LIMIT' });
    expect((await db.query(`SELECT count(*)::int AS n FROM change_events WHERE processed_at IS NULL AND attempts = 0`)).rows[0]).toEqual({ n: 2 });
  });

  it('when an event names a company the CRM does not have, then it is closed with its reason instead of retried', async () => {
    const ctx = await testContext(db, { crmFor: () => new LocalCrm(db, PORTAL) });
    await storeChangeEvents(ctx, PORTAL, [{ eventId: 'e9', accountId: 'acc-gone' }], 'test');
    expect(await drainChangeEvents(ctx, PORTAL)).toEqual({ evaluated: 0, failed: 1, stopped: null });
    expect((await db.query(`SELECT processed_at IS NOT NULL AS closed, last_error FROM change_events WHERE event_id = 'e9'`)).rows[0]).toEqual({ closed: true, last_error: 'ACCOUNT_NOT_FOUND' });
  });
});
