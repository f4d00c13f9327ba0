import type { Migration } from './migration';

// Keys that authenticate a Salesforce org's Apex (the Lightning components' controller) to the
// backend. Only a SHA-256 of the secret is kept: the keys are 32 random bytes, so a fast hash
// is enough, and a copy of this table opens no org's data.
export const salesforceOrgKeysMigration: Migration = {
  id: '014_salesforce_org_keys',
  sql: `
CREATE TABLE salesforce_org_keys (
  key_id text PRIMARY KEY,
  portal_id text NOT NULL,
  secret_sha256 text NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  issued_by text NOT NULL
);
CREATE INDEX salesforce_org_keys_portal ON salesforce_org_keys (portal_id);
`,
};
