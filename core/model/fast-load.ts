import { FAST_PARSE_FAILED, fastParseTopologyObject } from './fast-parse.generated.js';
import { migrateDocument } from './migrations.js';
import { checkReferences } from './references.js';
import type { Topology } from './types.js';

/** A valid document, loaded. */
export interface FastLoad {
  topology: Topology;
  migratedFrom?: number;
  /**
   * Id -> position in `topology.nodes`, built while checking references: give it to
   * `new TopologyIndex` (through `validateTopology`) so a big file's ids are hashed once.
   */
  positions: ReadonlyMap<string, number>;
}

/**
 * Loads a parsed JSON value that is a valid document, without zod: migrations, the
 * generated shape check (fast-parse.generated.ts, made from the zod schema) and the
 * reference checks the schema's refinement runs. Returns exactly what the schema would
 * (`safeParseTopologyValue` in load.ts), or undefined for anything that is not a valid
 * document: the caller then runs the schema, which names every problem.
 */
export function fastLoadTopologyValue(value: unknown): FastLoad | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const migrated = migrateDocument(value as Record<string, unknown>);
  if (!migrated.ok) return undefined;
  const parsed = fastParseTopologyObject(migrated.document);
  if (parsed === FAST_PARSE_FAILED) return undefined;
  const topology = parsed as Topology;
  const { issues, positions } = checkReferences(topology);
  if (issues.length > 0) return undefined;
  return migrated.from === 1 ? { topology, positions } : { topology, migratedFrom: migrated.from, positions };
}
