import { CrmError } from '../../../backend/src/crm/errors';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import type { CrmPort } from '../../../backend/src/crm/port';
import { generatePortfolio } from '../../../backend/src/demo/generate-portfolio';
import { applyDataset } from '../../../backend/src/import/dataset';
import { OneAtATime } from '../../../backend/src/jobs/one-at-a-time';
import { relayOutbox } from '../../../backend/src/jobs/relay-outbox';
import { runScan, type ScanDecision } from '../../../backend/src/jobs/scan-portfolio';
import { verifyAudit } from '../../../backend/src/store/audit-log';
import type { Db } from '../../../backend/src/store/db';
import { createStore } from '../../../backend/src/store/pg-store';
import { defaultCriteria, TODAY } from '../../support/builders';
import { openTestDb, storeKinds } from '../../support/store';

const PORTAL = 'local';
const now = () => new Date(`${TODAY}T09:00:00.000Z`);

async function seeded(kind: Parameters<typeof openTestDb>[0], accounts = 120): Promise<Db> {
  const db = await openTestDb(kind);
  await db.transaction((tx) => applyDataset(tx, PORTAL, generatePortfolio({ seed: 7, accounts, asOf: TODAY })));
  return db;
}

const count = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
const counts = async (db: Db) => ({
  asks: await count(db, `SELECT count(*)::int AS n FROM asks WHERE source = 'scan'`),
  tasks: await count(db, `SELECT count(*)::int AS n FROM crm_tasks`),
  evaluations: await count(db, `SELECT count(*)::int AS n FROM evaluations`),
  handoffTasks: await count(db, `SELECT count(*)::int AS n FROM crm_tasks WHERE kind = 'handoff'`),
  audit: await count(db, `SELECT count(*)::int AS n FROM audit_log`),
});

