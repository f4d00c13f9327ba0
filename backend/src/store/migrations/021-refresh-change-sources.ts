import type { Migration } from './migration';

// Which of an account's rows changed: the embedded CRM's (its CRM data) or only the app's own
// (asks, consents). An account whose only change is the app's own can be judged again from the
// CRM signals the reference index stored, without a CRM read (jobs/refresh-portfolio.ts).
// refresh_changes.crm_changed_at: the last change to a crm_* row (rows marked before this
// migration count as CRM changes: nothing says otherwise). reference_index.signals_at: when the
// signals were last stored from a CRM read (NULL for rows stored before: those are read again).
export const refreshChangeSourcesMigration: Migration = {
  id: '021_refresh_change_sources',
  sql: `
ALTER TABLE refresh_changes ADD COLUMN crm_changed_at timestamptz;
UPDATE refresh_changes SET crm_changed_at = changed_at;
ALTER TABLE reference_index ADD COLUMN signals_at timestamptz;
CREATE OR REPLACE FUNCTION refresh_note_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  crm_at timestamptz := CASE WHEN TG_TABLE_NAME LIKE 'crm\\_%' THEN clock_timestamp() END;
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'crm_accounts'
     AND (to_jsonb(NEW) - ARRAY['readiness_score','readiness_band','advocacy_status','last_ask_date','updated_at'])
       = (to_jsonb(OLD) - ARRAY['readiness_score','readiness_band','advocacy_status','last_ask_date','updated_at']) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO refresh_changes (portal_id, account_id, changed_at, crm_changed_at) VALUES (OLD.portal_id, OLD.account_id, clock_timestamp(), crm_at)
      ON CONFLICT (portal_id, account_id) DO UPDATE SET changed_at = EXCLUDED.changed_at, crm_changed_at = COALESCE(EXCLUDED.crm_changed_at, refresh_changes.crm_changed_at);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND (TG_OP = 'INSERT' OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.portal_id IS DISTINCT FROM OLD.portal_id) THEN
    INSERT INTO refresh_changes (portal_id, account_id, changed_at, crm_changed_at) VALUES (NEW.portal_id, NEW.account_id, clock_timestamp(), crm_at)
      ON CONFLICT (portal_id, account_id) DO UPDATE SET changed_at = EXCLUDED.changed_at, crm_changed_at = COALESCE(EXCLUDED.crm_changed_at, refresh_changes.crm_changed_at);
  END IF;
  RETURN NULL;
END
$fn$;
`,
};
