/**
 * The recent-documents list shown in File > Open Recent: a JSON file in the user-data
 * folder (the OS list from `app.addRecentDocument` is kept too, but cannot be read back
 * on every platform).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/api/host.js';

/** How many documents the menu lists. */
export const MAX_RECENT = 10;

const RecentSchema = z.strictObject({ version: z.literal(1), paths: z.array(z.string().min(1).max(4096)).max(100) });

/** The list with `path` moved (or added) to the front, without duplicates, at most `max` long. */
export function addRecent(paths: readonly string[], path: string, max = MAX_RECENT): string[] {
  return [path, ...paths.filter((p) => p !== path)].slice(0, max);
}

/** Reads the list; a missing or malformed file is an empty list. */
export async function loadRecent(file: string): Promise<string[]> {
  try {
    const parsed = RecentSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data.paths.slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Writes the list atomically. */
export async function saveRecent(file: string, paths: readonly string[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, paths }, null, 2)}\n`);
}
