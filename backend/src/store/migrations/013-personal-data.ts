import type { Migration } from './migration';

// Personal data that an audit entry needs (outcome notes, feedback, consent evidence) lives
// beside the entry, not in it: the entry's MAC covers only a salted digest of it and the id of
// the person it is about, so erasing the person deletes the row and the chain still verifies.
// Uninstalled portals: their tokens go at once, their data after a grace period.
export const personalDataMigration: Migration = {
  id: '013_personal_data',
  sql: `
ALTER TABLE audit_log ADD COLUMN personal_subject text;
ALTER TABLE audit_log ADD COLUMN personal_digest text;
CREATE TABLE audit_personal (
  portal_id text NOT NULL,
  seq bigint NOT NULL,
  subject_id text,
  salt text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (portal_id, seq)
);
CREATE INDEX audit_personal_subject ON audit_personal (portal_id, subject_id);
-- Erasure deletes rows; nothing ever rewrites one (verify checks each against its digest).
CREATE TRIGGER audit_personal_no_update BEFORE UPDATE OR TRUNCATE ON audit_personal
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE portal_uninstalls (
  portal_id text PRIMARY KEY,
  uninstalled_at timestamptz NOT NULL,
  purge_after timestamptz NOT NULL,
  purged_at timestamptz,
  source text NOT NULL
);

-- Where the deleted-records read of a CRM (Salesforce getDeleted) has got to.
CREATE TABLE crm_deletion_sync (
  portal_id text PRIMARY KEY,
  covered_until timestamptz NOT NULL
);
`,
};
