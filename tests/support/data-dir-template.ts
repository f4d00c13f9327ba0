import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A data folder made once for a test file by `make` (say, the real CLI run on an empty folder,
 * which creates and migrates the store), and a fresh copy of it for each test that asks: the
 * copy is the state `make` left, without paying again for what it took. Call at describe level;
 * the folder and its copies are removed afterwards.
 */
export function useDataDirTemplate(prefix: string, make: (dir: string) => void): () => string {
  let template = '';
  const copies: string[] = [];
  beforeAll(() => {
    template = mkdtempSync(join(tmpdir(), `${prefix}template-`));
    make(template);
  });
  afterEach(() => {
    for (const d of copies.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  afterAll(() => {
    if (template) rmSync(template, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    copies.push(dir);
    cpSync(template, dir, { recursive: true });
    return dir;
  };
}
