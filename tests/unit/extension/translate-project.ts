import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// @hubspot/project-parsing-lib is ESM only; jest here runs CommonJS, so HubSpot's parser runs
// in a child Node process and hands back what the tests need as JSON.

export interface Translated {
  nodes: Record<string, { componentType: string; config: Record<string, unknown>; componentDeps: Record<string, unknown>; metaFilePath: string }>;
  skippedHsMetaFiles: string[];
  profileVariables: Record<string, { variableType: string; value: unknown }>;
}

const SCRIPT = `
import { translate } from '@hubspot/project-parsing-lib/translate';
const [projectSourceDir, platformVersion, profile] = process.argv.slice(1);
const result = await translate({ projectSourceDir, platformVersion }, { skipValidation: true, ...(profile ? { profile } : {}) });
const ir = result.intermediateRepresentation;
process.stdout.write(JSON.stringify({
  nodes: ir.intermediateNodesIndexedByUid,
  skippedHsMetaFiles: result.skippedHsMetaFiles,
  profileVariables: ir.profileData?.vars.profileVariables ?? {},
}));
`;

export function translateProject(projectSourceDir: string, platformVersion: string, profile?: string): Translated {
  const repoRoot = join(__dirname, '../../..');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, projectSourceDir, platformVersion, profile ?? ''], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as Translated;
}

/** Whether HubSpot's parser (and so `hs`, which warns otherwise) knows `platformVersion`. */
export function isKnownPlatformVersion(platformVersion: string): boolean {
  const script = `import { isKnownPlatformVersion } from '@hubspot/project-parsing-lib/projects';
process.stdout.write(JSON.stringify(isKnownPlatformVersion(process.argv[1])));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, platformVersion], {
    cwd: join(__dirname, '../../..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HUBSPOT_PROJECT_INTERNAL_TEST: '' },
  });
  return JSON.parse(out) as boolean;
}
