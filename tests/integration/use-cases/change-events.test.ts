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

/** The local CRM, except that reading `failing` fails with `error` while `failures` lasts. */
function flaky(db: Db, failing: string, error: Error, failures: { left: number }): CrmPort {
  const local = new LocalCrm(db, PORTAL);
  return new Proxy(local, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'getAccount') return typeof value === 'function' ? value.bind(target) : value;
      return async (accountId: string) => {
        if (accountId === failing && failures.left-- > 0) throw error;
        return local.getAccount(accountId);
      };
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
