import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Our export fixtures plus every example (new examples are covered without touching the tests). */
export function exportDesigns(): { name: string; topology: Topology }[] {
  const out: { name: string; topology: Topology }[] = [];
  for (const folder of ['test/fixtures/export', 'examples']) {
    let files: string[];
    try {
      files = readdirSync(join(ROOT, folder)).filter((f) => f.endsWith('.topolab.json')).sort();
    } catch {
      continue;
    }
    for (const file of files) out.push({ name: file.replace(/\.topolab\.json$/, ''), topology: parseTopology(readFileSync(join(ROOT, folder, file), 'utf8')) });
  }
  return out;
}

/** One fixture by file name (without `.topolab.json`). */
export function fixture(name: string): Topology {
  return parseTopology(readFileSync(join(ROOT, 'test/fixtures/export', `${name}.topolab.json`), 'utf8'));
}
