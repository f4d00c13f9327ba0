import type { Migration } from './migration';

// OAuth installs: one row per portal, both tokens encrypted by the app (AES-256-GCM) before
// they reach the database, so a dump or a backup holds no usable credential. Plus the map from
// our idempotency keys to the HubSpot objects they created (tasks, notes): HubSpot has no
// idempotency header, so this is what stops a retried key from creating a second object. And
// what setup found per portal (custom object or notes), so each portal runs in its own mode.
export const hubspotTokensMigration: Migration = {
  id: '005_hubspot_tokens',
  sql: `
CREATE TABLE hubspot_tokens (
  portal_id text PRIMARY KEY,
  access_token_enc text NOT NULL,
  refresh_token_enc text NOT NULL,
  expires_at timestamptz NOT NULL,
  scopes text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE hubspot_created_objects (
  portal_id text NOT NULL,
  idempotency_key text NOT NULL,
  object_type text NOT NULL,
  object_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, idempotency_key)
);
CREATE TABLE hubspot_portals (
  portal_id text PRIMARY KEY,
  ask_storage text NOT NULL CHECK (ask_storage IN ('custom_object', 'notes')),
  ask_object jsonb,
  set_up_at timestamptz NOT NULL DEFAULT now()
);
`,
};
