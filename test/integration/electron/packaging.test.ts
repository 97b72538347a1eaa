/**
 * Packages the app for real with electron-builder (build/electron-builder.yml, `--dir`),
 * using a stand-in for the Electron binary that carries only a fuse wire, since the real
 * binary cannot be downloaded here. Checks what a packaged build gets: the after-pack hook
 * flipped the fuses, and app.asar holds the built shell and renderer and no dev tooling.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureShellBuilt } from '../../unit/electron/helpers.js';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse states as the wire stores them (ASCII '0' and '1'). */
const FuseState = { DISABLE: 48, ENABLE: 49 } as const;
const rendererBuilt = existsSync(join(REPO_ROOT, 'dist/renderer/index.html'));
if (!rendererBuilt) console.log('packaging.test: skipped, dist/renderer is not built (run `npm run build` first)');

let work: string;
let unpacked: string;
beforeAll(async () => {
  if (!rendererBuilt) return;
  ensureShellBuilt();
  work = await mkdtemp(join(tmpdir(), 'topolab-packaging-'));
  const electronDist = join(work, 'electron-dist');
  await mkdir(electronDist);
  // Every fuse starts enabled, so the test sees each one the hook turns off.
  await writeFile(join(electronDist, 'electron'), Buffer.concat([Buffer.from(`#!/bin/sh\n${SENTINEL}`), Buffer.from([1, 8]), Buffer.from('11111111')]), { mode: 0o755 });
  await promisify(execFile)(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/electron-builder/cli.js'), '--config', 'build/electron-builder.yml', '--dir', '--linux', '--x64', `-c.electronDist=${electronDist}`, `-c.directories.output=${join(work, 'release')}`],
    { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' }, maxBuffer: 16 * 1024 * 1024 },
  );
  unpacked = join(work, 'release', 'linux-unpacked');
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!rendererBuilt)('the packaged app (electron-builder --dir, Linux)', () => {
  it('has the fuses flipped by the after-pack hook', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'topolab-desktop'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('ships the built shell, renderer and production dependencies in app.asar, and no dev tooling', () => {
    const files = new Set(listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((file) => file.replaceAll('\\', '/')));
    for (const file of ['/package.json', '/dist/electron/main/index.js', '/dist/electron/main/lab.js', '/dist/electron/preload/index.cjs', '/dist/renderer/index.html', '/build/icons/512x512.png', '/node_modules/zod/package.json']) {
      expect(files.has(file), file).toBe(true);
    }
    const packages = new Set([...files].filter((file) => /^\/node_modules\/[^/]+$/.test(file)).map((file) => file.split('/')[2]));
    for (const devTool of ['electron', 'electron-builder', 'vitest', 'typescript', 'react', '@playwright']) expect(packages.has(devTool), devTool).toBe(false);
    expect([...files].some((file) => file.startsWith('/electron/') || file.startsWith('/core/') || file.endsWith('.map'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(files.has(`/${pkg.main}`)).toBe(true);
  });
});
