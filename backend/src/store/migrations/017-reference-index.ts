import type { Migration } from './migration';

// The reference index kept in the store, so a restart does not read the whole CRM again before
// the first match: per account, the CRM signals last read (by a scan page, a change event, a
// full read) and the advocates ranked from them with the stored asks and consents, for the day
// and criteria version in `computed_for`. The apply path rewrites an account's row in the same
// transaction as its ask, consent or evaluation. `reference_index_reads` says when a portal's
// index was last filled by a full read (none: the first match reads the CRM once).
export const referenceIndexMigration: Migration = {
  id: '017_reference_index',
  sql: `
CREATE TABLE reference_index (
  portal_id text NOT NULL,
  account_id text NOT NULL,
  signals jsonb NOT NULL,
  advocates jsonb NOT NULL DEFAULT '[]'::jsonb,
  computed_for text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, account_id)
);
CREATE TABLE reference_index_reads (
  portal_id text PRIMARY KEY,
  read_at timestamptz NOT NULL,
  read_for text NOT NULL
);
`,
};
