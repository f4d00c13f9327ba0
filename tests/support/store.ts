import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ephemeralKeyring, type AuditKeyring } from '../../backend/src/store/audit-keys';
import { openPglite, openPostgres, type Db } from '../../backend/src/store/db';
import { migrate } from '../../backend/src/store/migrate';
import { MIGRATIONS } from '../../backend/src/store/migrations';

// Store tests run on PGlite always, and on a real PostgreSQL server when DATABASE_URL is set
// (.ci/run starts one). Every test gets a store of its own, freshly migrated.
//
// On PGlite, creating the cluster (initdb) and migrating it is most of what a store test costs,
// so it is done once: the first fresh store made with a given set of migrations is migrated the
// production way (migrate() on an empty store) and its data folder kept, as a tarball in the
// system's temp folder named by a hash of the migrations and the PGlite version (a changed or
// added migration makes a new one by itself); later stores load it (loadDataDir) instead.
// On a server, each test gets a schema of its own, migrated, dropped afterwards: that takes
// 0.1-0.4 s, where copying a migrated template database (CREATE DATABASE ... TEMPLATE) took
// 0.6-2 s here, so the server needs no template.
// tests/integration/store/migrate.test.ts migrates from empty on each store kind and checks the
// template is the same store.

export type StoreKind = 'pglite' | 'postgres';

export function storeKinds(): StoreKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Each test store signs its audit log with a key of its own unless one is given. */
export async function openTestDb(kind: StoreKind, options: { auditKeys?: AuditKeyring } = {}): Promise<Db> {
  const auditKeys = options.auditKeys ?? ephemeralKeyring();
  if (kind === 'pglite') return openPglite(null, { loadDataDir: await pgliteTemplate(), auditKeys });
  const db = await openEmptyDb('postgres', auditKeys);
  await migrate(db);
  return db;
}

/** A store with nothing in it, not even the migrations (for the test of migrate itself). */
export async function openEmptyDb(kind: StoreKind, auditKeys: AuditKeyring = ephemeralKeyring()): Promise<Db> {
  if (kind === 'pglite') return openPglite(null, { auditKeys });
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(url, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openPostgres(url, { schema, max: 4, auditKeys });
  const close = db.close.bind(db);
  return {
    ...db,
    close: async () => {
      await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await close();
    },
  };
}

function pgliteVersion(): string {
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

// Test stores hold a few hundred rows: 16 MB of shared buffers instead of PostgreSQL's 128 MB
// makes each start a third cheaper (PGlite sets the buffers up in WebAssembly memory at every
// start) and changes nothing a test can see. Kept in the template's postgresql.auto.conf.
const TEMPLATE_SETTINGS = `ALTER SYSTEM SET shared_buffers = '16MB'`;

const TEMPLATE_KEY = createHash('sha256').update(pgliteVersion()).update(TEMPLATE_SETTINGS).update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 16);

// PGlite: the tarball is kept gzipped on disk (5 MB, not 40) and unpacked once per test file;
// an uncompressed tarball loads twice as fast as a gzipped one.
let template: Promise<Blob> | undefined;

function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = join(tmpdir(), `advocacy-test-store-${TEMPLATE_KEY}.tar.gz`);
    let tar: Buffer;
    try {
      tar = gunzipSync(readFileSync(file));
    } catch {
      const db = await openPglite(null);
      await migrate(db);
      await db.exec(TEMPLATE_SETTINGS);
      tar = Buffer.from(await (await db.dumpDataDir()).arrayBuffer());
      await db.close();
      // Written under a name of its own, then renamed: a reader sees a whole file or none.
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, gzipSync(tar, { level: 1 }));
      renameSync(partial, file);
    }
    return new Blob([new Uint8Array(tar)]);
  })();
  return template;
}

