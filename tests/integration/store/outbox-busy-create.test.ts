import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { CREATE_IN_PROGRESS } from '../../../backend/src/crm/create-once';
import type { CrmPort, CrmTask } from '../../../backend/src/crm/port';
import { applyDataset } from '../../../backend/src/import/dataset';
import { MAX_ATTEMPTS, relayOutbox } from '../../../backend/src/jobs/relay-outbox';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import { championsDataset, OWNER } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

// A task whose key another process's create claim holds (it is creating it, or was killed doing
// so and its claim has not run out) is left pending, not failed: however many relays run in
// the meantime, it is sent once the claim is gone, never given up as failed.

describe.each(storeKinds())('a task whose create claim another process holds (%s)', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
    await db.transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'a-1' }])));
  });
  afterEach(() => db.close());

  it('when relays run while the claim holds, then the task stays pending with no attempt counted, and is sent once it is free', async () => {
    const task: CrmTask = { idempotencyKey: 'task:busy-1', kind: 'handoff', ownerId: OWNER.ownerId, accountId: 'a-1', contactId: null, dealId: null, subject: 'Task', body: 'b', dueOn: '2026-11-24' };
    const store = createStore(db);
    await store.outbox.enqueue('local', [{ idempotencyKey: task.idempotencyKey, kind: 'handoff_task', accountId: 'a-1', askId: null, payload: task, createdOn: '2026-11-24' }]);
    const local = new LocalCrm(db, 'local');
    let claimHeld = true;
    const crm: CrmPort = Object.assign(Object.create(local) as CrmPort, {
      createTask: async (t: CrmTask) => {
        if (claimHeld) throw new Error(`${CREATE_IN_PROGRESS}: another process is creating this record (its claim holds until 2026-11-24T09:05:00Z)`);
        return local.createTask(t);
      },
      createTasks: undefined,
    });
    const deps = { store, crm, portalId: 'local', now: () => new Date('2026-11-24T09:00:00Z') };
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) expect(await relayOutbox(deps)).toMatchObject({ sent: 0, failed: 0, busy: 1 });
    const row = async () => (await db.query<{ status: string; attempts: number; claimed_by: string | null }>(`SELECT status, attempts, claimed_by FROM outbox WHERE idempotency_key = 'task:busy-1'`)).rows[0];
    expect(await row()).toEqual({ status: 'pending', attempts: 0, claimed_by: null });

    claimHeld = false;
    expect(await relayOutbox(deps)).toMatchObject({ sent: 1, tasks: 1, failed: 0 });
    expect((await row()).status).toBe('done');
    const audited = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE portal_id = 'local' AND action = 'task.created'`);
    expect(audited.rows[0].n).toBe(1);
  });
});
