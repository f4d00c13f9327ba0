import type { Migration } from './migration';

// Tables owned by the Salesforce adapter (connections, CDC replay ids).
export const salesforceMigration: Migration = {
  id: '004_salesforce',
  sql: `SELECT 1;`,
};
