import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { ephemeralKeyring, keyFromFile, keyring, type AuditKeyring } from './audit-keys';

// One small interface over Postgres, whether embedded (PGlite, real Postgres in WASM) or a
// server reached through `pg`. Dates come back as YYYY-MM-DD strings and timestamps as ISO
// strings on both, so nothing depends on the machine's time zone.

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Tx extends Queryable {
  exec(sql: string): Promise<void>;
  /** The store's audit MAC keys (audit-log signs what it appends inside the transaction). */
  readonly auditKeys: AuditKeyring;
}

/** A connection or transaction that knows the store's audit keys. */
export type Keyed = Queryable & { readonly auditKeys: AuditKeyring };

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * pg-boss's way in: a statement with parameters, or a script of several without (the rows
   * of its last statement). On PGlite this is how pg-boss runs in-process over the same store.
   */
  executeSql(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  close(): Promise<void>;
  readonly auditKeys: AuditKeyring;
  /**
   * On a server: one connection of the pool, held for `fn` and then closed (session state such
   * as an advisory lock ends with it, even if `fn` could not undo it). Absent on PGlite, which
   * has a single connection and a single owning process.
   */
  session?<T>(fn: (conn: Queryable) => Promise<T>): Promise<T>;
}

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMPTZ: 1184, TIMESTAMP: 1114 } as const;
const toIso = (v: string) => new Date(v).toISOString();

function pgliteParsers() {
  return {
    [pgliteTypes.INT8]: (v: string) => Number(v),
    [pgliteTypes.NUMERIC]: (v: string) => Number(v),
    [pgliteTypes.DATE]: (v: string) => v,
    [pgliteTypes.TIMESTAMPTZ]: toIso,
    [pgliteTypes.TIMESTAMP]: (v: string) => toIso(`${v}Z`),
  };
}

export interface PgliteDb extends Db {
  /** The whole data folder as an uncompressed tarball, for `loadDataDir` (tests start fresh stores from a migrated one). */
  dumpDataDir(): Promise<Blob>;
}

export interface PgliteOptions {
  /** Start from a tarball made by `dumpDataDir` instead of an empty cluster (skips initdb). */
  loadDataDir?: Blob;
  auditKeys?: AuditKeyring;
  /**
   * A short-lived command that reads a few hundred rows (`asks`, `account`, `report`): Postgres
   * starts with a 16 MB buffer pool and 5 connection slots instead of 128 MB and 100, which it
   * otherwise sets up on every start for nothing (about a quarter of opening the store here).
   */
  brief?: boolean;
}

// PGlite's own start parameters (its defaultStartParams), plus the brief profile's two settings.
const PGLITE_START = ['--single', '-F', '-O', '-j', '-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false', '-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0', '-c', 'io_method=sync', '-c', 'max_parallel_maintenance_workers=0'];
const BRIEF_START = [...PGLITE_START, '-c', 'shared_buffers=16MB', '-c', 'max_connections=5'];

/**
 * Without explicit keys: a data folder keeps its key in a 0600 file beside the data (created on
 * first open); an in-memory store gets a random key that lives and dies with it.
 */
export async function openPglite(dataDir: string | null, options: PgliteOptions = {}): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const auditKeys = options.auditKeys ?? (dataDir ? keyring(keyFromFile(join(dataDir, AUDIT_KEY_FILE), { create: true })) : ephemeralKeyring());
  const pg = await PGlite.create(dataDir ?? undefined, { parsers: pgliteParsers(), loadDataDir: options.loadDataDir, ...(options.brief ? { startParams: BRIEF_START } : {}) });
  return {
    kind: 'pglite',
    auditKeys,
    dumpDataDir: () => pg.dumpDataDir('none'),
    query: async (sql, params) => ({ rows: (await pg.query(sql, params)).rows as never[] }),
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          auditKeys,
          query: async (sql, params) => ({ rows: (await tx.query(sql, params)).rows as never[] }),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    executeSql: async (sql, values) => {
      if (values && values.length) return { rows: (await pg.query(sql, values)).rows as Array<Record<string, unknown>> };
      const results = await pg.exec(sql);
      return { rows: (results[results.length - 1]?.rows ?? []) as Array<Record<string, unknown>> };
    },
    close: () => pg.close(),
  };
}

/** The file name of the embedded default's audit key inside its data folder. */
export const AUDIT_KEY_FILE = 'audit-mac.key';

/** A server has no default key: several processes must share one, so it comes from configuration. */
export async function openPostgres(connectionString: string, options: { schema?: string; max?: number; auditKeys?: AuditKeyring } = {}): Promise<Db> {
  const auditKeys = options.auditKeys ?? keyring(null, [], 'a PostgreSQL store needs AUDIT_MAC_KEY (or AUDIT_MAC_KEY_FILE) to write the audit log');
  const parsers: Record<number, (v: string) => unknown> = {
    [OID.INT8]: Number,
    [OID.NUMERIC]: Number,
    [OID.DATE]: (v: string) => v,
    [OID.TIMESTAMPTZ]: toIso,
    [OID.TIMESTAMP]: (v: string) => toIso(`${v}Z`),
  };
  // Loaded here: a command on the embedded store never needs the server driver.
  const { Pool, types: pgTypes } = await import('pg');
  const pool = new Pool({
    connectionString,
    max: options.max ?? 5,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
    },
  });
  // An idle connection the server ended (a restart, an administrator's terminate) is dropped by
  // the pool, which opens a new one for the next query; without a listener the 'error' event
  // would end the whole process.
  pool.on('error', () => {});
  const run = async (client: Pool | PoolClient, sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params as unknown[])).rows });
  return {
    kind: 'postgres',
    auditKeys,
    query: (sql, params) => run(pool, sql, params) as never,
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          auditKeys,
          query: (sql, params) => run(client, sql, params) as never,
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    executeSql: async (sql, values) => {
      const result = (await pool.query(sql, values as unknown[])) as unknown as { rows: Array<Record<string, unknown>> } | Array<{ rows: Array<Record<string, unknown>> }>;
      return Array.isArray(result) ? { rows: result[result.length - 1]?.rows ?? [] } : { rows: result.rows };
    },
    session: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({ query: (sql, params) => run(client, sql, params) as never });
      } finally {
        // Destroyed, not returned: whatever the session held (an advisory lock) goes with it.
        client.release(true);
      }
    },
    close: () => pool.end(),
  };
}
