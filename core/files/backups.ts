import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { BACKUP_KEY_PATTERN } from './backup-key.js';

/** What is known about one backup without reading its text. */
export interface BackupInfo {
  /** The document's identity chosen by the client: its file name, or e.g. `untitled-3`. */
  key: string;
  /** The file the work belongs to, when it has one. */
  name?: string;
  /** When the backup was written (ms since the epoch). */
  savedAt: number;
  /** Length of the text in UTF-16 code units, as the editor sees it. */
  length: number;
}

/** One backup with its text. */
export interface Backup extends BackupInfo {
  text: string;
}

export { BACKUP_KEY_PATTERN };

const SUFFIX = '.backup';
/** The first line holds the metadata; it is short, so listing reads only this much of each file. */
const HEADER_READ_BYTES = 16 * 1024;

/** The file name of a key's backup: base64url, so no key can name a path (not even `..`). */
export function backupFileName(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url') + SUFFIX;
}

/**
 * Backups of unsaved work, one file per document, in a folder of their own
 * (`.topolab-backups` beside the designs for `topolab serve`; the user-data folder for the
 * desktop app). Each backup is written atomically, so a crash while backing up keeps the
 * previous backup. The format is one JSON line of metadata, a newline, then the text.
 */
export class BackupStore {
  constructor(readonly folder: string) {}

  /** Saves (replaces) the backup of a document. */
  async save(key: string, text: string, name?: string, now: number = Date.now()): Promise<BackupInfo> {
    checkKey(key);
    const info: BackupInfo = name === undefined ? { key, savedAt: now, length: text.length } : { key, name, savedAt: now, length: text.length };
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomic(join(this.folder, backupFileName(key)), `${JSON.stringify(info)}\n${text}`, { mode: 0o600 });
    return info;
  }

  /** Every backup, newest first. Unreadable or foreign files in the folder are skipped. */
  async list(): Promise<BackupInfo[]> {
    let entries: string[];
    try {
      entries = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const infos: BackupInfo[] = [];
    for (const entry of entries) {
      if (!entry.endsWith(SUFFIX)) continue;
      const info = await readHeader(join(this.folder, entry));
      if (info && backupFileName(info.key) === entry) infos.push(info);
    }
    return infos.sort((a, b) => b.savedAt - a.savedAt);
  }

  /** The backup of a document, or undefined when there is none. */
  async read(key: string): Promise<Backup | undefined> {
    checkKey(key);
    let content: string;
    try {
      content = await readFile(join(this.folder, backupFileName(key)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const newline = content.indexOf('\n');
    const info = newline < 0 ? undefined : parseHeader(content.slice(0, newline));
    if (!info) throw new Error(`the backup of "${key}" is damaged`);
    return { ...info, text: content.slice(newline + 1) };
  }

  /** Deletes a document's backup (after a save, or when the user declines recovery). True if one existed. */
  async discard(key: string): Promise<boolean> {
    checkKey(key);
    try {
      await unlink(join(this.folder, backupFileName(key)));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

function checkKey(key: string): void {
  if (!BACKUP_KEY_PATTERN.test(key)) throw new Error('a backup key is 1 to 256 printable characters');
}

async function readHeader(path: string): Promise<BackupInfo | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(HEADER_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_READ_BYTES, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const newline = head.indexOf('\n');
    return newline < 0 ? undefined : parseHeader(head.slice(0, newline));
  } finally {
    await handle.close();
  }
}

function parseHeader(line: string): BackupInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, name, savedAt, length } = value as Record<string, unknown>;
  if (typeof key !== 'string' || typeof savedAt !== 'number' || typeof length !== 'number') return undefined;
  if (name !== undefined && typeof name !== 'string') return undefined;
  return name === undefined ? { key, savedAt, length } : { key, name, savedAt, length };
}
