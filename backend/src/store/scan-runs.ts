import type { Queryable } from './db';

// Scan checkpoints: the cursor after the last committed page, so a stopped or killed run
// resumes where it was.

export interface ScanRun {
  runKey: string;
  status: 'running' | 'stopped' | 'done';
  cursor: string | null;
  pages: number;
  stopReason: string | null;
}

/** A run of the same criteria version whose criteria content differed from `criteriaHash`. */
export async function runWithOtherContent(db: Queryable, portalId: string, criteriaVersion: string, criteriaHash: string): Promise<{ runKey: string; asOf: string; criteriaHash: string } | null> {
  const { rows } = await db.query<{ run_key: string; as_of: string; criteria_hash: string }>(
    `SELECT run_key, as_of::text AS as_of, criteria_hash FROM scan_runs
      WHERE portal_id = $1 AND criteria_version = $2 AND criteria_hash IS NOT NULL AND criteria_hash <> $3
      ORDER BY started_at DESC LIMIT 1`,
    [portalId, criteriaVersion, criteriaHash],
  );
  const r = rows[0];
  return r ? { runKey: r.run_key, asOf: r.as_of, criteriaHash: r.criteria_hash } : null;
}

export async function startRun(db: Queryable, portalId: string, runKey: string, asOf: string, criteriaVersion: string, criteriaHash: string): Promise<ScanRun> {
  await db.query(
    `INSERT INTO scan_runs (portal_id, run_key, as_of, criteria_version, criteria_hash, status) VALUES ($1,$2,$3,$4,$5,'running')
     ON CONFLICT (portal_id, run_key) DO UPDATE SET status = CASE WHEN scan_runs.status = 'done' THEN 'done' ELSE 'running' END, stop_reason = NULL,
       criteria_hash = COALESCE(scan_runs.criteria_hash, EXCLUDED.criteria_hash)`,
    [portalId, runKey, asOf, criteriaVersion, criteriaHash],
  );
  const { rows } = await db.query<{ run_key: string; status: ScanRun['status']; cursor: string | null; pages: number; stop_reason: string | null }>(
    `SELECT run_key, status, cursor, pages, stop_reason FROM scan_runs WHERE portal_id = $1 AND run_key = $2`,
    [portalId, runKey],
  );
  const r = rows[0];
  return { runKey: r.run_key, status: r.status, cursor: r.cursor, pages: r.pages, stopReason: r.stop_reason };
}

export async function saveCheckpoint(db: Queryable, portalId: string, runKey: string, cursor: string | null): Promise<void> {
  await db.query(`UPDATE scan_runs SET cursor = $3, pages = pages + 1 WHERE portal_id = $1 AND run_key = $2`, [portalId, runKey, cursor]);
}

export async function finishRun(db: Queryable, portalId: string, runKey: string): Promise<void> {
  await db.query(`UPDATE scan_runs SET status = 'done', finished_at = now() WHERE portal_id = $1 AND run_key = $2`, [portalId, runKey]);
}

export async function stopRun(db: Queryable, portalId: string, runKey: string, reason: string): Promise<void> {
  await db.query(`UPDATE scan_runs SET status = 'stopped', stop_reason = $3 WHERE portal_id = $1 AND run_key = $2 AND status <> 'done'`, [portalId, runKey, reason]);
}

export async function latestRun(db: Queryable, portalId: string): Promise<(ScanRun & { asOf: string }) | null> {
  const { rows } = await db.query<{ run_key: string; status: ScanRun['status']; cursor: string | null; pages: number; stop_reason: string | null; as_of: string }>(
    `SELECT run_key, status, cursor, pages, stop_reason, as_of FROM scan_runs WHERE portal_id = $1 ORDER BY as_of DESC, started_at DESC LIMIT 1`,
    [portalId],
  );
  const r = rows[0];
  return r ? { runKey: r.run_key, status: r.status, cursor: r.cursor, pages: r.pages, stopReason: r.stop_reason, asOf: r.as_of } : null;
}
