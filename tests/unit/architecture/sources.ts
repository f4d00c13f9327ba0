import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// Reads the project's own sources with the TypeScript parser (no regex over comments): the
// string literals each file holds and the relative imports it makes.

export const ROOT = resolve(__dirname, '../../..');

export interface SourceFile {
  /** Path from the project root, with forward slashes. */
  path: string;
  /** Every string and template literal, a template's substitutions shown as ${}. */
  literals: string[];
  /** Project files this one imports (type-only imports included: they are dependencies too). */
  imports: string[];
  text: string;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'sfdx') walk(path, out);
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

export function readSources(dirs: string[]): SourceFile[] {
  return dirs
    .flatMap((d) => walk(join(ROOT, d), []))
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      const literals: string[] = [];
      const imports: string[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.push(node.text);
        else if (ts.isTemplateExpression(node)) literals.push(node.head.text + node.templateSpans.map((s) => '${}' + s.literal.text).join(''));
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
          const spec = node.moduleSpecifier.text;
          const target = spec.startsWith('.') ? resolveImport(file, spec) : null;
          if (target) imports.push(relative(ROOT, target).split('\\').join('/'));
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
      return { path: relative(ROOT, file).split('\\').join('/'), literals, imports, text };
    });
}
