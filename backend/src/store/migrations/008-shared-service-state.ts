import type { Migration } from './migration';

// State that every process of one deployment must share, so two instances behave as one:
// the HubSpot signatures already accepted (a replay is refused whichever instance it reaches,
// and after a restart), and each portal's request budget (the sum of all workers stays within
// HubSpot's rolling limit, and a 429 pauses them all).
export const sharedServiceStateMigration: Migration = {
  id: '008_shared_service_state',
  sql: `
CREATE TABLE signature_replays (
  signature_hash text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX signature_replays_expiry ON signature_replays (expires_at);

CREATE TABLE crm_rate_slots (
  slot_id bigserial PRIMARY KEY,
  portal_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  answered boolean NOT NULL DEFAULT false
);
CREATE INDEX crm_rate_slots_portal ON crm_rate_slots (portal_id, expires_at);

CREATE TABLE crm_rate_pauses (
  portal_id text PRIMARY KEY,
  paused_until timestamptz NOT NULL
);
`,
};
