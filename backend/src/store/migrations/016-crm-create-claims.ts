import type { Migration } from './migration';

// Create-once for every CRM adapter (HubSpot tasks and notes, Salesforce Tasks). A key is
// claimed here, for a lease, before the CRM is called, and confirmed with the record's id when
// the CRM answers. Two processes cannot both hold a live claim on one key; a claim whose process
// died runs out and is taken over (claims counts the takers), and the taker first looks the
// record up in the CRM by the key stored on it, because the dead process may have created it.
// The old HubSpot-only map moves in with its ids (each of those keys is already confirmed).
export const crmCreateClaimsMigration: Migration = {
  id: '016_crm_create_claims',
  sql: `
CREATE TABLE crm_created_objects (
  portal_id text NOT NULL,
  idempotency_key text NOT NULL,
  object_type text NOT NULL,
  object_id text,
  claimed_by text,
  claimed_until timestamptz,
  claims integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  PRIMARY KEY (portal_id, idempotency_key)
);
INSERT INTO crm_created_objects (portal_id, idempotency_key, object_type, object_id, created_at, confirmed_at)
  SELECT portal_id, idempotency_key, object_type, object_id, created_at, created_at FROM hubspot_created_objects;
DROP TABLE hubspot_created_objects;
`,
};
