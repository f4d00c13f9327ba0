import { randomBytes } from 'node:crypto';
import { openPglite, openPostgres, type Db } from '../../backend/src/store/db';
import { migrate } from '../../backend/src/store/migrate';

// Store tests run on PGlite always, and on a real PostgreSQL server when DATABASE_URL is set
// (.ci/run starts one). Each Postgres test gets its own schema, dropped afterwards.

export type StoreKind = 'pglite' | 'postgres';

export function storeKinds(): StoreKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function openTestDb(kind: StoreKind): Promise<Db> {
  if (kind === 'pglite') {
    const db = await openPglite(null);
    await migrate(db);
    return db;
  }
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(url, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openPostgres(url, { schema, max: 4 });
  await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    close: async () => {
      await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await close();
    },
  };
}
