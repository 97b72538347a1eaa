/**
 * The generated parser (core/model/fast-parse.generated.ts) against zod: on every example
 * and fixture, and on thousands of seeded random edits of them (wrong types, values out of
 * range, unknown and missing fields, reordered fields, broken references), it must accept
 * only what zod accepts and return the same value, byte for byte once serialized.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST_PARSE_PATH, renderFastParse } from '../../../build/scripts/emit-fast-parse.js';
import { fastLoadTopologyValue } from '../../../core/model/fast-load.js';
import { safeParseTopologyValue } from '../../../core/model/load.js';
import { TopologySchema } from '../../../core/model/schema.js';
import { seededRandom } from '../../support/random.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function designFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? designFiles(join(dir, entry.name)) : entry.name.endsWith('.topolab.json') ? [join(dir, entry.name)] : [],
  );
}
const SEEDS = [...designFiles('examples'), ...designFiles('test/fixtures')].map((file) => ({ file, value: JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as unknown }));

/** zod's verdict on a document (the schema marker is topolab/1 in every seed). */
function zodParse(value: unknown): { ok: true; text: string } | { ok: false } {
  const parsed = TopologySchema.safeParse(value);
  return parsed.success ? { ok: true, text: JSON.stringify(parsed.data) } : { ok: false };
}

/**
 * The fast parser accepts only what zod accepts, returning the same value with its fields
 * in the same order; loading (fast, else zod) always gives zod's result. The fast parser
 * may leave a valid document to zod (an own "__proto__" key, which zod drops); returns
 * whether zod and the fast parser accepted.
 */
function expectSameVerdict(value: unknown, label: string): { zod: boolean; fast: boolean } {
  const zod = zodParse(value);
  const fast = fastLoadTopologyValue(value);
  if (fast) {
    expect(zod.ok, `${label}: fast accepts what zod refuses`).toBe(true);
    if (zod.ok) expect(JSON.stringify(fast.topology), label).toBe(zod.text);
  }
  else if (zod.ok) {
    // Left to zod: loading still accepts it, with zod's value.
    const loaded = safeParseTopologyValue(value);
    expect(loaded.ok && JSON.stringify(loaded.topology), label).toBe(zod.text);
  }
  return { zod: zod.ok, fast: fast !== undefined };
}

const ODD_VALUES: unknown[] = [null, 0, -1, 1, 1.5, 7, 65535, 65536, 2 ** 53, '', 'x', 'a b', '/x', '10.0.0.0/24', 'x'.repeat(129), 'x'.repeat(3000), [], ['a'], {}, { x: 1 }, true, false, 'round-robin', 'aws'];

/** Every object and array inside a value, with a way to edit it. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (value && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

/** One random edit somewhere in the document. */
function mutate(doc: unknown, random: () => number): void {
  const all = containers(doc);
  const target = all[Math.floor(random() * all.length)]!;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const keys = Object.keys(target);
  const roll = random();
  if (Array.isArray(target)) {
    if (roll < 0.3 && target.length > 0) target.splice(Math.floor(random() * target.length), 1);
    else if (roll < 0.6 && target.length > 0) target.push(structuredClone(pick(target)));
    else if (target.length > 0) target[Math.floor(random() * target.length)] = structuredClone(pick(ODD_VALUES));
    return;
  }
  if (roll < 0.2 && keys.length > 0) delete target[pick(keys)];
  else if (roll < 0.3) {
    // An own property, as JSON.parse makes one (even for "__proto__").
    const key = pick(['extra', 'kind', 'id', 'parent', 'name', 'weight', 'port', 'layer', 'routes', 'subnets', '__proto__']);
    Object.defineProperty(target, key, { value: structuredClone(pick(ODD_VALUES)), enumerable: true, writable: true, configurable: true });
  }
  else if (roll < 0.45) {
    // Same fields, another order.
    const entries = Object.entries(target).reverse();
    for (const key of keys) delete target[key];
    for (const [key, value] of entries) target[key] = value;
  } else if (keys.length > 0) target[pick(keys)] = structuredClone(pick(ODD_VALUES));
}

describe('the generated fast parser', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing core/model/schema.ts)', () => {
    expect(readFileSync(FAST_PARSE_PATH, 'utf8')).toBe(renderFastParse());
  });

  it('accepts every example and fixture, returning what zod returns', () => {
    expect(SEEDS.length).toBeGreaterThan(10);
    for (const { file, value } of SEEDS) expect(expectSameVerdict(value, file), file).toEqual({ zod: true, fast: true });
  });

  it('agrees with zod on 1,500 seeded random edits of them', () => {
    let accepted = 0;
    let fast = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const random = seededRandom(seed);
      const { file, value } = SEEDS[seed % SEEDS.length]!;
      const doc = structuredClone(value);
      const edits = 1 + Math.floor(random() * 3);
      for (let i = 0; i < edits; i++) mutate(doc, random);
      const verdict = expectSameVerdict(doc, `${file} seed ${seed}`);
      if (verdict.zod) accepted++;
      if (verdict.fast) fast++;
    }
    // Both verdicts occur often, so the comparison means something either way.
    expect(accepted).toBeGreaterThan(150);
    expect(accepted).toBeLessThan(1350);
    // The fast parser leaves few valid documents to zod.
    expect(fast / accepted).toBeGreaterThan(0.97);
    // CPU-bound (thousands of zod runs): a 2-core machine shared by several test runs needs the room.
  }, 30_000);

  it('returns the input objects themselves when nothing changes, and fills defaults like zod', () => {
    const doc = { schema: 'topolab/1', name: 'n', provider: 'aws', nodes: [{ id: 'v', kind: 'vpc', cidr: '10.0.0.0/16' }], edges: [], layout: {} };
    const loaded = fastLoadTopologyValue(doc)!;
    expect(loaded.topology).toBe(doc);
    const sparse = { nodes: [{ kind: 'route-table', id: 'rt' }], schema: 'topolab/1' };
    expect(JSON.stringify(fastLoadTopologyValue(structuredClone(sparse))!.topology)).toBe(JSON.stringify(TopologySchema.parse(sparse)));
    expect(fastLoadTopologyValue(sparse)!.topology).toEqual({ schema: 'topolab/1', name: 'Untitled', provider: 'aws', nodes: [{ id: 'rt', kind: 'route-table', subnets: [], routes: [] }], edges: [], layout: {} });
  });

  it('leaves every refusal to zod, so load errors keep naming each problem', () => {
    const result = safeParseTopologyValue({ schema: 'topolab/1', nodes: [{ id: 'a', kind: 'vpc', cidr: '10.0.0.0/16', parent: 'nowhere' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues).toEqual([{ path: 'nodes[0].parent (node "a")', message: 'parent "nowhere" is not a node of this topology' }]);
  });
});
