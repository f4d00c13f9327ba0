import { randomBytes } from 'node:crypto';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort, CrmTask } from '../../../backend/src/crm/port';
import { applyDataset } from '../../../backend/src/import/dataset';
import { relayOutbox } from '../../../backend/src/jobs/relay-outbox';
import { ephemeralKeyring } from '../../../backend/src/store/audit-keys';
import { openPostgres, type Db } from '../../../backend/src/store/db';
import { migrate } from '../../../backend/src/store/migrate';
import { createStore } from '../../../backend/src/store/pg-store';
import { championsDataset, OWNER } from '../../support/builders';

// Relays in several processes on one PostgreSQL server share the outbox: each claims the rows
// it sends (FOR UPDATE SKIP LOCKED) and marks them done only while its claim holds, so each
// task goes to the CRM once and gets one `task.created` audit entry. Each "worker" here has
// its own connection pool, as separate processes have.

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

/** The CRM as seen from outside: every key it was asked to create, counted. */
function countingCrm(db: Db, sent: Map<string, number>): CrmPort {
  const crm = new LocalCrm(db, 'local');
  const count = (t: CrmTask) => sent.set(t.idempotencyKey, (sent.get(t.idempotencyKey) ?? 0) + 1);
  return Object.assign(Object.create(crm) as CrmPort, {
    createTask: async (t: CrmTask) => {
      count(t);
      await new Promise((r) => setTimeout(r, 2)); // a real CRM answers later: give the others a chance to race
      return crm.createTask(t);
    },
    createTasks: async (ts: CrmTask[]) => {
      ts.forEach(count);
      await new Promise((r) => setTimeout(r, 5));
      return crm.createTasks(ts);
    },
  });
}

describeOnServer.each([2, 4])('the outbox shared by %i relays on one PostgreSQL server', (workers) => {
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let admin: Db;
  const pools: Db[] = [];
  beforeAll(async () => {
    admin = await openPostgres(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    // Every process on a server signs the audit log with the same configured key.
    const auditKeys = ephemeralKeyring();
    for (let i = 0; i < workers; i++) pools.push(await openPostgres(url, { schema, max: 3, auditKeys }));
    await migrate(pools[0]);
    await pools[0].transaction((tx) => applyDataset(tx, 'local', championsDataset([{ id: 'a-1' }])));
  });
  afterAll(async () => {
    for (const p of pools) await p.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });

  it('when they relay the same pending tasks at once, then each task is sent once and audited once', async () => {
    const n = 300;
    const items = Array.from({ length: n }, (_, i) => {
      const task: CrmTask = { idempotencyKey: `task:k-${i}`, kind: 'handoff', ownerId: OWNER.ownerId, accountId: 'a-1', contactId: null, dealId: null, subject: `Task ${i}`, body: 'b', dueOn: '2026-11-24' };
      return { idempotencyKey: task.idempotencyKey, kind: 'handoff_task' as const, accountId: 'a-1', askId: null, payload: task, createdOn: '2026-11-24' };
    });
    await createStore(pools[0]).outbox.enqueue('local', items);
    const sent = new Map<string, number>();
    // Small batches so the relays interleave many times.
    const results = await Promise.all(pools.map((db) => relayOutbox({ store: createStore(db), crm: countingCrm(db, sent), portalId: 'local', now: () => new Date('2026-11-24T09:00:00Z') }, { limit: n }).then(async (r) => r)));
    expect(results.reduce((s, r) => s + r.failed, 0)).toBe(0);
    expect(sent.size).toBe(n);
    expect([...sent.values()].filter((c) => c > 1)).toEqual([]);
    const audit = await pools[0].query<{ n: number; keys: number }>(`SELECT count(*)::int AS n, count(DISTINCT entity_id)::int AS keys FROM audit_log WHERE portal_id = 'local' AND action = 'task.created'`);
    expect(audit.rows[0]).toEqual({ n, keys: n });
    const left = await pools[0].query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE portal_id = 'local' AND status <> 'done'`);
    expect(left.rows[0].n).toBe(0);
    expect((await createStore(pools[0]).audit.verify('local')).ok).toBe(true);
  });
});
