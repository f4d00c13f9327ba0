import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { useTempDirs } from '../support/temp-dirs';

// Privacy duties through the real `advocacy` command on the embedded default: erase a person,
// record an uninstall, purge after the grace period; the audit log verifies throughout.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');

function cli(dataDir: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('advocacy erase, uninstall, purge-uninstalled', () => {
  const tempDir = useTempDirs('advocacy-privacy-cli-');

  it('when a contact who was asked is erased, then the CLI says what went, the log records it and still verifies, and a second erase finds nothing left', () => {
    const data = join(tempDir(), 'data');
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv', 'nps.csv', 'history.json']) expect(cli(data, {}, 'import', join(FIXTURES, f)).code).toBe(0);
    expect(cli(data, {}, 'scan', '--as-of', '2026-11-24', '--json').code).toBe(0);
    const [ask] = JSON.parse(cli(data, {}, 'asks', '--json', '--account', 'a-100').out) as Array<{ askId: string; contactId: string }>;
    expect(cli(data, {}, 'outcome', ask.askId, 'sent', '--note', 'asked at the QBR, keen').code).toBe(0);

    const erased = cli(data, {}, 'erase', '--contact', ask.contactId);
    expect(erased).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`contact ${ask.contactId} erased \\(.*crmContact 1.*\\)`)) });
    expect(cli(data, {}, 'log', '--json', '--limit', '100000').out).not.toContain('asked at the QBR');
    expect(cli(data, {}, 'log', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('hash chain verified') });
    expect(cli(data, {}, 'erase', '--contact', ask.contactId)).toMatchObject({ code: 0, out: expect.stringContaining('already erased') });
    expect(cli(data, {}, 'erase')).toMatchObject({ code: 2, err: expect.stringContaining('--contact') });
  }, 600_000);

  it('when the portal is uninstalled with no grace period, then purge-uninstalled deletes its data, and the log keeps verifying', () => {
    const data = join(tempDir(), 'data');
    const env = { UNINSTALL_GRACE_DAYS: '0' };
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv']) expect(cli(data, env, 'import', join(FIXTURES, f)).code).toBe(0);
    expect(cli(data, env, 'uninstall', '--portal', 'local')).toMatchObject({ code: 0, out: expect.stringContaining('purged after') });
    expect(cli(data, env, 'purge-uninstalled')).toMatchObject({ code: 0, out: expect.stringMatching(/local: purged \(.*crm_accounts 3/) });
    expect(cli(data, env, 'purge-uninstalled')).toMatchObject({ code: 0, out: expect.stringContaining('no uninstalled portal is due') });
    expect(cli(data, env, 'log', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('hash chain verified') });
    expect(cli(data, env, 'log')).toMatchObject({ out: expect.stringMatching(/portal\.uninstalled[\s\S]*portal\.purged/) });
  }, 600_000);
});
