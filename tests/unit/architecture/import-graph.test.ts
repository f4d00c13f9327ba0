import { readSources, type SourceFile } from './sources';

// The layers, lowest first. A file may import its own layer or a lower one, never a higher
// one, and the import graph has no cycle (type-only imports count: they are dependencies too).
// README "Architecture" draws the same picture.
const LAYERS: Array<{ name: string; paths: string[] }> = [
  { name: 'domain: pure rules and the object definition', paths: ['backend/src/domain/', 'objects/object-definition.ts'] },
  { name: 'config: the environment schema and criteria loading', paths: ['backend/src/config/'] },
  { name: 'store: the store port and its pg implementation', paths: ['backend/src/store/'] },
  { name: 'crm and notify: the CRM port and the notifier port, their adapters, and the vendor metadata generated from the object', paths: ['backend/src/crm/', 'backend/src/notify/', 'objects/'] },
  { name: 'application: use cases, jobs, import, demo data', paths: ['backend/src/use-cases/', 'backend/src/jobs/', 'backend/src/import/', 'backend/src/demo/'] },
  { name: 'delivery: HTTP routes and the running service', paths: ['backend/src/http/', 'backend/src/service/'] },
  { name: 'composition root', paths: ['backend/src/app-context.ts'] },
  { name: 'entry points: the CLI', paths: ['backend/src/cli/'] },
];

/** The layer of a file: the longest matching path wins (objects/object-definition.ts is below the rest of objects/). */
function layerOf(path: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((layer, i) => {
    for (const p of layer.paths) if (path.startsWith(p) && p.length > bestLength) [best, bestLength] = [i, p.length];
  });
  return best;
}

function cycles(files: SourceFile[]): string[][] {
  const graph = new Map(files.map((f) => [f.path, f.imports.filter((i) => layerOf(i) >= 0)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph', () => {
  const files = readSources(['backend/src', 'objects']);

  it('when the sources are read, then every file has a layer and the checks see real imports (so they can fail)', () => {
    expect(files.filter((f) => layerOf(f.path) < 0).map((f) => f.path)).toEqual([]);
    expect(files.find((f) => f.path === 'backend/src/app-context.ts')!.imports).toContain('backend/src/store/pg-store.ts');
    const [a, b] = ['backend/src/domain/a.ts', 'backend/src/domain/b.ts'];
    expect(cycles([{ path: a, literals: [], imports: [b], text: '' }, { path: b, literals: [], imports: [a], text: '' }])).toEqual([[a, b]]);
  });

  it('when every import is followed, then no file reaches back to itself', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('when every import is checked against the layers, then none goes up', () => {
    const upward = files.flatMap((f) =>
      f.imports.filter((i) => layerOf(i) > layerOf(f.path)).map((i) => `${f.path} (${LAYERS[layerOf(f.path)].name}) -> ${i} (${LAYERS[layerOf(i)].name})`),
    );
    expect(upward).toEqual([]);
  });

  it('when the sources are read, then only the composition root knows which CRM class it built, and no state hangs off the database', () => {
    expect(files.filter((f) => f.path !== 'backend/src/app-context.ts' && /\binstanceof\s+SalesforceCrm\b/.test(f.text)).map((f) => f.path)).toEqual([]);
    expect(files.filter((f) => /^(export\s+)?const\s+\w+\s*=\s*new\s+WeakMap\b/m.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
