/** The file side of `topolab export`: atomic writes of the exported files and reading `--map-file`. Loaded only when exporting. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { parseAddressMap } from '../../export/address-map.js';
import type { ExportFile } from '../../export/report.js';
import { EXIT } from '../exit.js';
import { CliFailure } from '../streams.js';

/** Writes one file under `root` through a temp file and a rename, so a reader never sees half a file. */
export async function writeAtomically(root: string, entry: ExportFile): Promise<void> {
  const relative = normalize(entry.path);
  if (isAbsolute(relative) || relative.split(sep).includes('..')) throw new CliFailure(`refusing to write outside ${root}: ${entry.path}`, EXIT.problems);
  const target = join(root, relative);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, entry.content, { encoding: 'utf8', mode: 0o644 });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CliFailure(`cannot write ${target}: ${error instanceof Error ? error.message : String(error)}`, EXIT.unreadable);
  }
}

/** Reads `--map-file`: a JSON map, or the output of `topolab up --json` (its ready line is used). */
export async function readMapFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliFailure(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`, EXIT.unreadable);
  }
  const candidates = [text, ...text.split('\n').filter((line) => line.includes('"ready"'))];
  let lastProblem = 'not JSON';
  for (const candidate of candidates) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    const parsed = parseAddressMap(value);
    if (parsed.ok) return parsed.map;
    lastProblem = parsed.message;
  }
  throw new CliFailure(`${path}: ${lastProblem}`, EXIT.unreadable);
}

