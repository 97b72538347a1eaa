import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every design the exporters are proven on: our fixtures plus every example (new examples are picked up). */
export function exportDesigns(): { name: string; topology: Topology }[] {
  const out: { name: string; topology: Topology }[] = [];
  for (const folder of ['test/fixtures/export', 'examples']) {
    let files: string[];
    try {
      files = readdirSync(join(ROOT, folder)).filter((f) => f.endsWith('.topolab.json')).sort();
    } catch {
      continue; // examples/ may not exist yet
    }
    for (const file of files) {
      out.push({ name: `${folder}/${file}`, topology: parseTopology(readFileSync(join(ROOT, folder, file), 'utf8')) });
    }
  }
  return out;
}
