/**
 * The generated parser (core/model/fast-parse.generated.ts) against the full loader
 * (migrations, then zod): on every example and fixture, and on thousands of seeded random
 * edits of them (wrong types, values out of range, unknown and missing fields, reordered
 * fields, other schema markers, references that name nothing), it must accept only what the
 * loader accepts, return the same value, byte for byte once serialized, and leave every
 * older document (topolab/0) to the migrations. The references it checks are those the
 * kinds' descriptors declare.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FAST_PARSE_PATH, renderFastParse } from '../../../build/scripts/emit-fast-parse.js';
import { fastLoadTopologyValue } from '../../../core/model/fast-load.js';
import { FAST_PARSE_REFERENCES } from '../../../core/model/fast-parse.generated.js';
import { KIND_DESCRIPTORS, RESOLVING_REFERENCES, referencesOf } from '../../../core/model/kinds/index.js';
import { safeParseTopologyValue } from '../../../core/model/load.js';
import { migrateDocument } from '../../../core/model/migrations.js';
import { CURRENT_SCHEMA, TopologySchema } from '../../../core/model/schema.js';
import type { NodeKind } from '../../../core/model/kinds.js';
import { seededRandom } from '../../support/random.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function designFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? designFiles(join(dir, entry.name)) : entry.name.endsWith('.topolab.json') ? [join(dir, entry.name)] : [],
  );
}
const SEEDS = [...designFiles('examples'), ...designFiles('test/fixtures')].map((file) => ({ file, value: JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as unknown }));

/**
 * The full loader's verdict without its fast path: the migration chain, then zod (what
 * load.ts runs when the fast path gives up). `migrated`: the document was of an older version.
 */
function zodParse(value: unknown): { ok: true; text: string; migrated: boolean } | { ok: false } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false };
  const migrated = migrateDocument(value as Record<string, unknown>);
  if (!migrated.ok) return { ok: false };
  const parsed = TopologySchema.safeParse(migrated.document);
  return parsed.success ? { ok: true, text: JSON.stringify(parsed.data), migrated: migrated.from !== 1 } : { ok: false };
}

/**
 * The fast parser accepts only what the loader accepts, never an older document, and
 * returns the same value with its fields in the same order; loading (fast, else the full
 * path) always gives the full path's result. The fast parser may leave a valid document to
 * zod (an own "__proto__" key, which zod drops); returns whether each accepted.
 */
function expectSameVerdict(value: unknown, label: string): { zod: boolean; fast: boolean; migrated: boolean } {
  const zod = zodParse(value);
  const fast = fastLoadTopologyValue(value);
  // In the file's field order (what validate asks for): the same verdict and the same values.
  const inFileOrder = fastLoadTopologyValue(structuredClone(value), 'file');
  expect(inFileOrder !== undefined, `${label}: the file-order verdict differs`).toBe(fast !== undefined);
  if (fast && inFileOrder) expect(inFileOrder.topology, label).toEqual(fast.topology);
  if (fast) {
    expect(zod.ok, `${label}: fast accepts what zod refuses`).toBe(true);
    if (zod.ok) {
      expect(zod.migrated, `${label}: fast accepts an older version`).toBe(false);
      expect(JSON.stringify(fast.topology), label).toBe(zod.text);
    }
  } else if (zod.ok) {
    // Left to the full path: loading still accepts it, with zod's value, and says it migrated.
    const loaded = safeParseTopologyValue(value);
    expect(loaded.ok && JSON.stringify(loaded.topology), label).toBe(zod.text);
    expect(loaded.ok && loaded.migratedFrom !== undefined, label).toBe(zod.migrated);
  }
  return { zod: zod.ok, fast: fast !== undefined, migrated: zod.ok && zod.migrated };
}

