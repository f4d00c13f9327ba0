import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';

// HubSpot's own check of the cards: `hs project lint` from the official CLI, run on the project
// as it is uploaded (hsproject.json + extension/). The CLI lints each card folder with the
// eslint config found there (HubSpot's 2026.03 config, kept in cards/eslint.config.js because
// the CLI cannot download it offline) and the packages installed there: the copy's
// extension/app/cards/node_modules points at this checkout's node_modules, where cards/package.json's
// devDependencies are installed with the same versions.

const ROOT = join(__dirname, '../../..');
const HS = join(ROOT, 'node_modules/@hubspot/cli/bin/hs.js');
const run = promisify(execFile);

async function hsProjectLint(projectDir: string): Promise<{ code: number; output: string }> {
  // Under `npm test`, npm's own variables (INIT_CWD, npm_config_local_prefix, ...) would make the
  // CLI look for the project in this checkout, whose card folders have no node_modules.
  const fromNpm = (k: string) => k === 'INIT_CWD' || k.toLowerCase().startsWith('npm_');
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !fromNpm(k))), HOME: projectDir, NO_UPDATE_NOTIFIER: '1' };
  try {
    const { stdout, stderr } = await run(process.execPath, [HS, 'project', 'lint', '--install-missing-deps=false'], { cwd: projectDir, env, timeout: 180_000 });
    return { code: 0, output: stripVTControlCharacters(stdout + stderr) };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: stripVTControlCharacters(`${e.stdout ?? ''}${e.stderr ?? ''}`) };
  }
}

describe('hs project lint', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'hs-lint-'));
    cpSync(join(ROOT, 'hsproject.json'), join(project, 'hsproject.json'));
    cpSync(join(ROOT, 'extension'), join(project, 'extension'), { recursive: true });
    // Both folders HubSpot bundles: the cards and the app pages (the program dashboard).
    for (const folder of ['cards', 'pages']) symlinkSync(join(ROOT, 'node_modules'), join(project, `extension/app/${folder}/node_modules`), 'dir');
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('when HubSpot lints the built project, then the cards and the app pages pass with no error and no warning', async () => {
    const { code, output } = await hsProjectLint(project);
    expect({ code, passed: output.includes('Linting passed in 2 directories'), problems: output.match(/^.*\b(error|warning)\b.*$/gim) ?? [] }).toEqual({
      code: 0,
      passed: true,
      problems: [],
    });
  }, 200_000);

  it('when a card updates a ref during render and writes a bare apostrophe, then HubSpot lint fails naming both rules', async () => {
    writeFileSync(
      join(project, 'extension/app/cards/components/Broken.tsx'),
      [
        "import { useRef } from 'react';",
        "import { Text } from '@hubspot/ui-extensions';",
        'export function Broken({ value }: { value: string }) {',
        '  const latest = useRef(value);',
        '  latest.current = value;',
        "  return <Text>It's {value}</Text>;",
        '}',
        '',
      ].join('\n'),
    );
    const { code, output } = await hsProjectLint(project);
    expect(code).not.toBe(0);
    expect(output).toContain('react-hooks/refs');
    expect(output).toContain('react/no-unescaped-entities');
    expect(output).toContain('Linting failed in 1 directory');
  }, 200_000);
});
