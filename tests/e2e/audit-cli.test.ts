import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPglite } from '../../backend/src/store/db';
import { useTempDirs } from '../support/temp-dirs';

// The audit log through the real `advocacy` command: a scan anchors the head, an insider who
// edits the embedded store behind the app's back is caught by `log --verify` (exit 1, each
// problem with its entry and kind), and `log --anchor` refuses to bless the damage.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');

function cli(dataDir: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Opens the data folder as an insider would (its key file is beside it: they do not need it). */
async function tamper(dataDir: string, statements: string) {
  const db = await openPglite(dataDir);
  try {
    await db.exec(`ALTER TABLE audit_log DISABLE TRIGGER USER; ALTER TABLE audit_head DISABLE TRIGGER USER; ${statements}; ALTER TABLE audit_log ENABLE TRIGGER USER; ALTER TABLE audit_head ENABLE TRIGGER USER;`);
  } finally {
    await db.close();
  }
}

// Each test spawns a dozen commands and opens the store itself between them: minutes on a busy machine.
describe('advocacy log: keyed chain and checkpoints', () => {
  const tempDir = useTempDirs('advocacy-audit-cli-');

  it('when a scan ran and the tail of the log is deleted with the head moved, then log --verify exits 1 naming each problem, and log --anchor refuses', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const anchors = join(dir, 'operator', 'anchors.jsonl');
    const env = { AUDIT_ANCHOR_FILE: anchors };
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv', 'nps.csv', 'history.json']) expect(cli(data, env, 'import', join(FIXTURES, f)).code).toBe(0);
    expect(cli(data, env, 'scan', '--as-of', '2026-11-24', '--json').code).toBe(0);
    const [checkpoint] = readFileSync(anchors, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(checkpoint).toMatchObject({ portalId: 'local', seq: expect.any(Number), keyId: expect.stringMatching(/^file-/) });
    const intact = cli(data, env, 'log', '--verify');
    expect(intact).toMatchObject({ code: 0, out: expect.stringContaining('hash chain verified') });
    expect(intact.out).toMatch(/checkpoints from .*anchors\.jsonl: 1\n {2}checkpoints from crm:local: 1/);

    const keep = checkpoint.seq - 3;
    await tamper(data, `DELETE FROM audit_log WHERE seq > ${keep}; UPDATE audit_head SET seq = ${keep}, hash = (SELECT hash FROM audit_log WHERE seq = ${keep}); DELETE FROM crm_audit_checkpoints`);

    const verified = cli(data, env, 'log', '--verify');
    expect(verified.code).toBe(1);
    expect(verified.out).toContain('AUDIT LOG TAMPERED');
    expect(verified.out).toContain(`entry ${keep}: HEAD_ALTERED`);
    expect(verified.out).toContain(`entry ${checkpoint.seq}: TRUNCATED`);
    const json = JSON.parse(cli(data, { AUDIT_ANCHOR_FILE: join(dir, 'none.jsonl') }, 'log', '--verify', '--json', '--anchors', anchors).out);
    expect(json.problems.map((p: { problem: string }) => p.problem)).toEqual(['HEAD_ALTERED', 'TRUNCATED']);

    const anchor = cli(data, env, 'log', '--anchor');
    expect(anchor.code).toBe(1);
    expect(anchor.err).toMatch(/audit head of local does not carry a valid signature/);
  }, 600_000);

  it('when the head row is deleted as well, then verify names the missing head; when log and head are truncated, then only the operator\'s checkpoint file shows it', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const anchors = join(dir, 'anchors.jsonl');
    const env = { AUDIT_ANCHOR_FILE: anchors, DEMO_ACCOUNTS: '20' };
    expect(cli(data, env, 'start', '--no-serve').code).toBe(0);
    expect(cli(data, env, 'log', '--anchor')).toMatchObject({ code: 0, out: expect.stringMatching(/audit checkpoint: entry \d+[\s\S]*written to .*anchors\.jsonl[\s\S]*written to crm:local/) });

    await tamper(data, `DELETE FROM audit_head`);
    expect(cli(data, env, 'log', '--verify')).toMatchObject({ code: 1, out: expect.stringMatching(/HEAD_MISSING: the log has \d+ entries but no head record/) });
    await tamper(data, `TRUNCATE audit_log, audit_head, crm_audit_checkpoints`);
    const verified = cli(data, env, 'log', '--verify');
    expect(verified.code).toBe(1);
    expect(verified.out).toMatch(/TRUNCATED: the checkpoint of .* records entry \d+, but the log ends at entry 0/);
  }, 600_000);
});
