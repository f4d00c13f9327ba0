import type { Migration } from './migration';

// Notices to CSMs (domain/notices.ts), recorded with the decision that raised them (once per
// key, like the outbox) and delivered apart from the CRM writes, so a messaging outage never
// holds up a scan. The messaging workspace a portal installed (its bot token sealed like CRM
// tokens), and the directory of who is who there (by CRM owner email, refreshed daily).
export const notificationsMigration: Migration = {
  id: '019_notifications',
  sql: `
CREATE TABLE notifications (
  portal_id text NOT NULL,
  notice_key text NOT NULL,
  kind text NOT NULL,
  owner_id text NOT NULL,
  owner_email text,
  account_id text,
  ask_id text,
  contact_id text,
  day text NOT NULL,
  notice jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  reason text,
  not_before timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  claimed_by text,
  claimed_until timestamptz,
  delivered_via text,
  delivered_to text,
  message_ref text,
  delivered_on text,
  sent_at timestamptz,
  digest_key text,
  action_state jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (portal_id, notice_key)
);
CREATE INDEX notifications_by_status ON notifications (portal_id, status, created_at);
CREATE INDEX notifications_by_ask ON notifications (portal_id, ask_id);
CREATE INDEX notifications_by_owner ON notifications (portal_id, owner_id, delivered_on);

CREATE TABLE messaging_workspaces (
  workspace_id text PRIMARY KEY,
  portal_id text NOT NULL,
  bot_token text NOT NULL,
  bot_user_id text,
  installed_by text,
  installed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messaging_workspaces_by_portal ON messaging_workspaces (portal_id);

CREATE TABLE messaging_users (
  portal_id text NOT NULL,
  workspace_id text NOT NULL,
  email text NOT NULL,
  user_id text,
  looked_up_at timestamptz NOT NULL,
  PRIMARY KEY (portal_id, workspace_id, email)
);
`,
};
