import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root';
import { parseCriteria, type Criteria } from '../domain/criteria';
import { ConfigError } from './env';

export const DEFAULT_CRITERIA_FILE = join(packageRoot(), 'backend/config/criteria.default.json');

/** Reads and validates the program criteria; a bad file lists every problem with its path. */
export function loadCriteria(file: string = DEFAULT_CRITERIA_FILE): Criteria {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`criteria file ${file}`, [{ path: '', message: (error as Error).message }]);
  }
  const parsed = parseCriteria(raw);
  if (!parsed.ok) throw new ConfigError(`criteria file ${file}`, parsed.problems.map((p) => ({ path: p.path, message: p.message })));
  return parsed.criteria;
}
