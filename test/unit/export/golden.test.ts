import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, renderExport } from '../../../core/export/index.js';
import { exportDesigns, ROOT } from './designs.js';

/**
 * Golden files: test/golden/<design>/<format>/<file> plus report.json. `UPDATE_GOLDEN=1`
 * rewrites them; review the diff like any code change.
 */
const GOLDEN = join(ROOT, 'test', 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';

function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
  } catch {
    return [];
  }
  return entries.sort();
}

describe.each(exportDesigns())('$name', ({ name, topology }) => {
  it.each(EXPORT_FORMATS)('%s matches its golden files and is deterministic', (format) => {
    const result = renderExport(topology, format);
    const again = renderExport(structuredClone(topology), format);
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
    const dir = join(GOLDEN, name, format);
    const expected = [...result.files.map((f) => ({ path: f.path, content: f.content })), { path: 'report.json', content: `${JSON.stringify(result.report, null, 2)}\n` }];
    if (update) {
      rmSync(dir, { recursive: true, force: true });
      for (const file of expected) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.content);
      }
    }
    expect(listFiles(dir), `golden files of ${name}/${format} (run with UPDATE_GOLDEN=1 to create them)`).toEqual(expected.map((f) => f.path).sort());
    for (const file of expected) {
      const hint = `${name}/${format}/${file.path} differs; if the design or the exporter changed on purpose, run UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/export/golden.test.ts and review the diff`;
      expect(file.content, hint).toBe(readFileSync(join(dir, file.path), 'utf8'));
    }
  });
});
