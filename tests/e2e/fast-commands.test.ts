import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useTempDirs } from '../support/temp-dirs';

// What a command costs besides its own work (README "Fast commands"): a read command on the
// embedded default loads the store and its own use case, not the CRM SDKs, the Slack SDK, the HTTP stack, the
// job queue or the server driver; and a store already at the current schema is checked with
// one query, with no migration statement, on every command after the first. Run in a child
// process on the built CLI (dist/), with PGlite's statements recorded.

const ROOT = join(__dirname, '../..');

const CHILD = `
const { PGlite } = require('@electric-sql/pglite');
const sent = [];
let run = 0;
const record = (target, method, where) => {
  const original = target[method];
  target[method] = function (sql, ...rest) { sent.push({ run, method: where + method, sql: String(sql) }); return original.call(this, sql, ...rest); };
};
record(PGlite.prototype, 'query', '');
record(PGlite.prototype, 'exec', '');
// Statements inside a transaction go through its own object: recorded too.
const transaction = PGlite.prototype.transaction;
PGlite.prototype.transaction = function (fn) {
  sent.push({ run, method: 'transaction', sql: '' });
  return transaction.call(this, (tx) => { record(tx, 'query', 'tx.'); record(tx, 'exec', 'tx.'); return fn(tx); });
};
// How each command started Postgres (the read commands' small buffer pool).
const starts = [];
const create = PGlite.create;
PGlite.create = function (dir, options) { starts.push({ run, brief: Boolean(options && options.startParams && options.startParams.includes('shared_buffers=16MB')) }); return create.call(this, dir, options); };
const { run: cli } = require(${JSON.stringify(join(ROOT, 'dist/backend/src/cli/main.js'))});
const quiet = { stdout: { write() { return true; } }, stderr: { write(s) { process.stderr.write(s); return true; } }, env: process.env };
(async () => {
  const codes = [];
  codes.push(await cli(['asks', '--json'], quiet));
  run = 1;
  codes.push(await cli(['asks', '--json'], quiet));
  run = 2;
  codes.push(await cli(['purge-uninstalled'], quiet));
  const loaded = Object.keys(require.cache).filter((f) => f.includes('node_modules')).map((f) => f.split('node_modules/').pop().split('/').slice(0, 2).join('/'));
  process.stdout.write(JSON.stringify({ codes, sent, starts, loaded: [...new Set(loaded)] }));
})();
`;

describe('fast commands', () => {
  const tempDir = useTempDirs('advocacy-fast-commands-');

  it('when a read command runs twice on the embedded store, then the second runs no migration (one schema query), both open the store with the small buffer pool, and none loads a CRM SDK, the Slack SDK, the HTTP stack, the job queue or the server driver', () => {
    const r = spawnSync(process.execPath, ['-e', CHILD], { cwd: ROOT, env: { PATH: process.env.PATH, DATA_DIR: join(tempDir(), 'data'), LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    const { codes, sent, starts, loaded } = JSON.parse(r.stdout) as { codes: number[]; sent: Array<{ run: number; method: string; sql: string }>; starts: Array<{ run: number; brief: boolean }>; loaded: string[] };
    expect(codes).toEqual([0, 0, 0]);
    // `asks` (a read) starts Postgres with the small buffer pool; a command that writes does not
    // (the first start of each command is ours: PGlite may start another inside, for initdb).
    expect([0, 1, 2].map((n) => starts.find((s) => s.run === n)?.brief)).toEqual([true, true, false]);

    // The first command made the store: every migration ran then.
    const first = sent.filter((s) => s.run === 0);
    expect(first.filter((s) => /CREATE TABLE/i.test(s.sql)).length).toBeGreaterThan(10);
    const second = sent.filter((s) => s.run === 1);
    expect(second.filter((s) => /schema_migrations/.test(s.sql)).map((s) => s.sql)).toEqual(['SELECT array_agg(id) AS ids FROM schema_migrations']);
    expect(second.filter((s) => /exec$|^transaction$/.test(s.method) || /\b(CREATE|ALTER|DROP)\b/i.test(s.sql))).toEqual([]);

    expect(loaded).toContain('@electric-sql/pglite');
    for (const heavy of ['express', '@hubspot/api-client', 'jsforce', 'pg-boss', 'pg', 'helmet', 'supertest', '@slack/web-api']) expect(loaded).not.toContain(heavy);
  });
});
