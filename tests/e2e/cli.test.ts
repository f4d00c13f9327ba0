import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useDataDirTemplate } from '../support/data-dir-template';
import { useTempDirs } from '../support/temp-dirs';

// The real `advocacy` command (bin/advocacy.js over the build that `npm test` makes first),
// each test on its own temporary data folder.
//
// A command's first run on an empty folder creates and migrates the store, the slowest thing a
// command does; so the tests start from copies of a folder the CLI has already set up once
// (`asks` on an empty folder), and those that scan the imported fixtures from copies of one the
// fixtures were imported into once. The test of `start` on an empty store starts from an empty
// folder, as a new user does.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');

function cli(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: '60' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const importAll = (dir: string) => {
  for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv', 'nps.csv', 'history.json']) {
    const r = cli(dir, 'import', join(FIXTURES, f));
    expect(r).toMatchObject({ code: 0 });
  }
};

describe('advocacy CLI', () => {
  const emptyDir = useTempDirs('advocacy-cli-');
  const setUpDir = useDataDirTemplate('advocacy-cli-', (dir) => expect(cli(dir, 'asks', '--json')).toMatchObject({ code: 0, out: '[]\n' }));
  const importedDir = useDataDirTemplate('advocacy-cli-imported-', importAll);

  it('when files are imported and scanned with --json, then one document lists every decision with its reasons and task', () => {
    const dir = setUpDir();
    importAll(dir);
    const r = cli(dir, 'scan', '--as-of', '2026-11-24', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ asOf: '2026-11-24', criteriaVersion: '2026-11-01.1', summary: { evaluated: 3 } });
    const byAccount = Object.fromEntries(doc.decisions.map((d: { accountId: string }) => [d.accountId, d]));
    expect(byAccount['a-100']).toMatchObject({ decision: 'propose', contactId: 'c-101', askType: 'review', taskId: expect.stringMatching(/^task-/) });
    expect(byAccount['a-300'].decision).toBe('not_ready');
    expect(byAccount['a-300'].reasons.map((x: { code: string }) => x.code)).toEqual(expect.arrayContaining(['HEALTH_BELOW_MIN', 'TENURE_TOO_SHORT', 'NO_OWNER']));
    expect(byAccount['a-100'].readiness.contributions.length).toBeGreaterThan(0);
  });

  it('when the same date is scanned twice, then the second run creates nothing new and reports the same tasks', () => {
    const dir = importedDir();
    const first = JSON.parse(cli(dir, 'scan', '--as-of', '2026-11-24', '--json').out);
    const second = JSON.parse(cli(dir, 'scan', '--as-of', '2026-11-24', '--json').out);
    expect(second.decisions).toEqual(first.decisions);
    const asks = cli(dir, 'asks', '--json');
    expect(JSON.parse(asks.out).filter((a: { source: string }) => a.source === 'scan')).toHaveLength(first.summary.proposed);
  });

  it('when an outcome is recorded and the log verified, then the ask moves and the chain holds', () => {
    const dir = importedDir();
    const doc = JSON.parse(cli(dir, 'scan', '--as-of', '2026-11-24', '--json').out);
    expect(doc.summary.proposed).toBeGreaterThan(0);
    const asks = JSON.parse(cli(dir, 'asks', '--json', '--status', 'proposed').out);
    const askId = asks[0].askId;
    expect(cli(dir, 'outcome', askId, 'sent')).toMatchObject({ code: 0, out: expect.stringContaining('is now sent') });
    const invalid = cli(dir, 'outcome', askId, 'completed');
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/INVALID_TRANSITION|can move to/);
    expect(cli(dir, 'log', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('hash chain verified') });
    const log = cli(dir, 'log', '--account', 'a-100');
    expect(log.out).toMatch(/candidate.evaluated/);
    expect(log.out).toMatch(/ask.transitioned/);
  });

  it('when arguments are bad, then the exit code is 2 and the message names the problem', () => {
    const dir = setUpDir();
    expect(cli(dir, 'scan', '--as-of', '2026-13-01')).toMatchObject({ code: 2, err: expect.stringContaining('--as-of') });
    expect(cli(dir, 'report', '--months', 'many')).toMatchObject({ code: 2, err: expect.stringContaining('--months') });
    expect(cli(dir, 'outcome', 'ask-1', 'won')).toMatchObject({ code: 2, err: expect.stringContaining('STATUS') });
    expect(cli(dir, 'outcome', 'ask-1', 'completed', '--consent-scope', 'quote')).toMatchObject({ code: 2, err: expect.stringContaining('--evidence') });
    expect(cli(dir, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command') });
    expect(cli(dir, 'import')).toMatchObject({ code: 2, err: expect.stringContaining('file') });
  });

  it('when a bad file is imported, then the exit code is 1 and each bad row is listed', () => {
    const dir = setUpDir();
    const r = cli(dir, 'import', join(FIXTURES, 'accounts-bad.csv'), '--kind', 'accounts');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/accounts line 2, column health_score/);
    expect(r.err).toMatch(/accounts line 4, column csat/);
  });

  it('when the API would serve beyond this machine without API_TOKEN, then it refuses to start', () => {
    const dir = setUpDir();
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', '0'], { env: { PATH: process.env.PATH, DATA_DIR: dir, LOG_LEVEL: 'silent', HOST: '0.0.0.0' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/set API_TOKEN/);
  });

  it('when the criteria file is invalid, then start-up stops listing every problem with its path', () => {
    const dir = setUpDir();
    const criteria = join(dir, 'criteria.json');
    writeFileSync(criteria, JSON.stringify({ version: '', eligibility: { minNps: 11 } }));
    const r = spawnSync(process.execPath, [BIN, 'scan'], { env: { PATH: process.env.PATH, DATA_DIR: dir, CRITERIA_FILE: criteria }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/eligibility\.minNps/);
    expect(r.stderr).toMatch(/version/);
  });

  it('when the main job runs on an empty store, then it seeds the demo, scans, and prints proposals, hand-offs and the report', () => {
    const dir = emptyDir();
    const r = cli(dir, 'start', '--no-serve');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Seeded the demo portfolio .*60 companies/);
    expect(r.out).toMatch(/Proposed asks/);
    expect(r.out).toMatch(/Handed off to the CSM/);
    expect(r.out).toMatch(/Advocacy pipeline, 6 months/);
    const again = cli(dir, 'start', '--no-serve');
    expect(again.out).not.toMatch(/Seeded/);
  });

  it('when a rep matches and requests a reference from the CLI, then the CSM gets one request, the deal lists it, and the report counts it', () => {
    const dir = setUpDir();
    expect(cli(dir, 'start', '--no-serve').code).toBe(0);
    expect(cli(dir, 'report').out).toMatch(/Influenced revenue: \$/);
    const deals = [...new Set((JSON.parse(cli(dir, 'asks', '--json').out) as Array<{ dealId: string | null }>).map((a) => a.dealId).filter(Boolean))] as string[];
    expect(deals.length).toBeGreaterThan(0);
    let dealId = '';
    let match: { need: { askType: string }; matches: Array<{ contactId: string; matched: unknown[] }>; explanation: string | null } | null = null;
    for (const d of deals) {
      const r = cli(dir, 'references', 'match', '--deal', d, '--json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc.matches.length > 0 || typeof doc.explanation === 'string').toBe(true);
      if (doc.matches.length) {
        [dealId, match] = [d, doc];
        break;
      }
    }
    expect(match).not.toBeNull();
    expect(match!.need.askType).toBe('reference_call');
    expect(match!.matches[0].matched.length).toBeGreaterThan(0);
    const contact = match!.matches[0].contactId;

    const first = cli(dir, 'references', 'request', '--deal', dealId, '--contact', contact, '--json');
    expect(first.code).toBe(0);
    const request = JSON.parse(first.out).request;
    expect(request).toMatchObject({ status: 'requested', contactId: contact, overdue: false });
    // The same request again is the same request, not a second task for the CSM.
    expect(JSON.parse(cli(dir, 'references', 'request', '--deal', dealId, '--contact', contact, '--json').out).request.askId).toBe(request.askId);
    const listed = JSON.parse(cli(dir, 'references', 'list', '--deal', dealId, '--json').out).requests.filter((q: { askId: string }) => q.askId === request.askId);
    expect(listed).toHaveLength(1);
    // The requested advocate is no longer offered while the request is pending.
    expect(JSON.parse(cli(dir, 'references', 'match', '--deal', dealId, '--json').out).matches.map((m: { contactId: string }) => m.contactId)).not.toContain(contact);
    const report = JSON.parse(cli(dir, 'report', '--json').out);
    expect(report.references.serviceLevels.requests).toBeGreaterThanOrEqual(1);
    expect(report.references.loadPerAdvocate.some((a: { contactId: string }) => a.contactId === contact)).toBe(true);
  });

  it('when reference arguments are bad, then exit 2 names the flag, and an unknown deal exits 1', () => {
    const dir = setUpDir();
    expect(cli(dir, 'references', 'match')).toMatchObject({ code: 2, err: expect.stringContaining('--deal') });
    expect(cli(dir, 'references', 'request', '--deal', 'd-1')).toMatchObject({ code: 2, err: expect.stringContaining('--contact') });
    expect(cli(dir, 'start', '--no-serve').code).toBe(0);
    expect(cli(dir, 'references', 'match', '--deal', 'deal-nope')).toMatchObject({ code: 1, err: expect.stringContaining('no deal deal-nope') });
    const deal = (JSON.parse(cli(dir, 'asks', '--json').out) as Array<{ dealId: string | null }>).find((a) => a.dealId)!.dealId!;
    expect(cli(dir, 'references', 'match', '--deal', deal, '--due', '2026-02-30')).toMatchObject({ code: 2, err: expect.stringContaining('--due') });
    expect(cli(dir, 'references', 'match', '--deal', deal, '--ask-type', 'podcast')).toMatchObject({ code: 2, err: expect.stringContaining('--ask-type') });
  });
});
