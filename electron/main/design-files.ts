/**
 * Reading and saving design files for the desktop app. Saves go through core/files'
 * atomic write (temp file in the same folder, fsync, rename with retry), shared with
 * `topolab serve`, so a crash mid-save leaves the old file or the new one.
 */
import { stat, readFile } from 'node:fs/promises';
import { MAX_TOPOLOGY_TEXT } from '../../core/api/index.js';
import { writeFileAtomic, type AtomicWriteOptions } from '../../core/files/index.js';

/** Reads a design's text; refuses what is not a file or is larger than any transport accepts. */
export async function readDesign(path: string): Promise<string> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  if (info.size > MAX_TOPOLOGY_TEXT) throw new Error(`${path} is ${info.size} bytes; designs are limited to ${MAX_TOPOLOGY_TEXT} bytes`);
  return readFile(path, 'utf8');
}

/** Saves a design atomically. */
export function saveDesign(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  return writeFileAtomic(path, text, options);
}
