import type { Migration } from './migration';

// CRM change events (HubSpot webhooks) are stored as they arrive and answered at once; a
// worker re-evaluates the accounts they name. An event id is stored once per portal, so a
// redelivered batch adds nothing, and an event whose evaluation failed stays until it succeeds.
export const changeEventsMigration: Migration = {
  id: '006_change_events',
  sql: `
CREATE TABLE change_events (
  portal_id text NOT NULL,
  event_id text NOT NULL,
  account_id text NOT NULL,
  source text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (portal_id, event_id)
);
CREATE INDEX change_events_pending ON change_events (portal_id, received_at) WHERE processed_at IS NULL;
`,
};
