import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxError, type FolderSandbox } from './sandbox.js';

/** The suffix of a design file; the only files the served folder exposes. */
export const DESIGN_SUFFIX = '.topolab.json';

/** One design in the served folder. */
export interface DesignFile {
  /** Relative to the folder, `/`-separated: what `files.read` takes. */
  name: string;
  size: number;
  /** Last modification, ms since the epoch (pass back as `expectedMtime` to detect conflicts). */
  mtime: number;
}

/** Bounds that keep a listing fast when someone serves their home folder. */
const MAX_DEPTH = 4;
const MAX_FILES = 5000;
const SKIPPED_FOLDERS = new Set(['node_modules']);

/**
 * Every design below the sandbox root, sorted by name: hidden entries and `node_modules`
 * are skipped, linked folders are not entered (no cycles, no escape), and a linked file is
 * listed only when it resolves inside the root.
 */
export async function listDesigns(sandbox: FolderSandbox): Promise<DesignFile[]> {
  const root = await sandbox.resolvedRoot();
  const found: DesignFile[] = [];
  const walk = async (folder: string, prefix: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      if (entry.name.startsWith('.')) continue;
      const name = prefix + entry.name;
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_FOLDERS.has(entry.name)) await walk(join(folder, entry.name), `${name}/`, depth + 1);
        continue;
      }
      if (!entry.name.endsWith(DESIGN_SUFFIX) || !(entry.isFile() || entry.isSymbolicLink())) continue;
      try {
        const path = entry.isSymbolicLink() ? await sandbox.resolve(name) : join(folder, entry.name);
        const stats = await stat(path);
        if (stats.isFile()) found.push({ name, size: stats.size, mtime: stats.mtimeMs });
      } catch (error) {
        if (!(error instanceof SandboxError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  };
  await walk(root, '', 0);
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
