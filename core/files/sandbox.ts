import { lstat, realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

/** Why a name was refused by the sandbox. */
export class SandboxError extends Error {
  constructor(
    /** The name as it was asked for. */
    readonly requested: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** The longest relative name accepted (well under every OS's path limit). */
export const MAX_NAME_LENGTH = 1024;

/**
 * Checks the text of a name relative to the root, without touching the disk.
 * Returns why it is refused, or null. Refuses absolute paths (POSIX, Windows drive and UNC),
 * backslashes (a separator on Windows, so `..\x` must not slip through), `.`/`..` segments,
 * empty segments and control characters.
 */
export function checkRelativeName(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains a control character';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || isAbsolute(name)) return `"${name}" is an absolute path; give a name inside the folder`;
  if (name.includes('\\')) return `"${name}" contains a backslash; use "/" between folders`;
  for (const segment of name.split('/')) {
    if (segment === '..') return `"${name}" leaves the folder ("..")`;
    if (segment === '.' || segment === '') return `"${name}" has an empty or "." segment`;
  }
  return null;
}

/** Whether `child` is `parent` itself or lies below it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * A folder that names are resolved against. Every path it hands out lies inside the root
 * after following symlinks, so a link pointing out of the folder is refused like `..`.
 */
export class FolderSandbox {
  private realRoot: string | undefined;

  constructor(readonly root: string) {}

  /** The root with symlinks resolved (the root itself may be a link, e.g. /tmp on macOS). */
  async resolvedRoot(): Promise<string> {
    this.realRoot ??= await realpath(resolve(this.root));
    return this.realRoot;
  }

  /**
   * The real absolute path (symlinks resolved) of an existing or new file named relative
   * to the root. Throws `SandboxError` when the name or any symlink on its way leads
   * outside. Returning the resolved path means a save through a link inside the folder
   * replaces the linked file, not the link. A missing file is fine (it may be about to be
   * written); a missing parent folder is left for the caller's open/rename to report.
   */
  async resolve(name: string): Promise<string> {
    const problem = checkRelativeName(name);
    if (problem) throw new SandboxError(name, problem);
    const root = await this.resolvedRoot();
    const target = resolve(root, ...name.split('/'));
    if (!isInside(root, target)) throw new SandboxError(name, `"${name}" leaves the folder`);
    const real = await realpathOfExistingPart(target);
    if (real === null) throw new SandboxError(name, `"${name}" goes through a symbolic link to a missing file`);
    if (!isInside(root, real)) throw new SandboxError(name, `"${name}" leads outside the folder through a symbolic link`);
    return real;
  }
}

/**
 * The real path of `path`, resolving symlinks on the longest part that exists and
 * appending the rest. Null for a dangling symlink on the way: writing through it would
 * create its target, wherever that is, so it is refused rather than followed.
 */
async function realpathOfExistingPart(path: string): Promise<string | null> {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = await realpath(current);
      return rest.length ? resolve(real, ...rest.reverse()) : real;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const stats = await lstat(current).catch(() => undefined);
      if (stats?.isSymbolicLink()) return null;
      const parent = resolve(current, '..');
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}
