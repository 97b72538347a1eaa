import type { z } from 'zod';
import { NODE_KINDS } from './kinds.js';
import { fastLoadTopologyValue } from './fast-load.js';
import { findJsonErrorOffset } from './json-error.js';
import { migrateDocument } from './migrations.js';
import { TopologySchema } from './schema.js';
import type { Topology } from './types.js';

/** One problem found while loading a file, with where it is. */
export interface LoadIssue {
  /** JSON path such as `nodes[3].cidr` (empty for the whole document). */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Why a file could not be opened. `kind` tells a caller which step refused it. */
export interface LoadError {
  kind: 'json' | 'version' | 'schema';
  /** One readable sentence, the first line of what a user sees. */
  message: string;
  issues: LoadIssue[];
}

export type LoadResult = { ok: true; topology: Topology; migratedFrom?: number } | { ok: false; error: LoadError };

/** Thrown by `parseTopology`; carries the same `LoadError` as the safe variant returns. */
export class TopologyLoadError extends Error {
  constructor(readonly error: LoadError) {
    super(formatLoadError(error));
    this.name = 'TopologyLoadError';
  }
}

/** Formats a JSON path the way a person reads it: `nodes[3].cidr`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** Line and column (1-based) of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function jsonErrorIssue(text: string): LoadIssue {
  // Our own scan gives the same place in every engine (Node 20's messages carry none).
  const { offset, reason } = findJsonErrorOffset(text);
  return { path: '', message: `invalid JSON: ${reason}`, ...lineColumnAt(text, offset) };
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  // An unknown `kind` is the most common mistake; say which kinds exist.
  if (issue.code === 'invalid_union' && issue.path.at(-3) === 'nodes' && issue.path.at(-1) === 'kind') {
    const node = getAt(input, issue.path.slice(0, -1));
    const kind = node && typeof node === 'object' ? (node as Record<string, unknown>)['kind'] : undefined;
    if (kind === undefined) return `node has no "kind"; expected one of ${NODE_KINDS.join(', ')}`;
    return `unknown node kind ${JSON.stringify(kind)}; expected one of ${NODE_KINDS.join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return issue.message;
}

function getAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Adds the node id to a path inside `nodes[i]`, so "nodes[41].cidr" also says which node. */
function pathWithNodeId(path: readonly PropertyKey[], input: unknown): string {
  const formatted = formatPath(path);
  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const id = getAt(input, ['nodes', path[1], 'id']);
    if (typeof id === 'string') return `${formatted} (node "${id}")`;
  }
  return formatted;
}

/**
 * Checks an already-parsed JSON value: migrations, then the schema. Never throws. A valid
 * document of the current version is accepted by the generated parser (fast-load.ts),
 * several times faster than zod and with the same result; anything else (an older version
 * to migrate, a problem to explain) goes through the migrations and zod.
 */
export function safeParseTopologyValue(value: unknown): LoadResult {
  const fast = fastLoadTopologyValue(value);
  if (fast) return { ok: true, topology: fast.topology };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      error: {
        kind: 'schema',
        message: 'a Topolab file is a JSON object with "schema", "nodes" and "edges"',
        issues: [{ path: '', message: `expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}` }],
      },
    };
  }
  const migrated = migrateDocument(value as Record<string, unknown>);
  if (!migrated.ok) {
    return {
      ok: false,
      error: { kind: 'version', message: migrated.message, issues: [{ path: formatPath(migrated.path), message: migrated.message }] },
    };
  }
  const parsed = TopologySchema.safeParse(migrated.document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: pathWithNodeId(issue.path, migrated.document),
      message: describeIssue(issue, migrated.document),
    }));
    const count = issues.length;
    return {
      ok: false,
      error: { kind: 'schema', message: `the file does not match the topolab/1 format (${count} problem${count === 1 ? '' : 's'})`, issues },
    };
  }
  return migrated.from === undefined || migrated.from === 1
    ? { ok: true, topology: parsed.data }
    : { ok: true, topology: parsed.data, migratedFrom: migrated.from };
}

/** Parses the text of a `*.topolab.json` file. Never throws: invalid JSON gives line and column. */
export function safeParseTopology(text: string): LoadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const issue = jsonErrorIssue(text);
    return {
      ok: false,
      error: { kind: 'json', message: `${issue.message} at line ${issue.line}, column ${issue.column}`, issues: [issue] },
    };
  }
  return safeParseTopologyValue(value);
}

/** Parses the text of a `*.topolab.json` file, throwing `TopologyLoadError` on any problem. */
export function parseTopology(text: string): Topology {
  const result = safeParseTopology(text);
  if (!result.ok) throw new TopologyLoadError(result.error);
  return result.topology;
}

/** Every issue on its own line, prefixed by its path (and line/column for JSON errors). */
export function formatLoadError(error: LoadError): string {
  const lines = [error.message];
  if (error.kind !== 'json' && error.kind !== 'version') {
    for (const issue of error.issues) lines.push(`  ${issue.path || '(document)'}: ${issue.message}`);
  }
  return lines.join('\n');
}

/**
 * Serialises a topology the way files are written: two-space indent, fields in schema
 * order, a final newline, so that saving an unchanged design gives the same bytes.
 */
export function serializeTopology(topology: Topology): string {
  return `${JSON.stringify(topology, null, 2)}\n`;
}
