import { FAST_PARSE_FAILED, FAST_PARSE_REFERENCES, fastParseTopologyObject } from './fast-parse.generated.js';
import { checkReferences } from './integrity.js';
import type { Topology } from './types.js';

/** A valid document of the current version, loaded. */
export interface FastLoad {
  topology: Topology;
  /**
   * Id -> position in `topology.nodes`, built while checking references: give it to
   * `new TopologyIndex` (through `validateTopology`) so a big file's ids are hashed once.
   */
  positions: ReadonlyMap<string, number>;
  /** Position -> parent position, resolved while checking parents: give it to `new TopologyIndex` with `positions`. */
  parents: Int32Array;
  /** Node position -> positions of the ids its references name, resolved while checking them (checkReferences): for `new TopologyIndex` with `positions`. */
  references: ReadonlyMap<number, readonly number[]>;
}

/**
 * Loads a parsed JSON value that is a valid document of the current version, without zod:
 * the generated shape check (fast-parse.generated.ts, made from the descriptors' zod
 * schemas) and the reference checks the schema's refinement runs, on the generated copy
 * of the references the descriptors declare. Returns exactly what the schema would
 * (`safeParseTopologyValue` in load.ts), or undefined for anything else: the caller then
 * runs the full path, which migrates an older document and names every problem. A document
 * of an older version never loads here: the generated parser takes only the current
 * `schema` marker, so every migration runs where zod checks its result. `keyOrder: 'file'`
 * (for a reader that never writes the document out): objects keep the file's field order
 * (fastParseTopologyObject), all else the same.
 */
export function fastLoadTopologyValue(value: unknown, keyOrder: 'schema' | 'file' = 'schema'): FastLoad | undefined {
  const parsed = fastParseTopologyObject(value, keyOrder);
  if (parsed === FAST_PARSE_FAILED) return undefined;
  const topology = parsed as Topology;
  const { issues, positions, parentAt, references } = checkReferences(topology, FAST_PARSE_REFERENCES);
  if (issues.length > 0) return undefined;
  return { topology, positions, parents: parentAt, references };
}
