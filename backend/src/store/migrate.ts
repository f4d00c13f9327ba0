import type { Db } from './db';
import { MIGRATIONS, type Migration } from './migrations';

// Applies each migration once, in order, each in its own transaction. On a server an advisory
// lock keeps two processes starting together from racing. Every command opens the store, so
// the usual case, a store already at the current schema, costs one query and nothing else: no
// CREATE TABLE IF NOT EXISTS, no transaction, no lock (README "Fast commands").

const LOCK_ID = 7_361_204;

/** True when every migration is recorded as applied (one query; false on a new store). */
export async function schemaIsCurrent(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<boolean> {
  let applied: string[];
  try {
    const { rows } = await db.query<{ ids: string[] | null }>('SELECT array_agg(id) AS ids FROM schema_migrations');
    applied = rows[0]?.ids ?? [];
  } catch {
    // No schema_migrations yet (a new store), or the store cannot answer: the full path below
    // creates the table, or fails with the real error.
    return false;
  }
  const done = new Set(applied);
  return migrations.every((m) => done.has(m.id));
}

export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  if (await schemaIsCurrent(db, migrations)) return [];
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
    return applied;
  });
}
