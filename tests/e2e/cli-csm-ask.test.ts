import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

// The real `advocacy` command recording an ask the CSM made directly, and naming who did it.

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/advocacy.js');
const FIXTURES = join(ROOT, 'tests/fixtures/import');

function cli(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('advocacy csm-ask and who did it', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'advocacy-csm-'));
    for (const f of ['owners.csv', 'accounts.csv', 'contacts.csv', 'nps.csv']) expect(cli(dir, 'import', join(FIXTURES, f))).toMatchObject({ code: 0 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when the CSM records their own ask, then it is a sent CSM-owned ask, audited as --actor or else the OS user, and the same ask again is not a second one', () => {
    const first = cli(dir, 'csm-ask', 'a-100', '--type', 'review', '--contact', 'c-101', '--on', '2020-01-15', '--note', 'asked at the QBR', '--actor', 'dana');
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/^recorded: review ask ask-[0-9a-f]{16} to .+ on 2020-01-15, CSM-owned, now sent\n$/);
    expect(cli(dir, 'csm-ask', 'a-100', '--type', 'review', '--contact', 'c-101', '--on', '2020-01-15').out).toContain('already recorded');
    const asks = JSON.parse(cli(dir, 'asks', '--account', 'a-100', '--json').out);
    expect(asks).toHaveLength(1);
    expect(asks[0]).toMatchObject({ source: 'csm', status: 'sent', askType: 'review', contactId: 'c-101', outcomeNote: 'asked at the QBR' });

    const askId = asks[0].askId;
    expect(cli(dir, 'outcome', askId, 'accepted')).toMatchObject({ code: 0 });
    const log = JSON.parse(cli(dir, 'log', '--account', 'a-100', '--json').out) as Array<{ action: string; actor: string }>;
    expect(log.find((e) => e.action === 'ask.created')?.actor).toBe('cli:dana');
    expect(log.find((e) => e.action === 'ask.transitioned')?.actor).toBe(`cli:${userInfo().username}`);
  });

  it('when csm-ask misses its type, names an unknown contact or a bad --actor, then it says what is wrong and stores nothing', () => {
    const noType = cli(dir, 'csm-ask', 'a-100', '--contact', 'c-101');
    expect(noType.code).toBe(2);
    expect(noType.err).toContain('--type is required');
    const stranger = cli(dir, 'csm-ask', 'a-100', '--type', 'quote', '--contact', 'c-999');
    expect(stranger.code).toBe(1);
    expect(stranger.err).toContain('no contact c-999 at account a-100');
    const badActor = cli(dir, 'csm-ask', 'a-100', '--type', 'quote', '--contact', 'c-101', '--actor', 'two words');
    expect(badActor.code).toBe(2);
    expect(badActor.err).toContain('--actor must be');
    expect(JSON.parse(cli(dir, 'asks', '--json').out)).toHaveLength(0);
  });
});
