import type { Migration } from './migration';

// OAuth install states already used: a state is good for one callback, in any process that
// shares the store. Rows older than the state's lifetime are pruned as new ones arrive.
export const oauthStatesMigration: Migration = {
  id: '009_oauth_states',
  sql: `
CREATE TABLE oauth_states_used (
  nonce text PRIMARY KEY,
  used_at timestamptz NOT NULL DEFAULT now()
);
`,
};
