/**
 * Which design files a command line asks to open. Used for the first launch and for a
 * second launch forwarded by the single-instance lock (with that launch's folder).
 */
import { isAbsolute, resolve } from 'node:path';

/** Whether a path names a design file (`*.topolab.json`, any case). */
export function isDesignPath(path: string): boolean {
  return /\.topolab\.json$/i.test(path);
}

/**
 * The design files named on a command line, as absolute paths, in order, without
 * duplicates. Flags (`--x`, and everything after Chromium's `--` marker is still checked)
 * and the executable or app folder are skipped: only `*.topolab.json` arguments count.
 */
export function designPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const paths: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !isDesignPath(arg)) continue;
    const absolute = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (!paths.includes(absolute)) paths.push(absolute);
  }
  return paths;
}

/**
 * The folder named on a command line (`npm start -- DIR` passes it), used as the folder
 * of new designs and the dialogs' starting point. Development launches carry the app's
 * own folder first (`electron APP DIR`), which is skipped; a packaged launch has none.
 */
export function folderFromArgv(argv: readonly string[], cwd: string, packaged: boolean, isDirectory: (path: string) => boolean): string | undefined {
  for (const arg of argv.slice(packaged ? 1 : 2)) {
    if (arg.startsWith('-') || isDesignPath(arg)) continue;
    const absolute = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (isDirectory(absolute)) return absolute;
  }
  return undefined;
}
