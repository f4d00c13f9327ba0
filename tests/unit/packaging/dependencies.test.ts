import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';

// What a production install (`npm ci --omit=dev`) gets is package.json's "dependencies" alone:
// these checks keep that list exactly what the backend runs, and .ci/production-start proves
// the install then builds and starts.

const ROOT = join(__dirname, '../../..');

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const rootPackage = readJson<PackageJson>(join(ROOT, 'package.json'));
const cardsPackage = readJson<PackageJson>(join(ROOT, 'cards/package.json'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|tsx|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The packages the files under `dirs` import or require, by package name (TypeScript's own scanner). */
function importedPackages(dirs: string[], except: (file: string) => boolean = () => false): Set<string> {
  const builtins = new Set(builtinModules);
  const packages = new Set<string>();
  for (const file of dirs.flatMap((d) => sourceFiles(join(ROOT, d))).filter((f) => !except(f))) {
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue;
      packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return packages;
}

/** The binaries a package installs (node_modules/.bin), by name. */
function binariesOf(name: string): string[] {
  const { bin } = readJson<PackageJson>(join(ROOT, 'node_modules', name, 'package.json'));
  if (bin === undefined) return [];
  return typeof bin === 'string' ? [name.split('/').pop() as string] : Object.keys(bin);
}

const scriptWords = new Set(Object.values(rootPackage.scripts ?? {}).flatMap((s) => s.split(/[\s&|;]+/)));

describe('the backend package', () => {
  it('when a production dependency is listed, then backend/src imports it or a package.json script runs its binary', () => {
    const imported = importedPackages(['backend/src', 'bin']);
    const unused = Object.keys(rootPackage.dependencies ?? {}).filter(
      (name) => !imported.has(name) && !binariesOf(name).some((b) => scriptWords.has(b)),
    );
    expect(unused).toEqual([]);
  });

  it('when backend/src or bin imports a package, then it is a production dependency, so a production install has it', () => {
    const missing = [...importedPackages(['backend/src', 'bin'])].filter((name) => !(name in (rootPackage.dependencies ?? {})));
    expect(missing).toEqual([]);
  });

  it('when the cards import a package, then it lives in cards/package.json and not among the backend production dependencies', () => {
    // eslint.config.js is HubSpot's lint tooling (cards/package.json devDependencies), not card code.
    const cardImports = [...importedPackages(['cards'], (file) => file.endsWith('eslint.config.js'))];
    expect(cardImports.filter((name) => !(name in (cardsPackage.dependencies ?? {})))).toEqual([]);
    expect(Object.keys(cardsPackage.dependencies ?? {}).filter((name) => name in (rootPackage.dependencies ?? {}))).toEqual([]);
  });

  it('when the card tests run at the root, then they use the very versions cards/package.json gives HubSpot', () => {
    const rootVersions: Record<string, string> = { ...rootPackage.dependencies, ...rootPackage.devDependencies };
    const differing = Object.entries({ ...cardsPackage.dependencies, ...cardsPackage.devDependencies }).filter(
      ([name, version]) => rootVersions[name] !== version,
    );
    expect(differing).toEqual([]);
  });

  it('when a locked package has an install script, then allowScripts records a decision for it (no unreviewed script runs)', () => {
    const lock = readJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>(join(ROOT, 'package-lock.json'));
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => typeof rootPackage.allowScripts?.[name] !== 'boolean')).toEqual([]);
  });
});