/** A deep copy with every object's fields in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)]));
}

const ODD_VALUES: unknown[] = [null, 0, -1, 1, 1.5, 7, 65535, 65536, 2 ** 53, '', 'x', 'a b', '/x', '10.0.0.0/24', 'x'.repeat(129), 'x'.repeat(3000), [], ['a'], {}, { x: 1 }, true, false, 'round-robin', 'aws', 'topolab/0', 'topolab/2', 'ghost'];

/** Every string in a value with the container and key holding it. */
function strings(value: unknown, out: { holder: Record<string, unknown> | unknown[]; key: string | number }[] = []): typeof out {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string') out.push({ holder: value as Record<string, unknown>, key: Array.isArray(value) ? Number(key) : key });
      else strings(child, out);
    }
  }
  return out;
}

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
  if (random() < 0.15) {
    // A string (an id, a reference, the schema marker...) replaced by another node's id or by one that names nothing.
    const all = strings(doc);
    const nodes = (doc as { nodes?: unknown }).nodes;
    const ids = (Array.isArray(nodes) ? nodes : []).map((node: unknown) => (node as { id?: unknown } | null)?.id).filter((id) => typeof id === 'string');
    if (all.length > 0) {
      const { holder, key } = all[Math.floor(random() * all.length)]!;
      (holder as Record<string | number, unknown>)[key] = random() < 0.5 && ids.length > 0 ? ids[Math.floor(random() * ids.length)] : 'ghost-1';
      return;
    }
  }
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

const isCurrent = (value: unknown): boolean => (value as { schema?: unknown }).schema === CURRENT_SCHEMA;

