/** Recently opened or saved designs, newest first, kept in localStorage. */
const KEY = 'topolab:recent';
const LIMIT = 8;

/** Names of recent designs, newest first. Bad stored data reads as an empty list. */
export function recentFiles(storage: Storage = localStorage): string[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, LIMIT) : [];
  } catch {
    return [];
  }
}

/** Puts a name at the front of the recent list. */
export function rememberFile(name: string, storage: Storage = localStorage): void {
  const list = [name, ...recentFiles(storage).filter((n) => n !== name)].slice(0, LIMIT);
  try {
    storage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the recent list is a comfort, not data.
  }
}

/** Removes a name (the file is gone). */
export function forgetFile(name: string, storage: Storage = localStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(recentFiles(storage).filter((n) => n !== name)));
  } catch {
    // See rememberFile.
  }
}
