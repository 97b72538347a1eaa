/** Unsaved work kept in the browser when the service cannot keep it (`files.backup` failed), so it still survives a reload. */
export interface LocalBackup {
  key: string;
  name?: string;
  text: string;
  savedAt: number;
}

const PREFIX = 'topolab:backup:';

/** The backup key of a document: its file name, or `untitled` for a design never saved. */
export function backupKey(name: string | null): string {
  return name ?? 'untitled';
}

/** Stores a backup; false when storage is full or disabled. */
export function writeLocalBackup(backup: LocalBackup, storage: Storage = localStorage): boolean {
  try {
    storage.setItem(PREFIX + backup.key, JSON.stringify(backup));
    return true;
  } catch {
    return false;
  }
}

/** Every local backup, newest first; unreadable entries are skipped. */
export function localBackups(storage: Storage = localStorage): LocalBackup[] {
  const out: LocalBackup[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    try {
      const value = JSON.parse(storage.getItem(key) ?? 'null') as Partial<LocalBackup> | null;
      if (value && typeof value.text === 'string' && typeof value.savedAt === 'number' && typeof value.key === 'string') {
        out.push({ key: value.key, text: value.text, savedAt: value.savedAt, ...(typeof value.name === 'string' ? { name: value.name } : {}) });
      }
    } catch {
      // A corrupt entry is not worth a crash; it is overwritten by the next backup.
    }
  }
  return out.sort((a, b) => b.savedAt - a.savedAt);
}

/** Deletes the backup of a key (saved or declined). */
export function removeLocalBackup(key: string, storage: Storage = localStorage): void {
  try {
    storage.removeItem(PREFIX + key);
  } catch {
    // Nothing to do: storage disabled.
  }
}
