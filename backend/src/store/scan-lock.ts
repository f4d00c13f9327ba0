import type { Db } from './db';

// A portal's scan of one date runs once at a time, whoever starts it: `advocacy scan` by hand,
// a pg-boss job on any worker, or a scan forwarded to the embedded service. On a server this
// is a PostgreSQL session advisory lock, held on a connection of its own for the whole scan: a
// process that dies (kill -9, a lost machine) loses its connection and with it the lock, so
// nothing is left to expire. The key's two halves keep it apart from the migrations' and the
// rate slots' single-number locks. On PGlite one process owns the store (the data-folder
// lock), so exclusion inside that process is all there is to do.

const LOCK_CLASS = 'advocacy-scan';

export interface ScanLockOptions {
  /** How long to wait for a scan that holds the lock to finish (0: do not wait). */
  waitMs: number;
  pollMs?: number;
  /** Stop waiting early (a job asked to stop). */
  giveUp?: () => boolean;
}

export type ScanLockResult<T> = { ran: true; value: T } | { ran: false; holder: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `local`: the keys this process scans now (the store's own set: one store per process). */
export async function withScanLock<T>(db: Db, local: Set<string>, portalId: string, asOf: string, options: ScanLockOptions, fn: () => Promise<T>): Promise<ScanLockResult<T>> {
  const key = `${portalId}:${asOf}`;
  const pollMs = options.pollMs ?? 250;
  const deadline = Date.now() + options.waitMs;
  // This process first (no second connection for a scan this process already runs).
  while (local.has(key)) {
    if (Date.now() >= deadline || options.giveUp?.()) return { ran: false, holder: `this process (pid ${process.pid}) is already scanning ${portalId} for ${asOf}` };
    await sleep(pollMs);
  }
  local.add(key);
  try {
    if (!db.session) return { ran: true, value: await fn() };
    return await db.session(async (conn) => {
      for (;;) {
        const { rows } = await conn.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok`, [LOCK_CLASS, key]);
        if (rows[0]?.ok) break;
        if (Date.now() >= deadline || options.giveUp?.()) return { ran: false as const, holder: await describeHolder(conn, key) };
        await sleep(pollMs);
      }
      try {
        return { ran: true as const, value: await fn() };
      } finally {
        await conn.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [LOCK_CLASS, key]).catch(() => undefined);
      }
    });
  } finally {
    local.delete(key);
  }
}

/** Who holds the lock, from the server's own view (its backend pid, client and start). */
async function describeHolder(conn: { query: Db['query'] }, key: string): Promise<string> {
  const { rows } = await conn.query<{ pid: number; client: string | null; since: string | null }>(
    `SELECT a.pid, host(a.client_addr) AS client, a.backend_start AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.classid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296
        AND l.objid::bigint = (hashtext($2)::bigint + 4294967296) % 4294967296`,
    [LOCK_CLASS, key],
  );
  const r = rows[0];
  return r ? `another process (PostgreSQL session ${r.pid}${r.client ? ` from ${r.client}` : ''}, connected since ${r.since})` : 'another process (it has just finished)';
}
