import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openPostgres, type Db } from '../../backend/src/store/db';
import { startHubSpotStub, type HubSpotStub } from '../../bench/support/hubspot-stub';
import { startSalesforceStub, type SalesforceStub } from '../../bench/support/salesforce-stub';

// A real `advocacy scan` process is killed (SIGKILL) at the worst moment for create-once: the
// CRM has made the tasks and the answer is on its way, but the process never stores their ids.
// The next run must find those tasks in the CRM by their key and create none of them again.
// On the PostgreSQL server (DATABASE_URL), where processes come and go beside each other.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;
const AS_OF = '2026-11-24';

function run(env: NodeJS.ProcessEnv, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { child, done };
}

/** A fresh database on the test server, dropped afterwards. */
function useDatabase(prefix: string) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const base = process.env.DATABASE_URL ?? ''; // the block is skipped without one; its body still runs
  const url = base.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  let admin: Db;
  let db: Db;
  beforeAll(async () => {
    admin = await openPostgres(base, { max: 1 });
    await admin.exec(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await db?.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });
  return {
    url,
    db: async () => (db ??= await openPostgres(url, { max: 2 })),
  };
}

/**
 * Ten minutes pass: the dead process's outbox and create claims run out (the leases are
 * 10 and 5 minutes; moved back rather than waited for).
 */
async function leasesRunOut(db: Db): Promise<void> {
  await db.query(`UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE claimed_until IS NOT NULL`);
  await db.query(`UPDATE crm_created_objects SET claimed_until = now() - interval '1 second' WHERE claimed_until IS NOT NULL`);
}

