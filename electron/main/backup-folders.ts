/**
 * Where the desktop app keeps backups of unsaved work, and what it reopens after a crash.
 * There is one backup location, `userData/backups/`, with one folder per design folder
 * (named by the folder's base64url, so no path can become a name): each window's service
 * gets the design's folder as `filesRoot` and that folder's backups as `backupsRoot`, so its
 * page backs up, lists and restores through the core `files.*` methods exactly as in the
 * browser, and two designs of the same name in different folders never share a backup.
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { BackupEntry } from '../../core/api/index.js';

/** The name of the backups folder inside the user-data folder. */
export const BACKUPS_FOLDER_NAME = 'backups';

/** The folder holding the backups of the designs in `designFolder`. */
export function backupsFolderFor(backupsRoot: string, designFolder: string): string {
  return join(backupsRoot, Buffer.from(resolve(designFolder), 'utf8').toString('base64url'));
}

/** The design folder a backups folder belongs to, or undefined for a name this app did not make. */
export function designFolderOf(entryName: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(entryName)) return undefined;
  const folder = Buffer.from(entryName, 'base64url').toString('utf8');
  return isAbsolute(folder) && Buffer.from(folder, 'utf8').toString('base64url') === entryName ? folder : undefined;
}

/** A design to reopen after a crash: its folder and name (`null`: a design never saved). */
export interface DesignToRecover {
  folder: string;
  name: string | null;
}

/** Lists a folder's backups through the core `files.backups` method (the service's options as a window gets them). */
export type ListBackups = (options: { filesRoot: string; backupsRoot: string }) => Promise<BackupEntry[]>;

/** `files.backups` on an in-process core service, loaded only when there is something to list. */
export const listBackupsWithService: ListBackups = async (options) => {
  const { createService } = await import('../../core/api/service.js');
  const service = createService(options);
  try {
    return (await service.call('files.backups', {})).backups;
  } finally {
    await service.close();
  }
};

/**
 * The designs that have unsaved work in the backups (the app crashed or was killed):
 * one entry per backed-up design, and one per folder for work never saved. Their windows
 * are reopened at start, and each page offers its work back (the one recovery prompt).
 */
export async function designsToRecover(backupsRoot: string, listBackups: ListBackups = listBackupsWithService, log: (message: string) => void = () => {}): Promise<DesignToRecover[]> {
  let entries: string[];
  try {
    entries = await readdir(backupsRoot);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const designs: DesignToRecover[] = [];
  for (const entry of entries.sort()) {
    const folder = designFolderOf(entry);
    if (!folder) continue;
    let backups: BackupEntry[];
    try {
      backups = await listBackups({ filesRoot: folder, backupsRoot: join(backupsRoot, entry) });
    } catch (error) {
      log(`the backups of ${folder} cannot be listed: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const names = new Set<string | null>();
    for (const backup of backups) names.add(backup.name ?? null);
    for (const name of names) designs.push({ folder, name });
  }
  return designs;
}
