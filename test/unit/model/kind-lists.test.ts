import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_KINDS } from '../../../core/model/index.js';

/**
 * No list of node kinds is written by hand outside core/model/kinds/: knowledge about a
 * kind lives in its descriptor, and every other list is derived (kindsWhere, the traits,
 * each layer's table typed over every kind). This test reads the source and fails on a new
 * hand-written list: an array or set literal naming two kinds or more, a condition comparing
 * `.kind` with two kinds or more, or case labels of two kinds falling through to one body.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const FOLDERS = ['core', 'renderer', 'electron'];
const EXEMPT = join('core', 'model', 'kinds');
/**
 * Lists that name kinds' words but are not lists of node kinds, each with why. Keep this
 * short: a new entry needs a reason a reviewer accepts.
 */
const NOT_KIND_LISTS = new Map<string, string>([
  // The runtime's service implementations; three share a kind's name, the others (backend,
  // command, l7-/l4-balancer) do not, and a kind maps to a role through its planner.
  ['core/api/contract/lab-results.ts: list of reverse-proxy, cache, forward-proxy', 'service roles'],
]);

const quoted = new RegExp(`'(${NODE_KINDS.map((k) => k.replace(/-/g, '\\-')).join('|')})'`, 'g');
const comparison = new RegExp(`kind\\s*[!=]==\\s*'(${NODE_KINDS.join('|')})'`, 'g');
const caseLabel = new RegExp(`^\\s*case '(${NODE_KINDS.join('|')})':\\s*$`);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && relative(ROOT, path) !== EXEMPT) out.push(...sources(path));
    } else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every hand-written kind list in one file's text, as `line: what`. */
function kindLists(text: string): string[] {
  const found: string[] = [];
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  // Array and set literals: the innermost brackets naming two kinds or more.
  for (const match of text.matchAll(/\[[^[\]]*\]/g)) {
    const kinds = new Set([...match[0].matchAll(quoted)].map((m) => m[1]));
    if (kinds.size >= 2) found.push(`${lineOf(match.index)}: list of ${[...kinds].join(', ')}`);
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const kinds = new Set([...line.matchAll(comparison)].map((m) => m[1]));
    if (kinds.size >= 2) found.push(`${i + 1}: comparison with ${[...kinds].join(', ')}`);
    // `case 'a':` directly followed by `case 'b':` is a kind list sharing one body.
    if (caseLabel.test(line) && caseLabel.test(lines[i + 1] ?? '')) found.push(`${i + 1}: case labels ${line.trim()} ${lines[i + 1]?.trim()}`);
  });
  return found;
}

describe('kind lists', () => {
  it('finds the shapes it looks for (so a pass means something)', () => {
    expect(kindLists("const A = new Set(['server', 'cache']);")).toHaveLength(1);
    expect(kindLists("if (node.kind === 'vpc' || node.kind === 'subnet') x();")).toHaveLength(1);
    expect(kindLists("switch (k) {\n  case 'vpc':\n  case 'subnet':\n    return 1;\n}")).toHaveLength(1);
    expect(kindLists("if (node.kind === 'vpc') x(['http', 'tcp']);")).toEqual([]);
  });

  it('none is written by hand outside core/model/kinds/', () => {
    const offenders: string[] = [];
    for (const folder of FOLDERS) {
      for (const file of sources(join(ROOT, folder))) {
        for (const hit of kindLists(readFileSync(file, 'utf8'))) {
          const where = relative(ROOT, file).split('\\').join('/');
          if (!NOT_KIND_LISTS.has(`${where}: ${hit.replace(/^\d+: /, '')}`)) offenders.push(`${where}:${hit}`);
        }
      }
    }
    expect(offenders, 'derive the list from the kind descriptors (kindsWhere, KIND_TRAITS) or a table typed over every kind').toEqual([]);
  });
});
