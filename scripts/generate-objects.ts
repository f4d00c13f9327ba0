import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../backend/src/config/package-root';
import { salesforceFieldMapSchema } from '../backend/src/crm/salesforce/field-map';
import { loadObjectDefinition } from '../objects/object-definition';
import { defaultPackageOptions, HAND_WRITTEN_DIRS, salesforceMetadata, type SalesforcePackageOptions } from '../objects/salesforce-metadata';

// Writes the Salesforce package generated from objects/advocacy-ask.json into objects/sfdx/
// (npm run generate:objects after editing the definition). The hand-written Apex in
// force-app/main/default/classes/ is kept (and copied when writing elsewhere); everything else
// is replaced. For an org whose health or NPS fields have other names, or to bake in the
// backend's URL: npm run generate:objects -- --field-map my-map.json --backend-url https://... --out my-sfdx

export const SFDX_DIR = join(packageRoot(__dirname), 'objects/sfdx');

export function generateObjects(outDir: string = SFDX_DIR, options: SalesforcePackageOptions = defaultPackageOptions()): string[] {
  const files = salesforceMetadata(loadObjectDefinition(), options);
  // The hand-written Apex and components, read before the folder is replaced; generated files
  // (the labels module among the components) are written over them.
  const handWritten = HAND_WRITTEN_DIRS.flatMap((dir) => filesIn(SFDX_DIR, dir).filter((path) => !files.has(path)).map((path): [string, Buffer] => [path, readFileSync(join(SFDX_DIR, path))]));
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of [...handWritten, ...files]) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
  return [...files.keys()];
}

/** Every file under `dir` (relative to `root`), as `dir/...` paths. */
function filesIn(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesIn(root, `${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

export function optionsFromArgs(argv: string[]): { out: string; options: SalesforcePackageOptions } {
  const { values } = parseArgs({ args: argv, options: { 'field-map': { type: 'string' }, 'backend-url': { type: 'string' }, out: { type: 'string' } }, strict: true });
  let options = defaultPackageOptions();
  if (values['field-map']) {
    const parsed = salesforceFieldMapSchema.safeParse(JSON.parse(readFileSync(values['field-map'], 'utf8')));
    if (!parsed.success) throw new Error(`field map ${values['field-map']}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    options = defaultPackageOptions(parsed.data);
  }
  if (values['backend-url']) options = { ...options, backendUrl: values['backend-url'] };
  return { out: values.out ?? SFDX_DIR, options };
}

if (require.main === module) {
  try {
    const { out, options } = optionsFromArgs(process.argv.slice(2));
    const written = generateObjects(out, options);
    process.stdout.write(`wrote ${written.length} generated files to ${out} (Apex classes and components kept)\n`);
  } catch (err) {
    process.stderr.write(`generate:objects: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
