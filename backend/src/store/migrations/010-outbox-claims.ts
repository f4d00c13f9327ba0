import type { Migration } from './migration';

// Several relays (serve and workers on one server) share the outbox: a relay claims the rows it
// sends for a lease, and marks them done only while its claim holds, so no row is sent by two
// relays at once and each done row gets its audit entry once. A relay that died lets its claim
// run out; the next one takes the rows over.
export const outboxClaimsMigration: Migration = {
  id: '010_outbox_claims',
  sql: `
ALTER TABLE outbox ADD COLUMN claimed_by text;
ALTER TABLE outbox ADD COLUMN claimed_until timestamptz;
`,
};
