import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupStore, DESIGN_SUFFIX, FolderSandbox, SandboxError, listDesigns, writeFileAtomic } from '../../files/index.js';
import { ApiError, MAX_TOPOLOGY_TEXT } from '../contract/index.js';
import type { Handlers, ServiceContext } from './types.js';

type FilesMethod = 'files.list' | 'files.read' | 'files.write' | 'files.backup' | 'files.backups' | 'files.restore' | 'files.discardBackup';

/** The folder beside the designs where `topolab serve` keeps backups (ignored by git and by listings). */
export const BACKUP_FOLDER_NAME = '.topolab-backups';

/**
 * Handlers of the `files.*` methods: designs in `options.filesRoot`, never outside it,
 * and backups in `options.backupsRoot` (default: `.topolab-backups` inside the folder).
 */
export function createFilesHandlers(context: ServiceContext): Pick<Handlers, FilesMethod> {
  const { filesRoot, backupsRoot } = context.options;
  const sandbox = filesRoot === undefined ? undefined : new FolderSandbox(filesRoot);
  const backupsFolder = backupsRoot ?? (filesRoot === undefined ? undefined : join(filesRoot, BACKUP_FOLDER_NAME));
  const backups = backupsFolder === undefined ? undefined : new BackupStore(backupsFolder);

  const folder = (): FolderSandbox => {
    if (!sandbox) throw new ApiError('failed', 'no folder of designs is open (start `topolab serve DIR`)');
    return sandbox;
  };
  const store = (): BackupStore => {
    if (!backups) throw new ApiError('failed', 'no folder for backups is set');
    return backups;
  };
  /** Resolves a design name inside the folder, or throws `forbidden`. */
  const designPath = async (name: string): Promise<string> => {
    let path: string;
    try {
      path = await folder().resolve(name);
    } catch (error) {
      if (error instanceof SandboxError) throw new ApiError('forbidden', error.message);
      throw error;
    }
    if (!name.endsWith(DESIGN_SUFFIX)) throw new ApiError('forbidden', `"${name}" is not a design: only *${DESIGN_SUFFIX} files can be read or written`);
    return path;
  };

  return {
    'files.list': async () => ({ files: await listDesigns(folder()) }),

    'files.read': async ({ name }) => {
      const path = await designPath(name);
      const handle = await open(path, 'r').catch((error: unknown) => {
        throw fileError(error, name);
      });
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw new ApiError('not-found', `"${name}" is not a file`);
        if (stats.size > MAX_TOPOLOGY_TEXT * 4) throw new ApiError('failed', `"${name}" is ${stats.size} bytes, larger than a design can be`);
        const text = await handle.readFile('utf8');
        if (text.length > MAX_TOPOLOGY_TEXT) throw new ApiError('failed', `"${name}" is larger than a design can be (${MAX_TOPOLOGY_TEXT} characters)`);
        return { name, size: stats.size, mtime: stats.mtimeMs, text };
      } finally {
        await handle.close();
      }
    },

    'files.write': async ({ name, text, expectedMtime }) => {
      const path = await designPath(name);
      if (expectedMtime !== undefined) {
        const current = await stat(path).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw fileError(error, name);
        });
        if (expectedMtime === null && current) throw new ApiError('conflict', `"${name}" already exists`);
        if (expectedMtime !== null && !current) throw new ApiError('conflict', `"${name}" was deleted on disk since it was opened`);
        if (expectedMtime !== null && current && current.mtimeMs !== expectedMtime) {
          throw new ApiError('conflict', `"${name}" was changed on disk since it was opened (at ${new Date(current.mtimeMs).toISOString()})`);
        }
      }
      try {
        await writeFileAtomic(path, text);
      } catch (error) {
        throw fileError(error, name);
      }
      const written = await stat(path);
      const entry = { name, size: written.size, mtime: written.mtimeMs };
      context.emit('files.changed', entry);
      return entry;
    },

    'files.backup': ({ key, text, name }) => store().save(key, text, name),
    'files.backups': async () => ({ backups: await store().list() }),
    'files.restore': async ({ key }) => {
      const backup = await store().read(key);
      if (!backup) throw new ApiError('not-found', `there is no backup of "${key}"`);
      return backup;
    },
    'files.discardBackup': async ({ key }) => ({ discarded: await store().discard(key) }),
  };
}

/** Turns an OS error on a design into an API error a person understands. */
function fileError(error: unknown, name: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ApiError('not-found', `"${name}" does not exist (or its folder does not)`);
  if (code === 'EISDIR') return new ApiError('not-found', `"${name}" is a folder, not a design`);
  if (code === 'ENOTDIR') return new ApiError('not-found', `a part of "${name}" is a file, not a folder`);
  if (code === 'EACCES' || code === 'EPERM') return new ApiError('forbidden', `permission denied for "${name}"`);
  return new ApiError('failed', `"${name}": ${error instanceof Error ? error.message : String(error)}`);
}
