import type { Migration } from './migration';

// HubSpot app lifecycle: a portal whose refresh token HubSpot rejected as revoked keeps its row
// (and its data) but is no longer used or scanned until an uninstall event confirms it or the
// app is installed again. The webhooks journal's position (one per app, not per portal: the
// journal spans every install) and the lifecycle events already handled, so a journal entry
// read twice uninstalls once. Neither table has a portal_id column on purpose: a portal's
// purge deletes every row that has one, and these are the app's memory of what it did.
export const appLifecycleMigration: Migration = {
  id: '015_app_lifecycle',
  sql: `
ALTER TABLE hubspot_tokens ADD COLUMN revoked_at timestamptz;
CREATE TABLE hubspot_app_journal (
  app_id text PRIMARY KEY,
  journal_offset text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE app_lifecycle_events (
  event_key text PRIMARY KEY,
  install_portal text NOT NULL,
  action text NOT NULL,
  occurred_at timestamptz NOT NULL,
  outcome text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
`,
};
