/**
 * The installed `topolab` (dist/core/cli/bin.cjs) runs the one-file build of the CLI with a
 * V8 code cache per command group (build/scripts/bundle-cli.mjs). It must behave exactly as
 * the compiled modules (dist/core/cli/main.js) do, and its caches must be usable.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Bin from '../../../core/cli/bin.cjs';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/core/cli/bin.cjs');
const MAIN = join(ROOT, 'dist/core/cli/main.js');
const BUNDLE = join(ROOT, 'dist/cli/topolab.cjs');
const example = (name: string): string => join(ROOT, 'examples', `${name}.topolab.json`);

function run(entry: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the one-file build of the CLI', () => {
  it('is built (npm run build:core) with a code cache per command group', () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build:core`).toBe(true);
    for (const group of ['start', 'info', 'plan', 'validate']) expect(existsSync(`${BUNDLE}.${group}.cache`), group).toBe(true);
  });

  it('has no import() left: the bundle runs in vm.Script, which cannot load ES modules', () => {
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/\bimport\(/);
  });

  it('gets every cache accepted by V8 (a refused cache would compile everything again)', async () => {
    const { loadBundle } = (await import(join(ROOT, 'dist/core/cli/bin.cjs'))) as typeof Bin;
    for (const group of ['start', 'info', 'plan', 'validate']) {
      expect(loadBundle(BUNDLE, readFileSync(`${BUNDLE}.${group}.cache`)).cacheRejected, group).toBe(false);
    }
  });

  const commands: [string, string[]][] = [
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['info', ['info', '2001:db8::/48', '--provider', 'gcp', '--json']],
    ['info of a bad CIDR', ['info', '10.0.0.1/16']],
    ['plan', ['plan', '--cidr', '10.0.0.0/16', '--sizes', '24,500h,26', '--zones', 'a,b']],
    ['plan that does not fit', ['plan', '--cidr', '10.0.0.0/24', '--sizes', '23', '--json']],
    ['validate with problems', ['validate', example('broken-plan')]],
    ['validate --json', ['validate', example('two-tier-web'), '--json']],
    ['validate of a missing file', ['validate', join(ROOT, 'no-such.topolab.json')]],
    ['trace', ['trace', example('two-tier-web'), '--from', 'visitor', '--to', 'app-a']],
    ['export', ['export', example('nginx-two-backends'), '--format', 'haproxy', '--json']],
    ['an unknown command', ['frobnicate']],
  ];
  it.each(commands)('%s: the same output and exit code as the compiled modules', (_name, args) => {
    const bundled = run(BIN, args);
    expect(bundled).toEqual(run(MAIN, args));
  });

  it('validates a file that is not valid JSON or not valid Topolab the same way (the loader falls back to zod)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'topolab-bundle-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'bad-json.topolab.json'), '{"schema": "topolab/1", "nodes": [}');
      await writeFile(join(dir, 'bad-shape.topolab.json'), '{"schema":"topolab/1","nodes":[{"id":"v","kind":"vpc","cidr":10},{"id":"s","kind":"subnet"}]}');
      for (const name of await readdir(dir)) {
        const bundled = run(BIN, ['validate', join(dir, name)]);
        expect(bundled.status, name).toBe(2);
        expect(bundled, name).toEqual(run(MAIN, ['validate', join(dir, name)]));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
