import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateDocument, parseTopology, safeParseTopology, safeParseTopologyValue } from '../../../core/model/index.js';
import { MigratingTopologySchema } from '../../../core/model/input.js';
import { runTopolab } from '../../support/cli.js';

const V0_PATH = new URL('../../fixtures/migrations/nginx-two-backends-v0.topolab.json', import.meta.url);
const V1_PATH = new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url);
const v0Text = readFileSync(V0_PATH, 'utf8');
const v0 = (): Record<string, unknown> => JSON.parse(v0Text) as Record<string, unknown>;

describe('topolab/0 -> topolab/1', () => {
  it('moves positions and sizes out of the nodes into layout, and links into edges', () => {
    const outcome = migrateDocument(v0());
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.from).toBe(0);
    const doc = outcome.document as { schema: string; nodes: Record<string, unknown>[]; edges: unknown[]; layout: Record<string, unknown>; links?: unknown };
    expect(doc.schema).toBe('topolab/1');
    expect(doc.links).toBeUndefined();
    expect(doc.nodes.every((n) => !('position' in n) && !('size' in n))).toBe(true);
    expect(doc.layout['vpc']).toEqual({ x: 280, y: 0, width: 864, height: 400 });
    expect(doc.layout['igw']).toEqual({ x: 24, y: 40 });
    expect(doc.edges[0]).toEqual({ id: expect.any(String), from: expect.any(String), to: expect.any(String) });
  });

  it('gives exactly the topolab/1 design the example is, and says it migrated', () => {
    const result = safeParseTopology(v0Text);
    expect(result).toMatchObject({ ok: true, migratedFrom: 0 });
    expect(parseTopology(v0Text)).toEqual(parseTopology(readFileSync(V1_PATH, 'utf8')));
  });

  it('does not change its input', () => {
    const input = v0();
    const before = JSON.stringify(input);
    migrateDocument(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('refuses a malformed topolab/0 document with the path of the problem', () => {
    const bad = v0();
    (bad['nodes'] as Record<string, unknown>[])[2]!['position'] = { x: 'left', y: 3 };
    const result = safeParseTopologyValue(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('version');
    expect(result.error.issues[0]).toMatchObject({ path: 'nodes[2].position' });
    expect(result.error.message).toMatch(/cannot upgrade this topolab\/0 document: a node's "position" is/);
    expect(migrateDocument({ schema: 'topolab/0', edges: [] })).toMatchObject({ ok: false, path: ['edges'] });
  });

  it('is the one step of the chain', () => {
    expect(Object.keys(MIGRATIONS)).toEqual(['0']);
  });
});

describe('API inputs go through the same chain', () => {
  it('an older input is migrated, a newer one refused at "schema" saying so', () => {
    const parsed = MigratingTopologySchema.safeParse(v0());
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(parseTopology(readFileSync(V1_PATH, 'utf8')));
    const newer = MigratingTopologySchema.safeParse({ schema: 'topolab/2', nodes: [] });
    expect(newer.success).toBe(false);
    expect(newer.error?.issues[0]).toMatchObject({ path: ['schema'], message: expect.stringMatching(/newer Topolab \(schema topolab\/2\).*reads up to topolab\/1/) });
  });
});

describe('the CLI reads a topolab/0 file', () => {
  it('validates, traces and exports it as the topolab/1 design', async () => {
    const path = V0_PATH.pathname;
    const validate = await runTopolab('validate', path, '--json');
    expect(validate.code).toBe(0);
    const example = await runTopolab('validate', V1_PATH.pathname, '--json');
    expect(validate.out).toBe(example.out);
    const trace = await runTopolab('trace', path, '--from', 'browser', '--to', 'nginx', '--json');
    expect(trace.code).toBe(0);
    expect(JSON.parse(trace.out)).toMatchObject({ verdict: 'reachable' });
    const exported = await runTopolab('export', path, '--format', 'nginx', '--json');
    const reference = await runTopolab('export', V1_PATH.pathname, '--format', 'nginx', '--json');
    expect(exported.code).toBe(0);
    expect(exported.out).toBe(reference.out);
    // Six CLI processes: the default 5 s is a start-up time budget on a busy 2-core machine, not a check.
  }, 30_000);
});
