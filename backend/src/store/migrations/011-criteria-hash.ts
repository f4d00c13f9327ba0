import type { Migration } from './migration';

// The criteria file's content hash beside its version: a scan whose file changed while the
// version did not is refused (the version alone would say nothing had changed). Rows from
// before this column have no hash and are not compared.
export const criteriaHashMigration: Migration = {
  id: '011_criteria_hash',
  sql: `
ALTER TABLE scan_runs ADD COLUMN criteria_hash text;
ALTER TABLE evaluations ADD COLUMN criteria_hash text;
CREATE INDEX scan_runs_criteria ON scan_runs (portal_id, criteria_version);
`,
};
