import { readFile } from 'node:fs/promises';
import { formatLoadError, safeParseTopology } from '../model/load.js';
import { sealParsedTopology, type ParsedTopology } from '../model/parsed.js';

/**
 * Reads and parses a topology file; on failure the message names the file and every
 * problem. The design is parsed here once: the sealed result goes to the service as it is.
 */
export async function readTopologyFile(path: string): Promise<{ ok: true; topology: ParsedTopology } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : String(error);
    return { ok: false, message: `${path}: ${reason}` };
  }
  const result = safeParseTopology(text);
  if (!result.ok) return { ok: false, message: `${path}: ${formatLoadError(result.error)}` };
  return { ok: true, topology: sealParsedTopology(result.topology) };
}