describeOnServer('HubSpot: a process killed between the answer of a task create and its store write', () => {
  const database = useDatabase('adv_crash_hs');
  let stub: HubSpotStub;
  let victim: ChildProcess | null = null;
  let killed: Promise<unknown> | null = null;

  beforeAll(async () => {
    stub = await startHubSpotStub({
      companies: 60,
      scale: 1,
      // The first task batch is stored by "HubSpot"; its caller dies before reading the answer.
      beforeCreateAnswer: async (type) => {
        if (type !== 'tasks' || !victim || killed) return;
        const dying = victim;
        killed = new Promise((r) => dying.once('exit', r));
        dying.kill('SIGKILL');
        await killed;
      },
    });
  });
  afterAll(() => new Promise((r) => stub.server.close(r)));

  it('when the scan runs again, then each task exists once in HubSpot, found by its key, and is audited once', async () => {
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
      CRM: 'hubspot',
      PORTAL_ID: 'hubspot:4242',
      HUBSPOT_ACCESS_TOKEN: 'stub-token',
      HUBSPOT_API_BASE_URL: stub.url,
      LOG_LEVEL: 'silent',
    };
    const first = run(env, ['scan', '--as-of', AS_OF]);
    victim = first.child;
    const died = await first.done;
    expect(died.signal).toBe('SIGKILL');
    const made = stub.objects.tasks.size;
    expect(made).toBeGreaterThan(0);

    const db = await database.db();
    // The crash left every key of that batch claimed and unconfirmed: nothing says HubSpot made them.
    const { rows: [left] } = await db.query<{ unconfirmed: number; confirmed: number }>(
      `SELECT count(*) FILTER (WHERE object_id IS NULL)::int AS unconfirmed, count(*) FILTER (WHERE object_id IS NOT NULL)::int AS confirmed FROM crm_created_objects WHERE object_type = 'tasks'`,
    );
    expect(left).toEqual({ unconfirmed: made, confirmed: 0 });

    await leasesRunOut(db);
    const again = await run(env, ['scan', '--as-of', AS_OF]).done;
    expect(again.code).toBe(0);

    const byKey = stub.tasksByKey();
    const duplicates = [...byKey].filter(([, tasks]) => tasks.length > 1).map(([key]) => key);
    expect(duplicates).toEqual([]);
    // The retry looked the tasks up through the companies' associations, not by creating.
    expect(stub.stats.byKind['POST /crm/v4/associations/companies/tasks/batch/read']).toBeGreaterThanOrEqual(1);
    const q = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
    const outboxTasks = await q(`SELECT count(*)::int AS n FROM outbox WHERE kind <> 'ask_mirror'`);
    expect(byKey.size).toBe(outboxTasks);
    expect(stub.objects.tasks.size).toBe(outboxTasks);
    expect(await q(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'`)).toBe(0);
    // Each task's id in our store is the one HubSpot holds, and it is audited once.
    const { rows } = await db.query<{ idempotency_key: string; object_id: string }>(`SELECT idempotency_key, object_id FROM crm_created_objects WHERE object_type = 'tasks'`);
    for (const r of rows) expect(byKey.get(r.idempotency_key)?.map((t) => t.id)).toEqual([r.object_id]);
    expect(await q(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.created'`)).toBe(outboxTasks);
    expect(await q(`SELECT count(DISTINCT entity_id)::int AS n FROM audit_log WHERE action = 'task.created'`)).toBe(outboxTasks);
  });
});

describeOnServer('Salesforce: a process killed between the answer of a Task collection and its store write', () => {
  const database = useDatabase('adv_crash_sf');
  let stub: SalesforceStub;
  let victim: ChildProcess | null = null;
  let killed: Promise<unknown> | null = null;

  beforeAll(async () => {
    stub = await startSalesforceStub(60, {
      beforeCreateAnswer: async () => {
        if (!victim || killed) return;
        const dying = victim;
        killed = new Promise((r) => dying.once('exit', r));
        dying.kill('SIGKILL');
        await killed;
      },
    });
  });
  afterAll(() => new Promise((r) => stub.server.close(r)));

  it('when the scan runs again, then each Task exists once in the org, found by Advocacy_Key__c, and is audited once', async () => {
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      AUDIT_MAC_KEY: randomBytes(32).toString('base64'),
      CRM: 'salesforce',
      PORTAL_ID: 'salesforce:00D000000000001',
      SALESFORCE_AUTH_FLOW: 'access_token',
      SALESFORCE_ACCESS_TOKEN: 'stub-token',
      SALESFORCE_INSTANCE_URL: stub.url,
      LOG_LEVEL: 'silent',
    };
    const first = run(env, ['scan', '--as-of', AS_OF]);
    victim = first.child;
    expect((await first.done).signal).toBe('SIGKILL');
    const made = stub.tasksByKey().size;
    expect(made).toBeGreaterThan(0);

    const db = await database.db();
    const { rows: [left] } = await db.query<{ unconfirmed: number; confirmed: number }>(
      `SELECT count(*) FILTER (WHERE object_id IS NULL)::int AS unconfirmed, count(*) FILTER (WHERE object_id IS NOT NULL)::int AS confirmed FROM crm_created_objects WHERE object_type = 'Task'`,
    );
    expect(left).toEqual({ unconfirmed: made, confirmed: 0 });

    await leasesRunOut(db);
    const again = await run(env, ['scan', '--as-of', AS_OF]).done;
    expect(again.code).toBe(0);

    const byKey = stub.tasksByKey();
    expect([...byKey].filter(([, tasks]) => tasks.length > 1).map(([key]) => key)).toEqual([]);
    const q = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
    const outboxTasks = await q(`SELECT count(*)::int AS n FROM outbox WHERE kind <> 'ask_mirror'`);
    expect(byKey.size).toBe(outboxTasks);
    expect(await q(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'`)).toBe(0);
    const { rows } = await db.query<{ idempotency_key: string; object_id: string }>(`SELECT idempotency_key, object_id FROM crm_created_objects WHERE object_type = 'Task'`);
    expect(rows).toHaveLength(outboxTasks);
    for (const r of rows) expect(byKey.get(r.idempotency_key)?.map((t) => t.Id)).toEqual([r.object_id]);
    expect(await q(`SELECT count(DISTINCT entity_id)::int AS n FROM audit_log WHERE action = 'task.created'`)).toBe(outboxTasks);
    expect(await q(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.created'`)).toBe(outboxTasks);
  });
});
