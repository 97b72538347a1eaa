import { readFileSync } from 'node:fs';
import { fastLoadTopologyValue } from '../model/fast-load.js';
import { sealParsedTopology, type ParsedTopology } from '../model/parsed.js';
import type { Topology } from '../model/types.js';

/** A file read and parsed, or why it could not be. */
export type ReadTopologyResult = { ok: true; topology: ParsedTopology; positions?: ReadonlyMap<string, number>; parents?: Int32Array; references?: ReadonlyMap<number, readonly number[]> } | { ok: false; message: string };

/** A file read and checked, not sealed: for a command that reads the design and hands it to no one else. */
export type LoadTopologyResult = { ok: true; topology: Topology; positions?: ReadonlyMap<string, number>; parents?: Int32Array; references?: ReadonlyMap<number, readonly number[]> } | { ok: false; message: string };

/**
 * Reads and parses a topology file; on failure the message names the file and every
 * problem. The design is parsed here once: the sealed result goes to the service as it is.
 */
export async function readTopologyFile(path: string): Promise<ReadTopologyResult> {
  const loaded = await loadTopologyFile(path);
  return loaded.ok ? { ...loaded, topology: sealParsedTopology(loaded.topology) } : loaded;
}

/**
 * Reads and checks a topology file exactly as `readTopologyFile` does, without sealing it:
 * deep-freezing 100,000 nodes is a twentieth of `topolab validate` on a big file, and
 * validate only reads the design (validateTopology takes a plain Topology) and never passes
 * it to the service, whose input check is what the seal is for.
 * A valid file of the current version loads without zod (fast-load.ts, most of a small
 * command's start-up time) and also brings the id map built while checking it
 * (`positions`, `parents`, each node's parent position, and `references`, the positions each
 * node's references name, for validateTopology); anything
 * else (an older version to migrate, a problem to name) goes through the full loader. `options.keyOrder: 'file'`: objects of a
 * valid file keep their fields in the file's order (fastParseTopologyObject), for a caller
 * that only reads fields by name, as validate does.
 */
export async function loadTopologyFile(path: string, options: { keyOrder?: 'schema' | 'file' } = {}): Promise<LoadTopologyResult> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : String(error);
    return { ok: false, message: `${path}: ${reason}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const fast = value === undefined ? undefined : fastLoadTopologyValue(value, options.keyOrder);
  if (fast) return { ok: true, topology: fast.topology, positions: fast.positions, parents: fast.parents, references: fast.references };
  const { formatLoadError, safeParseTopology } = await import('../model/load.js');
  const result = safeParseTopology(text);
  if (!result.ok) return { ok: false, message: `${path}: ${formatLoadError(result.error)}` };
  return { ok: true, topology: result.topology };
}
