/**
 * Where the built pieces are, relative to the built main process (dist/electron/main),
 * both in development and inside the packaged app's asar.
 */
import { join } from 'node:path';

/** The folders and entries of a build, from the folder of the built main bundle. */
export function builtPaths(mainDir: string): { rendererDir: string; preload: string; labEntry: string; icon: string } {
  const dist = join(mainDir, '..', '..');
  return {
    rendererDir: join(dist, 'renderer'),
    preload: join(dist, 'electron', 'preload', 'index.cjs'),
    labEntry: join(mainDir, 'lab.js'),
    icon: join(dist, '..', 'build', 'icons', '512x512.png'),
  };
}
