import type { Migration } from './migration';

// The embedded default CRM ("local"): what a team without HubSpot or Salesforce imports from
// spreadsheets, and what the demo seeds. Every row carries portal_id so several portfolios
// never mix.
export const localCrmMigration: Migration = {
  id: '001_local_crm',
  sql: `
CREATE TABLE crm_owners (
  portal_id text NOT NULL,
  owner_id text NOT NULL,
  name text NOT NULL,
  email text,
  PRIMARY KEY (portal_id, owner_id)
);
CREATE TABLE crm_accounts (
  portal_id text NOT NULL,
  account_id text NOT NULL,
  name text NOT NULL,
  owner_id text,
  health_score numeric CHECK (health_score BETWEEN 0 AND 100),
  customer_since date,
  usage_depth numeric CHECK (usage_depth BETWEEN 0 AND 100),
  csat numeric CHECK (csat BETWEEN 1 AND 5),
  engagement numeric CHECK (engagement BETWEEN 0 AND 100),
  strategic boolean NOT NULL DEFAULT false,
  open_escalations integer NOT NULL DEFAULT 0 CHECK (open_escalations >= 0),
  renewal_date date,
  industry text,
  region text,
  size_band text,
  products text[] NOT NULL DEFAULT '{}',
  readiness_score numeric,
  readiness_band text,
  advocacy_status text,
  last_ask_date date,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, account_id)
);
CREATE TABLE crm_health_history (
  portal_id text NOT NULL,
  account_id text NOT NULL,
  date date NOT NULL,
  score numeric NOT NULL CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (portal_id, account_id, date)
);
CREATE TABLE crm_contacts (
  portal_id text NOT NULL,
  contact_id text NOT NULL,
  account_id text NOT NULL,
  first_name text,
  last_name text,
  title text,
  seniority text,
  do_not_contact boolean NOT NULL DEFAULT false,
  PRIMARY KEY (portal_id, contact_id)
);
CREATE INDEX crm_contacts_account ON crm_contacts (portal_id, account_id);
CREATE TABLE crm_nps_responses (
  portal_id text NOT NULL,
  contact_id text NOT NULL,
  account_id text NOT NULL,
  date date NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 10),
  PRIMARY KEY (portal_id, contact_id, date)
);
CREATE INDEX crm_nps_account ON crm_nps_responses (portal_id, account_id);
CREATE TABLE crm_deals (
  portal_id text NOT NULL,
  deal_id text NOT NULL,
  name text NOT NULL,
  account_id text,
  owner_id text,
  amount numeric,
  stage text NOT NULL DEFAULT 'open' CHECK (stage IN ('open', 'won', 'lost')),
  close_date date,
  industry text,
  region text,
  size_band text,
  products text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (portal_id, deal_id)
);
CREATE TABLE crm_tasks (
  portal_id text NOT NULL,
  task_id text NOT NULL,
  idempotency_key text NOT NULL,
  kind text NOT NULL,
  owner_id text NOT NULL,
  account_id text NOT NULL,
  contact_id text,
  deal_id text,
  subject text NOT NULL,
  body text NOT NULL,
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'not_started',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, task_id),
  UNIQUE (portal_id, idempotency_key)
);
`,
};
