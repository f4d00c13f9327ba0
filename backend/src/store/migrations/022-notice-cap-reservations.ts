import type { Migration } from './migration';

// The daily cap across concurrent senders: before a sender delivers a capped notice it reserves
// one of the CSM's slots for that local day (reserved_on), under a per-(portal, owner, day)
// advisory lock, counting what was sent that day and what other notices hold reserved. A failed
// delivery or a released claim gives the slot back; a sent notice counts by delivered_on.
export const noticeCapReservationsMigration: Migration = {
  id: '022_notice_cap_reservations',
  sql: `
ALTER TABLE notifications ADD COLUMN reserved_on text;
CREATE INDEX notifications_by_owner_reserved ON notifications (portal_id, owner_id, reserved_on) WHERE reserved_on IS NOT NULL;
`,
};
