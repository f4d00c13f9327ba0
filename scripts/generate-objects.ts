import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../backend/src/config/package-root';
import { loadObjectDefinition } from '../objects/object-definition';
import { salesforceMetadata } from '../objects/salesforce-metadata';

// Writes the Salesforce SFDX source generated from objects/advocacy-ask.json into
// objects/sfdx/. Run after editing the definition: npm run generate:objects

export const SFDX_DIR = join(packageRoot(__dirname), 'objects/sfdx');

export function generateObjects(outDir: string = SFDX_DIR): string[] {
  const files = salesforceMetadata(loadObjectDefinition());
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
  return [...files.keys()];
}

if (require.main === module) {
  const written = generateObjects();
  process.stdout.write(`wrote ${written.length} files to objects/sfdx/\n`);
}
