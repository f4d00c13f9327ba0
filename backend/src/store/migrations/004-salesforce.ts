import type { Migration } from './migration';

// Tables owned by the Salesforce adapter: the Change Data Capture replay position per org,
// so a restart resumes where it stopped and misses nothing.
export const salesforceMigration: Migration = {
  id: '004_salesforce',
  sql: `
CREATE TABLE sf_cdc_positions (
  portal_id text NOT NULL,
  channel text NOT NULL,
  replay_id bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, channel)
);
`,
};
