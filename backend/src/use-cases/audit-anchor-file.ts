import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Env } from '../config/env';
import { parseCheckpoint, type AuditCheckpoint } from '../store/audit-checkpoint';

// The operator's copy of the audit checkpoints: one JSON line per checkpoint, appended. It is
// only worth something kept where whoever can edit the database cannot (another machine, a
// write-once bucket, a synced folder); AUDIT_ANCHOR_FILE says where.

/**
 * AUDIT_ANCHOR_FILE, else (embedded default) a file in the data folder of the store this
 * process opened, else none. A store handed in from outside (tests, tools) has no data folder
 * of ours: its checkpoints would mix with another store's.
 */
export function anchorFilePath(env: Env, storeFromDataDir: boolean): string | null {
  if (env.AUDIT_ANCHOR_FILE) return resolve(env.AUDIT_ANCHOR_FILE);
  return storeFromDataDir && !env.DATABASE_URL ? join(resolve(env.DATA_DIR), 'audit-anchors.jsonl') : null;
}

export function appendAnchor(path: string, checkpoint: AuditCheckpoint): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
}

export interface AnchorFile {
  path: string;
  checkpoints: AuditCheckpoint[];
  /** Line numbers (1-based) that are not checkpoints: an edited or damaged file. */
  badLines: number[];
}

export function readAnchorFile(path: string): AnchorFile {
  const checkpoints: AuditCheckpoint[] = [];
  const badLines: number[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const c = parseCheckpoint(line);
      if (c) checkpoints.push(c);
      else badLines.push(i + 1);
    });
  return { path, checkpoints, badLines };
}

export const anchorFileExists = (path: string) => existsSync(path);
