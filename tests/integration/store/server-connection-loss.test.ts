import { openPostgres, type Db } from '../../../backend/src/store/db';

// A PostgreSQL server may end a connection the pool keeps idle (a restart, a failover, an
// administrator's pg_terminate_backend). The service must keep running and reconnect.

const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('a PostgreSQL store whose idle connection the server ends', () => {
  let db: Db;
  let admin: Db;
  beforeAll(async () => {
    db = await openPostgres(process.env.DATABASE_URL!, { max: 1 });
    admin = await openPostgres(process.env.DATABASE_URL!, { max: 1 });
  });
  afterAll(async () => {
    await db.close();
    await admin.close();
  });

  it('when the server terminates the idle connection, then the process keeps running and the next query reconnects', async () => {
    const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const before = rows[0].pid;
    const crashes: unknown[] = [];
    const onUncaught = (e: unknown) => crashes.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [before]);
      // Give the pool time to see the connection end while idle.
      for (let i = 0; i < 40; i++) {
        const alive = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [before]);
        if (alive.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 100));
      const after = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(after.rows[0].pid).not.toBe(before);
      expect(crashes).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
