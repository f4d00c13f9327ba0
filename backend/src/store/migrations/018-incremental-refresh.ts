import type { Migration } from './migration';

// The incremental daily refresh. refresh_decisions: each account's latest decision and the day
// it stops holding with no new data (domain/decision-holds.ts), so a refresh finds the due
// ones with one index read. refresh_changes: accounts whose data in this database changed
// (the embedded CRM's rows, asks, consents), marked by triggers so no write path can forget
// it; write-backs of the app's own readiness columns are not changes. refresh_state: per
// portal, the criteria content of the last full scan, its day, and the watermarks the next
// refresh reads changes from (a pending mark is taken when a refresh starts and becomes the
// watermark only once that refresh has committed, so a crash re-reads rather than skips).
// The tables are named refresh_* so a portal purge (tables in name order) deletes them after
// the tables whose triggers write them.
export const incrementalRefreshMigration: Migration = {
  id: '018_incremental_refresh',
  sql: `
ALTER TABLE evaluations ADD COLUMN holds_until date;
CREATE TABLE refresh_decisions (
  portal_id text NOT NULL,
  account_id text NOT NULL,
  as_of date NOT NULL,
  holds_until date,
  run_key text NOT NULL,
  decision_key text NOT NULL,
  PRIMARY KEY (portal_id, account_id)
);
CREATE INDEX refresh_decisions_due ON refresh_decisions (portal_id, holds_until) WHERE holds_until IS NOT NULL;
CREATE TABLE refresh_changes (
  portal_id text NOT NULL,
  account_id text NOT NULL,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (portal_id, account_id)
);
CREATE INDEX refresh_changes_at ON refresh_changes (portal_id, changed_at);
CREATE TABLE refresh_state (
  portal_id text PRIMARY KEY,
  criteria_hash text,
  last_full_on date,
  crm_since text,
  store_since timestamptz,
  pending_crm_since text,
  pending_store_since timestamptz,
  pending_full boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION refresh_note_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'crm_accounts'
     AND (to_jsonb(NEW) - ARRAY['readiness_score','readiness_band','advocacy_status','last_ask_date','updated_at'])
       = (to_jsonb(OLD) - ARRAY['readiness_score','readiness_band','advocacy_status','last_ask_date','updated_at']) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO refresh_changes (portal_id, account_id, changed_at) VALUES (OLD.portal_id, OLD.account_id, clock_timestamp())
      ON CONFLICT (portal_id, account_id) DO UPDATE SET changed_at = EXCLUDED.changed_at;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND (TG_OP = 'INSERT' OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.portal_id IS DISTINCT FROM OLD.portal_id) THEN
    INSERT INTO refresh_changes (portal_id, account_id, changed_at) VALUES (NEW.portal_id, NEW.account_id, clock_timestamp())
      ON CONFLICT (portal_id, account_id) DO UPDATE SET changed_at = EXCLUDED.changed_at;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER refresh_change AFTER INSERT OR UPDATE OR DELETE ON crm_accounts FOR EACH ROW EXECUTE FUNCTION refresh_note_change();
CREATE TRIGGER refresh_change AFTER INSERT OR UPDATE OR DELETE ON crm_contacts FOR EACH ROW EXECUTE FUNCTION refresh_note_change();
CREATE TRIGGER refresh_change AFTER INSERT OR UPDATE OR DELETE ON crm_nps_responses FOR EACH ROW EXECUTE FUNCTION refresh_note_change();
CREATE TRIGGER refresh_change AFTER INSERT OR UPDATE OR DELETE ON crm_health_history FOR EACH ROW EXECUTE FUNCTION refresh_note_change();
CREATE TRIGGER refresh_change AFTER INSERT OR UPDATE OR DELETE ON asks FOR EACH ROW EXECUTE FUNCTION refresh_note_change();
CREATE TRIGGER refresh_change AFTER INSERT OR UPDATE OR DELETE ON consents FOR EACH ROW EXECUTE FUNCTION refresh_note_change();
`,
};
