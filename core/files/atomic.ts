import { randomBytes } from 'node:crypto';
import { open, readdir, rename as fsRename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file-system calls an atomic write needs; injectable so tests can make the OS refuse a rename. */
export interface AtomicWriteFs {
  rename(from: string, to: string): Promise<void>;
}

/** Options of `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** How often a rename refused by the OS (EPERM, EACCES, EBUSY: antivirus or indexer holding the file on Windows) is retried. */
  renameRetries?: number;
  /** First pause between rename retries in ms; doubles each time. */
  renameRetryDelayMs?: number;
  /** File mode of a new file. */
  mode?: number;
  /** Runs after the temp file is written and flushed, before the rename (tests kill the process here). */
  beforeRename?: (tempPath: string) => Promise<void> | void;
  fs?: AtomicWriteFs;
}

const RETRYABLE_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** The temp file name used for `path`: hidden, in the same folder (a rename across file systems is not atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether a file name is one of our temp files (hidden from listings, safe to delete when stale). */
export function isTempFileName(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(name);
}

/**
 * Replaces `path` with `data` so that a crash at any moment leaves either the old file
 * or the new one, never a mix or a truncated file: write a temp file in the same folder,
 * fsync it, rename it over the target, then fsync the folder so the rename itself is durable.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await renameWithRetry(temp, path, options);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(path));
  await removeStaleTempFiles(path);
}

/** A temp file this old was left by a crashed save (a save never takes this long). */
export const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Deletes temp files of earlier saves of `path` that a crash left behind (older than
 * STALE_TEMP_MS), so killed saves do not pile up beside the design. Never fails the save.
 */
export async function removeStaleTempFiles(path: string, now: number = Date.now()): Promise<number> {
  const folder = dirname(path);
  const prefix = `.${basename(path)}.`;
  let removed = 0;
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !isTempFileName(entry)) continue;
    const stats = await stat(join(folder, entry)).catch(() => undefined);
    if (!stats || now - stats.mtimeMs < STALE_TEMP_MS) continue;
    await unlink(join(folder, entry)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

async function renameWithRetry(from: string, to: string, options: AtomicWriteOptions): Promise<void> {
  const rename = options.fs?.rename ?? fsRename;
  const retries = options.renameRetries ?? 8;
  let delay = options.renameRetryDelayMs ?? 10;
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE_RENAME.has(code) || attempt >= retries) throw error;
      await new Promise((done) => setTimeout(done, delay));
      delay *= 2;
    }
  }
}

/** Flushes a folder's entry table; not possible on Windows, where rename is already durable enough. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the data itself is already flushed.
  } finally {
    await handle.close();
  }
}
