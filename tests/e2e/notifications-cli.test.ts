import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useDataDirTemplate } from '../support/data-dir-template';
import { useTempDirs } from '../support/temp-dirs';

// `advocacy notifications` on the embedded default, with the real command: the scan's notices
// go to the audit log (no Slack configured), past the daily cap into the digest, and a bad
// notification rules file stops the command listing every problem.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');

function cli(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Several real commands per test on a shared 2-core machine.
jest.setTimeout(240_000);

describe('advocacy notifications', () => {
  const tempDir = useTempDirs('advocacy-notify-');
  const imported = useDataDirTemplate('advocacy-notify-imported-', (dir) => {
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv', 'nps.csv', 'history.json']) expect(cli(dir, ['import', join(FIXTURES, f)])).toMatchObject({ code: 0 });
  });

  it('when a scan proposes, then each proposal notice goes to the audit log (no Slack configured), once, and the list shows where it went', async () => {
    const dir = imported();
    const scan = cli(dir, ['scan', '--as-of', '2026-11-20']);
    expect(scan).toMatchObject({ code: 0, out: expect.stringMatching(/Notifications: [1-9]\d* sent, 0 into the daily digest/) });
    const list = JSON.parse(cli(dir, ['notifications', '--json']).out) as Array<{ status: string; via: string | null; kind: string }>;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((n) => n.status === 'sent' && n.via === 'audit_log')).toBe(true);
    const log = JSON.parse(cli(dir, ['log', '--json', '--limit', '100000']).out) as Array<{ action: string }>;
    expect(log.filter((e) => e.action === 'notification.sent')).toHaveLength(list.length);
    // The same scan again raises nothing new.
    expect(cli(dir, ['scan', '--as-of', '2026-11-20'])).toMatchObject({ code: 0, out: expect.not.stringContaining('Notifications:') });
    expect(JSON.parse(cli(dir, ['notifications', '--json']).out)).toHaveLength(list.length);
  });

  it('when the daily cap is 0, then every notice waits for the daily digest, and the list says why', () => {
    const dir = imported();
    const rules = join(tempDir(), 'notifications.json');
    writeFileSync(rules, JSON.stringify({ dailyCapPerCsm: 0 }));
    expect(cli(dir, ['scan', '--as-of', '2026-11-20'], { NOTIFICATIONS_FILE: rules })).toMatchObject({ code: 0, out: expect.stringMatching(/Notifications: 0 sent, [1-9]\d* into the daily digest/) });
    const table = cli(dir, ['notifications', '--status', 'digested'], { NOTIFICATIONS_FILE: rules });
    expect(table).toMatchObject({ code: 0, out: expect.stringContaining('digested (DAILY_CAP)') });
    expect(cli(dir, ['notifications', '--status', 'sent', '--json'], { NOTIFICATIONS_FILE: rules }).out.trim()).toBe('[]');
  });

  it('when the notification rules file is wrong, then the command stops with exit 2 naming each problem', () => {
    const rules = join(tempDir(), 'bad.json');
    writeFileSync(rules, JSON.stringify({ dailyCapPerCsm: 'ten', quietHours: { start: '7pm', end: '08:00' } }));
    const r = cli(tempDir(), ['notifications'], { NOTIFICATIONS_FILE: rules });
    expect(r.code).toBe(2);
    expect(r.err).toContain('dailyCapPerCsm');
    expect(r.err).toContain('quietHours.start');
  });
});
