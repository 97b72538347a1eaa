import { readFileSync } from 'node:fs';
import { fastLoadTopologyValue } from '../model/fast-load.js';
import type { Topology } from '../model/types.js';

/**
 * Reads and parses a topology file; on failure the message names the file and every problem.
 * A valid file loaded on the fast path also brings the id map built while checking it
 * (`positions`, for validateTopology).
 */
export async function readTopologyFile(path: string): Promise<{ ok: true; topology: Topology; positions?: ReadonlyMap<string, number> } | { ok: false; message: string }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : String(error);
    return { ok: false, message: `${path}: ${reason}` };
  }
  // A valid file loads without zod (most of a small command's start-up time); anything
  // else goes through the full loader, which names each problem.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const fast = value === undefined ? undefined : fastLoadTopologyValue(value);
  if (fast) return { ok: true, topology: fast.topology, positions: fast.positions };
  const { formatLoadError, safeParseTopology } = await import('../model/load.js');
  const result = safeParseTopology(text);
  if (!result.ok) return { ok: false, message: `${path}: ${formatLoadError(result.error)}` };
  return { ok: true, topology: result.topology };
}
