import type { Migration } from './migration';

// The keyed audit chain. Entries written from here on carry the id of the key whose
// HMAC-SHA256 is their hash; entries written before it keep their unkeyed SHA-256 hash
// (key_id NULL) and are pinned by a marker entry, signed with the key, that the first write
// after this migration appends (audit-log.ts): a chain is never silently re-hashed.
// The head is signed too, and is required once a portal has entries.
// Triggers are statement-level, so TRUNCATE is refused as well as UPDATE and DELETE
// (a row-level trigger never sees a TRUNCATE).
export const auditMacMigration: Migration = {
  id: '012_audit_mac',
  sql: `
ALTER TABLE audit_log ADD COLUMN key_id text;
ALTER TABLE audit_head ADD COLUMN key_id text;
ALTER TABLE audit_head ADD COLUMN mac text;
-- The first seq signed with a key; NULL while a portal's chain predates keys.
ALTER TABLE audit_head ADD COLUMN keyed_from bigint;

DROP TRIGGER audit_log_no_update ON audit_log;
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The head only moves forward.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
BEGIN
  IF NEW.seq < OLD.seq OR NEW.portal_id <> OLD.portal_id THEN
    RAISE EXCEPTION 'audit_head is append-only: it cannot move back from % to %', OLD.seq, NEW.seq;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();

-- The local CRM's copy of each audit checkpoint (HubSpot and Salesforce keep theirs in the CRM).
CREATE TABLE crm_audit_checkpoints (
  portal_id text NOT NULL,
  seq bigint NOT NULL,
  checkpoint jsonb NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, seq)
);
`,
};