/** A CRM that fails on the n-th call of one method, once. */
function failingOnce(inner: CrmPort, method: 'listAccounts' | 'createTask' | 'createTasks', onCall: number, error: Error): CrmPort {
  let calls = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== method) return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        calls++;
        if (calls === onCall) throw error;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe.each(storeKinds())('portfolio scan on %s', (kind) => {
  let db: Db;
  afterEach(async () => db?.close());

  it('when the scan runs twice for the same date, then the second creates no task, ask or hand-off', async () => {
    db = await seeded(kind);
    const deps = { store: createStore(db), crm: new LocalCrm(db, PORTAL), criteria: defaultCriteria(), portalId: PORTAL, now };
    const first = await runScan(deps, { asOf: TODAY, pageSize: 25 });
    const after1 = await counts(db);
    const second = await runScan(deps, { asOf: TODAY, pageSize: 25 });
    const after2 = await counts(db);

    expect(first.summary.evaluated).toBe(120);
    expect(first.summary.proposed).toBeGreaterThan(0);
    expect(after1.tasks).toBeGreaterThan(0);
    expect(after1.handoffTasks).toBeGreaterThan(0);
    expect(second.newlyEvaluated).toBe(0);
    expect(second.tasksCreated).toBe(0);
    expect(second.summary).toEqual(first.summary);
    expect(after2).toEqual(after1);
    expect(after1.asks).toBe(first.summary.proposed);
  });

  it('when the same date is scanned again, then it reports the same decisions with their task ids', async () => {
    db = await seeded(kind, 40);
    const deps = { store: createStore(db), crm: new LocalCrm(db, PORTAL), criteria: defaultCriteria(), portalId: PORTAL, now };
    const a: ScanDecision[] = [];
    const b: ScanDecision[] = [];
    await runScan(deps, { asOf: TODAY, onDecision: (d) => void a.push(d) });
    await runScan(deps, { asOf: TODAY, onDecision: (d) => void b.push(d) });
    expect(b).toEqual(a);
    expect(a.filter((d) => d.evaluation.decision === 'propose').every((d) => d.taskId !== null)).toBe(true);
  });

  it('when a scan dies midway and is run again, then it finishes with every account judged once and each task created once', async () => {
    db = await seeded(kind);
    const criteria = defaultCriteria();
    const local = new LocalCrm(db, PORTAL);
    const crashing = failingOnce(local, 'listAccounts', 3, new Error('process killed'));
    await expect(runScan({ store: createStore(db), crm: crashing, criteria, portalId: PORTAL, now }, { asOf: TODAY, pageSize: 25 })).rejects.toThrow('process killed');
    const partial = await counts(db);
    expect(partial.evaluations).toBe(50);

    const resumed = await runScan({ store: createStore(db), crm: local, criteria, portalId: PORTAL, now }, { asOf: TODAY, pageSize: 25 });
    const end = await counts(db);

    // The same portfolio scanned cleanly in a fresh store gives the same totals.
    const clean = await seeded(kind);
    const reference = await runScan({ store: createStore(clean), crm: new LocalCrm(clean, PORTAL), criteria, portalId: PORTAL, now }, { asOf: TODAY, pageSize: 25 });
    const cleanCounts = await counts(clean);
    await clean.close();

    expect(resumed.newlyEvaluated).toBe(70);
    expect(resumed.summary).toEqual(reference.summary);
    expect({ ...end, audit: 0 }).toEqual({ ...cleanCounts, audit: 0 });
    expect(await count(db, `SELECT count(*)::int AS n FROM (SELECT idempotency_key FROM crm_tasks GROUP BY idempotency_key HAVING count(*) > 1) d`)).toBe(0);
    expect((await verifyAudit(db, PORTAL)).ok).toBe(true);
  });

  it('when the CRM accepts a task but the relay dies before recording it, then the retry does not create a second task', async () => {
    db = await seeded(kind, 60);
    const local = new LocalCrm(db, PORTAL);
    let created = 0;
    const flaky: CrmPort = new Proxy(local, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        // The batch call does its work and then loses the connection every time, so the relay
        // falls back to one by one; the second single task is lost the same way, once.
        if (prop === 'createTasks') {
          return async (tasks: Parameters<NonNullable<CrmPort['createTasks']>>[0]) => {
            await local.createTasks(tasks);
            throw new Error('connection reset after the CRM answered');
          };
        }
        if (prop !== 'createTask') return typeof value === 'function' ? value.bind(target) : value;
        return async (task: Parameters<CrmPort['createTask']>[0]) => {
          const result = await local.createTask(task);
          if (++created === 2) throw new Error('connection reset after the CRM answered');
          return result;
        };
      },
    });
    await runScan({ store: createStore(db), crm: flaky, criteria: defaultCriteria(), portalId: PORTAL, now }, { asOf: TODAY });
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).toBe(1);
    const tasksBefore = await count(db, `SELECT count(*)::int AS n FROM crm_tasks`);

    const relay = await relayOutbox({ store: createStore(db), crm: local, portalId: PORTAL, now });
    expect(relay.sent).toBe(1);
    expect(await count(db, `SELECT count(*)::int AS n FROM crm_tasks`)).toBe(tasksBefore);
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).toBe(0);
    expect(await count(db, `SELECT count(*)::int AS n FROM asks WHERE source = 'scan' AND task_id IS NULL`)).toBe(0);
  });

  it('when two relays of the same portal run at once, then each pending task reaches the CRM once', async () => {
    db = await seeded(kind, 60);
    const local = new LocalCrm(db, PORTAL);
    // A scan whose relay never ran (the CRM refused everything): its tasks wait in the outbox.
    const refusing = failingOnce(local, 'createTasks', 1, new CrmError('CRM_DAILY_LIMIT', 'daily limit reached', { policy: 'DAILY' }));
    await runScan({ store: createStore(db), crm: refusing, criteria: defaultCriteria(), portalId: PORTAL, now }, { asOf: TODAY });
    const pendingTasks = await count(db, `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND kind <> 'ask_mirror'`);
    expect(pendingTasks).toBeGreaterThan(1);
    const sent: string[] = [];
    const counting = new Proxy(local, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'createTasks') return typeof value === 'function' ? value.bind(target) : value;
        return async (tasks: Parameters<NonNullable<CrmPort['createTasks']>>[0]) => {
          sent.push(...tasks.map((t) => t.idempotencyKey));
          await new Promise((r) => setTimeout(r, 20)); // the CRM takes its time: the other relay runs meanwhile
          return local.createTasks(tasks);
        };
      },
    });
    const store = createStore(db);
    const serial = new OneAtATime(); // the process's one serializer, as the composition root makes it
    await Promise.all([relayOutbox({ store, serial, crm: counting, portalId: PORTAL, now }), relayOutbox({ store, serial, crm: counting, portalId: PORTAL, now })]);
    expect(sent).toHaveLength(pendingTasks);
    expect(new Set(sent).size).toBe(sent.length);
    expect(await count(db, `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).toBe(0);
  });

  it('when the CRM reports its daily limit mid-scan, then the scan stops with its checkpoint and a later run resumes it', async () => {
    db = await seeded(kind);
    const criteria = defaultCriteria();
    const local = new LocalCrm(db, PORTAL);
    const limited = failingOnce(local, 'listAccounts', 2, new CrmError('CRM_DAILY_LIMIT', 'daily limit reached', { policy: 'DAILY' }));
    const stopped = await runScan({ store: createStore(db), crm: limited, criteria, portalId: PORTAL, now }, { asOf: TODAY, pageSize: 40 });
    expect(stopped.status).toBe('stopped');
    expect(stopped.stopReason).toMatch(/CRM_DAILY_LIMIT/);
    expect(stopped.summary.evaluated).toBe(40);

    const resumed = await runScan({ store: createStore(db), crm: local, criteria, portalId: PORTAL, now }, { asOf: TODAY, pageSize: 40 });
    expect(resumed.status).toBe('done');
    expect(resumed.newlyEvaluated).toBe(80);
    expect(resumed.summary.evaluated).toBe(120);
  });

  it('when a dry run scans, then it judges every account and writes nothing', async () => {
    db = await seeded(kind, 50);
    const before = await counts(db);
    const result = await runScan({ store: createStore(db), crm: new LocalCrm(db, PORTAL), criteria: defaultCriteria(), portalId: PORTAL, now }, { asOf: TODAY, dryRun: true });
    expect(result.summary.evaluated).toBe(50);
    expect(await counts(db)).toEqual(before);
  });

  it('when one portal is scanned, then another portal in the same store is untouched', async () => {
    db = await seeded(kind, 30);
    await db.transaction((tx) => applyDataset(tx, 'other-portal', generatePortfolio({ seed: 9, accounts: 30, asOf: TODAY })));
    await runScan({ store: createStore(db), crm: new LocalCrm(db, PORTAL), criteria: defaultCriteria(), portalId: PORTAL, now }, { asOf: TODAY });
    expect(await count(db, `SELECT count(*)::int AS n FROM evaluations WHERE portal_id = 'other-portal'`)).toBe(0);
    expect(await count(db, `SELECT count(*)::int AS n FROM crm_tasks WHERE portal_id = 'other-portal'`)).toBe(0);
    expect(await count(db, `SELECT count(*)::int AS n FROM audit_log WHERE portal_id = 'other-portal'`)).toBe(0);
  });
});
