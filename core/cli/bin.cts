#!/usr/bin/env node
/**
 * The `topolab` command (package.json `bin`). CommonJS on purpose: an ES module entry
 * costs Node its ES module loader and a namespace for every builtin it imports, a tenth
 * of a cold start.
 *
 * It runs the one-file build of the CLI (dist/cli/topolab.cjs, made by `npm run build:core`,
 * build/scripts/bundle-cli.mjs) with the V8 code cache made for the command, so a command
 * starts about as fast as Node itself; where that build is missing it runs the compiled
 * modules (main.js). Either way each command loads only the modules it needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { CliStreams } from './streams.js' with { 'resolution-mode': 'import' };

/** What the one-file build exports. */
export interface CliBundle {
  runCli(argv: readonly string[], streams?: CliStreams): Promise<number>;
  processStreams(): CliStreams;
}

/** A loaded bundle, with the compiled script (to make a code cache from) and whether a given cache was refused. */
export interface LoadedBundle {
  exports: CliBundle;
  script: Script;
  cacheRejected: boolean;
}

/** Where `npm run build:core` writes the bundle. */
export const BUNDLE = join(__dirname, '..', '..', 'cli', 'topolab.cjs');

/** Commands with a code cache of their own (bundle-cli.mjs CACHE_GROUPS); every other one uses `start`. */
const CACHED = new Set(['info', 'plan', 'validate']);

/** The code cache file for a command line. */
export function cacheFileFor(argv: readonly string[]): string {
  const command = argv[2];
  return `${BUNDLE}.${command !== undefined && CACHED.has(command) ? command : 'start'}.cache`;
}

/**
 * Compiles and runs the bundle as a CommonJS module, as `require` would, but through
 * `vm.Script` so that V8's code cache can be handed in: with a valid cache V8 skips
 * parsing and compiling the functions the cache holds. A cache from another Node version
 * is refused by V8 and the bundle compiles as usual.
 */
export function loadBundle(file: string, cachedData?: Buffer): LoadedBundle {
  const source = readFileSync(file, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as CliBundle };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cacheRejected: cachedData !== undefined && script.cachedDataRejected === true };
}

async function main(): Promise<void> {
  let cli: CliBundle;
  if (existsSync(BUNDLE)) {
    let cache: Buffer | undefined;
    try {
      cache = readFileSync(cacheFileFor(process.argv));
    } catch {
      // No cache: the bundle compiles as usual.
    }
    cli = loadBundle(BUNDLE, cache).exports;
  } else {
    const [{ runCli }, { processStreams }] = await Promise.all([import('./program.js'), import('./streams.js')]);
    cli = { runCli, processStreams };
  }
  process.exitCode = await cli.runCli(process.argv, cli.processStreams());
}

if (require.main === module) void main();
