/**
 * Writes docs/topolab.schema.json from the zod schema of the file format, so editors can
 * complete and check `*.topolab.json` files (`npm run schema`). A unit test fails when the
 * committed file is older than the schema.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { KIND_LABELS, type NodeKind } from '../../core/model/kinds.js';
import { CURRENT_SCHEMA, TopologyObjectSchema } from '../../core/model/schema.js';

/** Where the schema is committed. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../docs/topolab.schema.json', import.meta.url));

type JsonObject = { [key: string]: unknown };

/**
 * The JSON Schema (draft-07, which every editor's JSON language service supports) of what
 * a file may contain: the input side of the zod schema, so fields with defaults are
 * optional. Referential checks (unique ids, references that resolve) and the semantic
 * rules are the validator's; JSON Schema only describes the shape.
 */
export function buildJsonSchema(): JsonObject {
  const generated = z.toJSONSchema(TopologyObjectSchema, { io: 'input', target: 'draft-7' }) as JsonObject;
  const { $schema, ...rest } = generated;
  const schema: JsonObject = {
    $schema,
    title: `Topolab topology file (${CURRENT_SCHEMA})`,
    description: 'A *.topolab.json design: nodes (VPCs, subnets, route tables, gateways, servers, balancers, proxies, caches, clients), edges and a separate canvas layout. See docs/file-format.md.',
    ...rest,
  };
  // Name each node variant after its kind, so an editor's hover says "Load balancer".
  const properties = schema['properties'] as JsonObject;
  const nodes = properties['nodes'] as JsonObject;
  const items = nodes['items'] as { oneOf?: JsonObject[] };
  for (const variant of items.oneOf ?? []) {
    const kind = ((variant['properties'] as JsonObject)['kind'] as { const?: string }).const as NodeKind | undefined;
    if (kind !== undefined) variant['title'] = `${KIND_LABELS[kind]} (kind "${kind}")`;
  }
  return schema;
}

/** The file's exact text: two-space indent and a final newline, like the designs themselves. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, renderJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
