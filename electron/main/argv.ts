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
