import type { Db } from '../../../backend/src/store/db';
import { migrate } from '../../../backend/src/store/migrate';
import { MIGRATIONS } from '../../../backend/src/store/migrations';
import { openEmptyDb, openTestDb, storeKinds } from '../../support/store';

// Other tests start from a migrated template (tests/support/store.ts); this one migrates from
// nothing, as the product does on a new data folder or database, and checks the template is the
// same store.

const columns = async (db: Db) =>
  (
    await db.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
    )
  ).rows;
// Definitions name their schema, which on a server is each test's own: compared without it.
const indexes = async (db: Db) =>
  (await db.query<{ def: string }>(`SELECT replace(indexdef, schemaname || '.', '') AS def FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`)).rows;
const triggers = async (db: Db) =>
  (
    await db.query<{ event_object_table: string; trigger_name: string; event_manipulation: string }>(
      `SELECT event_object_table, trigger_name, event_manipulation FROM information_schema.triggers
        WHERE trigger_schema = current_schema() ORDER BY event_object_table, trigger_name, event_manipulation`,
    )
  ).rows;

describe.each(storeKinds())('migrations on %s', (kind) => {
  const open: Db[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
  });

  it('when an empty store is migrated, then every migration applies once in order, and a second run applies none', async () => {
    const db = await openEmptyDb(kind);
    open.push(db);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id).sort());
  });

  it('when the store is already at the current schema, then opening it runs one query and no migration statement', async () => {
    const db = await openEmptyDb(kind);
    open.push(db);
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.id));
    // Every statement the second run sends, whichever way it goes.
    const sent: string[] = [];
    const counted: Db = {
      ...db,
      kind: db.kind,
      auditKeys: db.auditKeys,
      query: (sql, params) => (sent.push(`query: ${sql}`), db.query(sql, params)),
      exec: (sql) => (sent.push(`exec: ${sql}`), db.exec(sql)),
      executeSql: (sql, values) => (sent.push(`executeSql: ${sql}`), db.executeSql(sql, values)),
      transaction: (fn) => (sent.push('transaction'), db.transaction(fn)),
      close: () => db.close(),
    };
    expect(await migrate(counted)).toEqual([]);
    expect(sent).toEqual(['query: SELECT array_agg(id) AS ids FROM schema_migrations']);

    // A store one migration behind runs exactly that one.
    await db.query('DELETE FROM schema_migrations WHERE id = $1', [MIGRATIONS[MIGRATIONS.length - 1].id]);
    const last = MIGRATIONS[MIGRATIONS.length - 1];
    expect(await migrate(db, [...MIGRATIONS.slice(0, -1), { id: last.id, sql: 'SELECT 1' }])).toEqual([last.id]);
  });

  it('when a test store starts from the template, then it has the same tables, columns, indexes and triggers as one migrated from empty', async () => {
    const empty = await openEmptyDb(kind);
    open.push(empty);
    await migrate(empty);
    const fromTemplate = await openTestDb(kind);
    open.push(fromTemplate);
    expect(await migrate(fromTemplate)).toEqual([]);
    const expected = await columns(empty);
    expect(expected.length).toBeGreaterThan(0);
    expect(await columns(fromTemplate)).toEqual(expected);
    expect(await indexes(fromTemplate)).toEqual(await indexes(empty));
    expect(await triggers(fromTemplate)).toEqual(await triggers(empty));
  });
});
