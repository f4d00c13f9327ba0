import { randomBytes } from 'node:crypto';
import { ephemeralKeyring } from '../../../backend/src/store/audit-keys';
import { openPostgres, type Db } from '../../../backend/src/store/db';
import { migrate } from '../../../backend/src/store/migrate';
import { createStore } from '../../../backend/src/store/pg-store';
import { openTestDb, storeKinds } from '../../support/store';

// A portal's scan of one date runs once at a time. On PGlite (one owning process) the lock is
// in that process; on a server it is a PostgreSQL session advisory lock, so it holds between
// processes (here: separate pools) and goes with the session of a process that dies.

/** A scan body that stays inside the lock until it is let go. */
function heldScan() {
  let release!: () => void;
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const gate = new Promise<void>((r) => (release = r));
  return { inside, release, body: async () => (entered(), await gate, 'first') };
}

describe.each(storeKinds())('the scan lock on %s', (kind) => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb(kind);
  });
  afterEach(async () => db.close());

  it('when a scan of a date runs, then a second one of that date is refused naming who holds it, another date runs, and after the first ends the date is free', async () => {
    const store = createStore(db);
    const first = heldScan();
    const running = store.scanLock('p1', '2026-11-24', { waitMs: 0 }, first.body);
    await first.inside;
    await expect(store.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => 'second')).resolves.toEqual({ ran: false, holder: expect.stringContaining('already scanning p1 for 2026-11-24') });
    await expect(store.scanLock('p1', '2026-11-25', { waitMs: 0 }, async () => 'other date')).resolves.toEqual({ ran: true, value: 'other date' });
    await expect(store.scanLock('p2', '2026-11-24', { waitMs: 0 }, async () => 'other portal')).resolves.toEqual({ ran: true, value: 'other portal' });
    first.release();
    await expect(running).resolves.toEqual({ ran: true, value: 'first' });
    await expect(store.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => 'again')).resolves.toEqual({ ran: true, value: 'again' });
  });

  it('when the second one may wait, then it runs once the first has finished', async () => {
    const store = createStore(db);
    const first = heldScan();
    const order: string[] = [];
    const running = store.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => {
      const r = await first.body();
      order.push('first done');
      return r;
    });
    await first.inside;
    const waiting = store.scanLock('p1', '2026-11-24', { waitMs: 60_000, pollMs: 10 }, async () => (order.push('second ran'), 'second'));
    first.release();
    await expect(waiting).resolves.toEqual({ ran: true, value: 'second' });
    await running;
    expect(order).toEqual(['first done', 'second ran']);
  });

  it('when the scan body throws, then the lock is released', async () => {
    const store = createStore(db);
    await expect(store.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => { throw new Error('CRM down'); })).rejects.toThrow('CRM down');
    await expect(store.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => 'next')).resolves.toEqual({ ran: true, value: 'next' });
  });
});

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('the scan lock between processes on one PostgreSQL server', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let admin: Db;
  const pools: Db[] = [];
  beforeAll(async () => {
    admin = await openPostgres(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const auditKeys = ephemeralKeyring();
    for (let i = 0; i < 2; i++) pools.push(await openPostgres(url, { schema, max: 3, auditKeys }));
    await migrate(pools[0]);
  });
  afterAll(async () => {
    for (const p of pools) await p.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });

  it('when one process scans a date, then the other is refused with the holding session named, and may scan once it is done', async () => {
    const [a, b] = pools.map((p) => createStore(p));
    const first = heldScan();
    const running = a.scanLock('p1', '2026-11-24', { waitMs: 0 }, first.body);
    await first.inside;
    const refused = await b.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => 'second');
    expect(refused).toEqual({ ran: false, holder: expect.stringMatching(/^another process \(PostgreSQL session \d+/) });
    first.release();
    await running;
    await expect(b.scanLock('p1', '2026-11-24', { waitMs: 0 }, async () => 'second')).resolves.toEqual({ ran: true, value: 'second' });
  });
});
