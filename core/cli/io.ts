import { readFileSync } from 'node:fs';
import { fastLoadTopologyValue } from '../model/fast-load.js';
import { sealParsedTopology, type ParsedTopology } from '../model/parsed.js';

/** A file read and parsed, or why it could not be. */
export type ReadTopologyResult = { ok: true; topology: ParsedTopology; positions?: ReadonlyMap<string, number> } | { ok: false; message: string };

/**
 * Reads and parses a topology file; on failure the message names the file and every
 * problem. The design is parsed here once: the sealed result goes to the service as it is.
 * A valid file of the current version loads without zod (fast-load.ts, most of a small
 * command's start-up time) and also brings the id map built while checking it
 * (`positions`, for validateTopology); anything else (an older version to migrate, a
 * problem to name) goes through the full loader.
 */
export async function readTopologyFile(path: string): Promise<ReadTopologyResult> {
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
  const fast = value === undefined ? undefined : fastLoadTopologyValue(value);
  if (fast) return { ok: true, topology: sealParsedTopology(fast.topology), positions: fast.positions };
  const { formatLoadError, safeParseTopology } = await import('../model/load.js');
  const result = safeParseTopology(text);
  if (!result.ok) return { ok: false, message: `${path}: ${formatLoadError(result.error)}` };
  return { ok: true, topology: sealParsedTopology(result.topology) };
}
