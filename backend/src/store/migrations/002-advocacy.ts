import type { Migration } from './migration';

// The app's own records, whatever the CRM: asks and consents (system of record), each
// evaluation, the outbox of CRM writes, scan checkpoints, KPI snapshots, and the
// hash-chained audit log.
export const advocacyMigration: Migration = {
  id: '002_advocacy',
  sql: `
CREATE TABLE asks (
  portal_id text NOT NULL,
  ask_id text NOT NULL,
  account_id text NOT NULL,
  contact_id text,
  deal_id text,
  ask_type text NOT NULL,
  status text NOT NULL,
  proposed_at timestamptz NOT NULL,
  sent_at timestamptz,
  accepted_at timestamptz,
  declined_at timestamptz,
  no_response_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  source text NOT NULL,
  run_key text,
  task_id text,
  crm_ask_id text,
  outcome_note text,
  criteria_version text,
  readiness_score numeric,
  details jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, ask_id)
);
CREATE INDEX asks_account ON asks (portal_id, account_id);
CREATE INDEX asks_deal ON asks (portal_id, deal_id) WHERE deal_id IS NOT NULL;

CREATE TABLE consents (
  portal_id text NOT NULL,
  consent_id text NOT NULL,
  account_id text NOT NULL,
  contact_id text,
  scope text NOT NULL,
  granted_on date NOT NULL,
  evidence text NOT NULL CHECK (length(evidence) > 0),
  expires_on date,
  revoked_on date,
  ask_id text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, consent_id)
);
CREATE INDEX consents_account ON consents (portal_id, account_id);

CREATE TABLE evaluations (
  portal_id text NOT NULL,
  run_key text NOT NULL,
  account_id text NOT NULL,
  as_of date NOT NULL,
  criteria_version text NOT NULL,
  decision text NOT NULL,
  contact_id text,
  ask_type text,
  readiness_score numeric,
  body jsonb NOT NULL,
  ask_id text,
  task_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, run_key, account_id)
);
CREATE INDEX evaluations_as_of ON evaluations (portal_id, as_of);
CREATE INDEX evaluations_account ON evaluations (portal_id, account_id, as_of);

CREATE TABLE outbox (
  portal_id text NOT NULL,
  idempotency_key text NOT NULL,
  kind text NOT NULL,
  account_id text NOT NULL,
  ask_id text,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  task_id text,
  created_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  PRIMARY KEY (portal_id, idempotency_key)
);
CREATE INDEX outbox_pending ON outbox (portal_id, created_at) WHERE status = 'pending';
CREATE INDEX outbox_account_kind ON outbox (portal_id, account_id, kind);

CREATE TABLE scan_runs (
  portal_id text NOT NULL,
  run_key text NOT NULL,
  as_of date NOT NULL,
  criteria_version text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'stopped', 'done')),
  cursor text,
  pages integer NOT NULL DEFAULT 0,
  stop_reason text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (portal_id, run_key)
);

CREATE TABLE kpi_snapshots (
  portal_id text NOT NULL,
  month text NOT NULL,
  criteria_version text NOT NULL,
  eligible_keys jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, month, criteria_version)
);

CREATE TABLE idempotency_keys (
  portal_id text NOT NULL,
  key text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, key)
);

CREATE TABLE audit_log (
  portal_id text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  account_id text,
  criteria_version text,
  before jsonb,
  after jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (portal_id, seq)
);
CREATE INDEX audit_account ON audit_log (portal_id, account_id, seq);
CREATE TABLE audit_head (
  portal_id text PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);
-- Append-only: the application never updates or deletes an entry. The hash chain catches
-- anyone who goes around this (a superuser, a restored backup).
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
`,
};
