import { SCHEMA_VERSION } from './version.js';

/** What one migration step gives: the upgraded document, or why this document cannot be upgraded. */
export type MigrationStep = { ok: true; document: Record<string, unknown> } | { ok: false; message: string; path: (string | number)[] };

/**
 * One step from version N to N + 1, on plain JSON (before the schema check, because the
 * old document does not match the new schema). Keep each step small and pure, never edit
 * a published step, add a new one. A step does not change its input.
 */
export type Migration = (document: Record<string, unknown>) => MigrationStep;

/** `MIGRATIONS[n]` upgrades a `topolab/n` document to `topolab/n+1`. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  0: fromVersion0,
};

/** The oldest version a migration chain starts at. */
export const OLDEST_SCHEMA_VERSION = 0;

export type MigrationOutcome =
  | { ok: true; document: Record<string, unknown>; from: number }
  | { ok: false; message: string; path: (string | number)[] };

const SCHEMA_PATTERN = /^topolab\/(\d{1,6})$/;

/**
 * Reads the document's `schema` marker and upgrades it to the current version, one step at
 * a time. Runs on parsed JSON, so files and API inputs are migrated alike; a newer version
 * is refused with a message that says so.
 */
export function migrateDocument(document: Record<string, unknown>): MigrationOutcome {
  const marker = document['schema'];
  if (marker === undefined) {
    return {
      ok: false,
      path: ['schema'],
      message: `missing "schema": a Topolab file starts with "schema": "topolab/${SCHEMA_VERSION}"`,
    };
  }
  const match = typeof marker === 'string' ? SCHEMA_PATTERN.exec(marker) : null;
  if (!match) {
    return {
      ok: false,
      path: ['schema'],
      message: `"schema" is ${JSON.stringify(marker)}, not a Topolab schema marker like "topolab/${SCHEMA_VERSION}"`,
    };
  }
  const version = Number(match[1]);
  if (version > SCHEMA_VERSION) {
    return {
      ok: false,
      path: ['schema'],
      message: `this file was written by a newer Topolab (schema topolab/${version}); this version reads up to topolab/${SCHEMA_VERSION}. Update Topolab to open it.`,
    };
  }
  if (version < OLDEST_SCHEMA_VERSION) {
    return { ok: false, path: ['schema'], message: `unknown schema version topolab/${version}` };
  }
  let current = document;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) {
      return { ok: false, path: ['schema'], message: `no migration from topolab/${v} to topolab/${v + 1}` };
    }
    const next = step(current);
    if (!next.ok) return { ok: false, path: next.path, message: `cannot upgrade this topolab/${v} document: ${next.message}` };
    current = next.document;
  }
  return { ok: true, document: current, from: version };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * topolab/0 -> topolab/1. Version 0 drew and described in one place: each node carried its
 * canvas `position` ({x, y}) and, for containers, its `size` ({width, height}); traffic
 * connections were `links` with `source` and `target`. Version 1 keeps the drawing apart
 * (`layout`, keyed by node id) so a move does not churn the semantic part of a diff, and
 * calls connections `edges` with `from` and `to`.
 */
function fromVersion0(document: Record<string, unknown>): MigrationStep {
  for (const field of ['layout', 'edges'] as const) {
    if (field in document) {
      return { ok: false, path: [field], message: `"${field}" is a topolab/1 field; a topolab/0 document has ${field === 'edges' ? '"links"' : 'each node\'s "position" and "size"'} instead` };
    }
  }
  const { links, nodes, ...rest } = document;
  const layout: Record<string, Record<string, number>> = {};
  let movedNodes: unknown = nodes;
  if (Array.isArray(nodes)) {
    const out: unknown[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node: unknown = nodes[i];
      if (!isObject(node)) {
        out.push(node); // the schema names it
        continue;
      }
      const { position, size, ...semantic } = node;
      if (position === undefined && size === undefined) {
        out.push(node);
        continue;
      }
      if (!isObject(position) || !isFinite(position['x']) || !isFinite(position['y'])) {
        return { ok: false, path: ['nodes', i, 'position'], message: 'a node\'s "position" is {"x": number, "y": number}' };
      }
      const entry: Record<string, number> = { x: position['x'], y: position['y'] };
      if (size !== undefined) {
        if (!isObject(size) || !isFinite(size['width']) || !isFinite(size['height'])) {
          return { ok: false, path: ['nodes', i, 'size'], message: 'a node\'s "size" is {"width": number, "height": number}' };
        }
        entry['width'] = size['width'];
        entry['height'] = size['height'];
      }
      if (typeof semantic['id'] !== 'string') return { ok: false, path: ['nodes', i, 'id'], message: 'a node with a position needs an "id"' };
      layout[semantic['id']] = entry;
      out.push(semantic);
    }
    movedNodes = out;
  }
  let edges: unknown = links;
  if (Array.isArray(links)) {
    const out: unknown[] = [];
    for (let i = 0; i < links.length; i++) {
      const link: unknown = links[i];
      if (!isObject(link)) {
        out.push(link);
        continue;
      }
      const { source, target, ...others } = link;
      out.push({ id: others['id'], from: source, to: target, ...(others['label'] !== undefined ? { label: others['label'] } : {}), ...without(others, ['id', 'label']) });
    }
    edges = out;
  }
  return {
    ok: true,
    document: {
      ...rest,
      schema: 'topolab/1',
      ...(movedNodes !== undefined ? { nodes: movedNodes } : {}),
      ...(edges !== undefined ? { edges } : {}),
      layout,
    },
  };
}

function without(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}
