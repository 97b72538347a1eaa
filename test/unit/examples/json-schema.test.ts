import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, buildJsonSchema, renderJsonSchema } from '../../../build/scripts/emit-json-schema.js';
import { NODE_KINDS } from '../../../core/model/kinds.js';

type Variant = { title?: string; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };

describe('docs/topolab.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing core/model/schema.ts)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderJsonSchema());
  });

  const schema = buildJsonSchema() as { properties: Record<string, { items?: { oneOf?: Variant[] } }>; required?: string[] };
  const variants = schema.properties['nodes']?.items?.oneOf ?? [];

  it('describes one closed variant per node kind, with only schema as a required top-level field', () => {
    const kinds = variants.map((v) => (v.properties['kind'] as { const: string }).const);
    expect(kinds).toEqual([...NODE_KINDS]);
    for (const variant of variants) {
      expect(variant.additionalProperties).toBe(false);
      expect(variant.required).toEqual(expect.arrayContaining(['id', 'kind']));
      expect(variant.title).toMatch(/\(kind "/);
    }
    expect(schema.required).toEqual(['schema']);
  });

  it('accepts the shape of every example: required fields present, no unknown field', () => {
    const folder = join(import.meta.dirname, '../../../examples');
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.topolab.json'))) {
      const doc = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { nodes: Record<string, unknown>[] } & Record<string, unknown>;
      for (const key of Object.keys(doc)) expect(Object.keys(schema.properties), `${name}: ${key}`).toContain(key);
      for (const node of doc.nodes) {
        const variant = variants.find((v) => (v.properties['kind'] as { const: string }).const === node['kind']);
        expect(variant, `${name}: kind ${String(node['kind'])}`).toBeDefined();
        for (const field of variant?.required ?? []) expect(node, `${name}: ${String(node['id'])}`).toHaveProperty(field);
        for (const field of Object.keys(node)) expect(Object.keys(variant?.properties ?? {}), `${name}: ${String(node['id'])}.${field}`).toContain(field);
      }
    }
  });
});
