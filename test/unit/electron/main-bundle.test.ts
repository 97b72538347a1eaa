/**
 * The built main process and lab entry load in a packaged app, where only production
 * dependencies are shipped: every bare import must be Node's, Electron's or a package
 * listed in package.json `dependencies` (a devDependency would crash the app at start).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtPaths } from '../../../electron/main/paths.js';
import { REPO_ROOT, ensureShellBuilt } from './helpers.js';

const MAIN_DIR = join(REPO_ROOT, 'dist/electron/main');

function bundleFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? bundleFiles(join(folder, entry.name)) : entry.name.endsWith('.js') ? [join(folder, entry.name)] : []));
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

beforeAll(() => ensureShellBuilt(), 120_000);

describe('the built main process', () => {
  it('imports only Node built-ins, electron and production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), 'electron']);
    const imported = new Set<string>();
    for (const file of bundleFiles(MAIN_DIR)) {
      const code = readFileSync(file, 'utf8');
      for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([@a-zA-Z0-9][^"'\s]*)["']/g)) imported.add(match[1] ?? '');
    }
    const foreign = [...imported].filter((specifier) => {
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return false;
      return !allowed.has(packageOf(specifier));
    });
    expect(imported.has('electron')).toBe(true);
    expect(foreign).toEqual([]);
  });

  it('finds the preload, the lab entry, the renderer and the icon where the build puts them', () => {
    const paths = builtPaths(MAIN_DIR);
    expect(paths.rendererDir).toBe(join(REPO_ROOT, 'dist/renderer'));
    for (const file of [paths.preload, paths.labEntry, paths.icon]) expect(existsSync(file), file).toBe(true);
  });

  it('runs the built lab entry as a process: it serves a call over its port and exits 0 when closed', () => {
    const run = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test/unit/electron/fixtures/fake-parent-port.mjs'), join(MAIN_DIR, 'lab.js')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status, run.stderr).toBe(0);
    const [first] = run.stdout.trim().split('\n');
    expect(JSON.parse(first ?? 'null')).toMatchObject({ type: 'reply', id: 1, reply: { result: { ok: true, info: { cidr: '10.0.0.0/24' } } } });
  });

  it('refuses to run the lab entry outside a utility process', () => {
    const run = spawnSync(process.execPath, [join(MAIN_DIR, 'lab.js')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('runs only as an Electron utility process');
  });
});
