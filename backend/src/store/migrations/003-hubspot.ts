import type { Migration } from './migration';

// Tables owned by the HubSpot adapter (installs, tokens, replay protection).
export const hubspotMigration: Migration = {
  id: '003_hubspot',
  sql: `SELECT 1;`,
};