describe('the generated fast parser', () => {
  it('is up to date with the descriptors (run `npm run schema` after changing a kind or core/model/schema.ts)', () => {
    expect(readFileSync(FAST_PARSE_PATH, 'utf8')).toBe(renderFastParse());
    // Its copy of the references to check is the descriptors' own.
    const declared = Object.fromEntries(Object.entries(RESOLVING_REFERENCES).filter(([, list]) => list.length > 0));
    expect(FAST_PARSE_REFERENCES).toEqual(declared);
  });

  it('accepts every example and fixture of this version, returning what zod returns, and leaves older ones to the migrations', () => {
    expect(SEEDS.length).toBeGreaterThan(10);
    const older = SEEDS.filter(({ value }) => !isCurrent(value));
    expect(older.map(({ file }) => file)).toEqual(['test/fixtures/migrations/nginx-two-backends-v0.topolab.json']);
    for (const { file, value } of SEEDS) {
      expect(expectSameVerdict(value, file), file).toEqual({ zod: true, fast: isCurrent(value), migrated: !isCurrent(value) });
    }
    const migrated = safeParseTopologyValue(older[0]!.value);
    expect(migrated).toMatchObject({ ok: true, migratedFrom: 0 });
  });

  it('agrees with the loader on 1,500 seeded random edits of them', () => {
    let accepted = 0;
    let current = 0;
    let fast = 0;
    let migrated = 0;
    let olderPicked = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const random = seededRandom(seed);
      const { file, value } = SEEDS[seed % SEEDS.length]!;
      if (!isCurrent(value)) olderPicked++;
      const doc = structuredClone(value);
      const edits = 1 + Math.floor(random() * 3);
      for (let i = 0; i < edits; i++) mutate(doc, random);
      const verdict = expectSameVerdict(doc, `${file} seed ${seed}`);
      if (verdict.zod) accepted++;
      if (verdict.zod && !verdict.migrated) current++;
      if (verdict.migrated) migrated++;
      if (verdict.fast) fast++;
    }
    // Both verdicts occur often, so the comparison means something either way.
    expect(accepted).toBeGreaterThan(150);
    expect(accepted).toBeLessThan(1350);
    // Older documents that the migrations accept occur too (a share of the edits of the one
    // older seed, however many seeds there are); the fast parser took none of them.
    expect(migrated).toBeGreaterThan(0);
    expect(migrated / olderPicked).toBeGreaterThan(0.05);
    // The fast parser leaves few valid documents of this version to zod.
    expect(fast / current).toBeGreaterThan(0.97);
    // CPU-bound (thousands of zod runs): a 2-core machine shared by several test runs needs the room.
  }, 30_000);

  it('checks every reference the descriptors declare: an id that names nothing is refused where the schema refuses it', () => {
    const exercised = new Set<NodeKind>();
    for (const { file, value } of SEEDS.filter(({ value }) => isCurrent(value))) {
      const nodes = (value as { nodes: { kind: NodeKind }[] }).nodes;
      nodes.forEach((node, i) => {
        for (const reference of referencesOf(node.kind)) {
          reference.slots(node as never).forEach((slot, j) => {
            const doc = structuredClone(value) as { nodes: Record<string, unknown>[] };
            let holder: Record<string | number, unknown> = doc.nodes[i]!;
            for (const part of slot.path.slice(0, -1)) holder = holder[part] as Record<string | number, unknown>;
            holder[slot.path.at(-1)!] = 'ghost-1';
            const label = `${file} nodes[${i}] ${slot.path.join('.')} #${j}`;
            const verdict = expectSameVerdict(doc, label);
            // Route targets are left to the validator (route-target-missing); every other reference must resolve.
            expect(verdict, label).toEqual(reference.mustResolve ? { zod: false, fast: false, migrated: false } : { zod: true, fast: true, migrated: false });
            if (reference.mustResolve) {
              const loaded = safeParseTopologyValue(doc);
              expect(!loaded.ok && loaded.error.issues.map((issue) => issue.message), label).toEqual([`${reference.noun} "ghost-1" is not a node of this topology`]);
              exercised.add(node.kind);
            }
          });
        }
      });
    }
    // Every kind that declares a reference that must resolve is exercised by some example.
    const declaring = KIND_DESCRIPTORS.filter((d) => d.references.some((r) => r.mustResolve)).map((d) => d.kind);
    expect([...exercised].sort()).toEqual([...declaring].sort());
  });

  it('returns the input objects themselves when nothing changes, and fills defaults like zod', () => {
    const doc = { schema: 'topolab/1', name: 'n', provider: 'aws', nodes: [{ id: 'v', kind: 'vpc', cidr: '10.0.0.0/16' }], edges: [], layout: {} };
    const loaded = fastLoadTopologyValue(doc)!;
    expect(loaded.topology).toBe(doc);
    const sparse = { nodes: [{ kind: 'route-table', id: 'rt' }], schema: 'topolab/1' };
    expect(JSON.stringify(fastLoadTopologyValue(structuredClone(sparse))!.topology)).toBe(JSON.stringify(TopologySchema.parse(sparse)));
    expect(fastLoadTopologyValue(sparse)!.topology).toEqual({ schema: 'topolab/1', name: 'Untitled', provider: 'aws', nodes: [{ id: 'rt', kind: 'route-table', subnets: [], routes: [] }], edges: [], layout: {} });
  });

  it("with keyOrder 'file' keeps the file's objects, fields in the file's order, and the schema order is back for the next call", () => {
    let same = 0;
    for (const { file, value } of SEEDS.filter((seed) => isCurrent(seed.value))) {
      const reversed = reverseKeys(value) as { nodes: object[] };
      const kept = fastLoadTopologyValue(reversed, 'file');
      // Every object that needed no default is the file's own (defaults still make new ones).
      if (isDeepStrictEqual(kept?.topology, reversed)) expect(kept?.topology, file).toBe(reversed);
      kept!.topology.nodes.forEach((node, i) => {
        if (!isDeepStrictEqual(node, reversed.nodes[i])) return;
        expect(node, `${file} nodes[${i}]`).toBe(reversed.nodes[i]);
        same++;
      });
      // The next call without the option rebuilds in the schema's order, as zod does.
      const rebuilt = fastLoadTopologyValue(reverseKeys(value));
      expect(JSON.stringify(rebuilt?.topology), file).toBe((zodParse(reverseKeys(value)) as { text: string }).text);
      expect(kept!.topology, file).toEqual(rebuilt!.topology);
    }
    expect(same).toBeGreaterThan(100);
  });

  it('never takes an older or newer version, even one whose shape is already that of this version', () => {
    const doc = { schema: 'topolab/1', nodes: [{ id: 'v', kind: 'vpc', cidr: '10.0.0.0/16' }], edges: [], layout: {} };
    expect(fastLoadTopologyValue(doc)).toBeDefined();
    for (const schema of ['topolab/0', 'topolab/2', 'topolab/01', 'topolab/1 ', undefined]) {
      expect(fastLoadTopologyValue({ ...doc, schema }), String(schema)).toBeUndefined();
    }
    // topolab/0 has no "edges" or "layout": the migration refuses them, naming the field.
    const result = safeParseTopologyValue({ ...doc, schema: 'topolab/0' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'version', issues: [{ path: 'layout' }] } });
  });

  it('leaves every refusal to zod, so load errors keep naming each problem', () => {
    const result = safeParseTopologyValue({ schema: 'topolab/1', nodes: [{ id: 'a', kind: 'vpc', cidr: '10.0.0.0/16', parent: 'nowhere' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues).toEqual([{ path: 'nodes[0].parent (node "a")', message: 'parent "nowhere" is not a node of this topology' }]);
  });
});
