import { z } from 'zod';
import { MAX_TOPOLOGY_TEXT } from './core.js';
import { defineEvent, defineMethod } from './define.js';
import { BACKUP_KEY_PATTERN } from '../../files/backup-key.js';

/** A design's name relative to the served folder, `/`-separated; the service refuses anything that leaves it. */
export const DesignName = z.string().min(1).max(1024);

/** A backup's key: the document's identity chosen by the client (its file name, or e.g. `untitled-3`). */
const BackupKey = z.string().min(1).max(256).regex(BACKUP_KEY_PATTERN, 'a backup key has no control characters');

/** One design in the served folder. */
export interface FileEntry {
  /** Relative to the folder, `/`-separated: what `files.read` takes. */
  name: string;
  size: number;
  /** Last modification in ms since the epoch; pass it back as `expectedMtime` to detect conflicts. */
  mtime: number;
}

/** What is known about a backup without its text. */
export interface BackupEntry {
  key: string;
  /** The file the unsaved work belongs to, if it has one. */
  name?: string;
  /** When it was backed up, ms since the epoch. */
  savedAt: number;
  /** Length of the text in UTF-16 code units. */
  length: number;
}

/** Designs in a folder (the one `topolab serve DIR` serves, or the desktop's documents folder). */
export const filesMethods = {
  'files.list': defineMethod<{ files: FileEntry[] }>()(
    z.strictObject({}),
    'Designs (*.topolab.json) in the served folder, with size and modification time, sorted by name.',
  ),
  'files.read': defineMethod<FileEntry & { text: string }>()(
    z.strictObject({ name: DesignName }),
    'The text of a design in the served folder, with its size and modification time.',
  ),
  'files.write': defineMethod<FileEntry>()(
    z.strictObject({
      name: DesignName,
      text: z.string().max(MAX_TOPOLOGY_TEXT),
      /** The mtime the client last read; `null` means the file must not exist yet; omitted overwrites. */
      expectedMtime: z.number().nullable().optional(),
    }),
    'Saves a design atomically (temp file, flush, rename). With expectedMtime, fails with "conflict" if the file changed on disk since (null: if it exists).',
  ),
  'files.backup': defineMethod<BackupEntry>()(
    z.strictObject({ key: BackupKey, text: z.string().max(MAX_TOPOLOGY_TEXT), name: DesignName.optional() }),
    'Backs up unsaved work under a key (replacing the previous backup of that key), for recovery after a crash or reload.',
  ),
  'files.backups': defineMethod<{ backups: BackupEntry[] }>()(z.strictObject({}), 'Every backup of unsaved work, newest first.'),
  'files.restore': defineMethod<BackupEntry & { text: string }>()(z.strictObject({ key: BackupKey }), 'The text of a backup ("not-found" if there is none).'),
  'files.discardBackup': defineMethod<{ discarded: boolean }>()(
    z.strictObject({ key: BackupKey }),
    'Deletes a backup: after the work was saved, or when the user declines to recover it.',
  ),
};

/** Events of the files area. */
export const filesEvents = {
  'files.changed': defineEvent<FileEntry>('A design was saved through the service (from any window or tab), with its new size and mtime.'),
};
