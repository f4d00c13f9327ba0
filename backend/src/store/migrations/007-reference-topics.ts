import type { Migration } from './migration';

// What an account can speak to as a reference, so a rep's use case, competitor and language
// can match: lists, like products.
export const referenceTopicsMigration: Migration = {
  id: '007_reference_topics',
  sql: `
ALTER TABLE crm_accounts ADD COLUMN use_cases text[] NOT NULL DEFAULT '{}';
ALTER TABLE crm_accounts ADD COLUMN competitors_replaced text[] NOT NULL DEFAULT '{}';
ALTER TABLE crm_accounts ADD COLUMN languages text[] NOT NULL DEFAULT '{}';
`,
};
