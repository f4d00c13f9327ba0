import type { Migration } from './migration';

// The CRM's time of the app's own last write-back to each account: a change listing that shows
// the account modified at exactly that time (and not after) shows the app's own write, not new data.
export const refreshWrittenAtMigration: Migration = {
  id: '020_refresh_written_at',
  sql: `ALTER TABLE refresh_decisions ADD COLUMN crm_written_at text;`,
};
