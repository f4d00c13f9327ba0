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
