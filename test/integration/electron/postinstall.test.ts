/**
 * `npm install`'s postinstall (build/scripts/postinstall.mjs) fetching Electron's binary with
 * electron's own install.js, against a download mirror on 127.0.0.1 (ELECTRON_MIRROR): a
 * stand-in archive is installed silently; an unreachable mirror, a mirror that never answers
 * and ELECTRON_SKIP_BINARY_DOWNLOAD each leave exactly one line saying why and exit 0;
 * `npm run desktop:install` fails with exit 1 and the same cause. Each case runs in a copy
 * of the electron package inside a temporary project, never in this checkout's node_modules.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchElectronBinary } from '../../../build/scripts/electron-binary.mjs';
import { removeFolder, tempFolder } from '../api/harness.js';
import { storedZip } from '../../support/zip.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const ELECTRON = join(ROOT, 'node_modules/electron');
const VERSION = (JSON.parse(readFileSync(join(ELECTRON, 'package.json'), 'utf8')) as { version: string }).version;
const ZIP_NAME = `electron-v${VERSION}-${process.platform}-${process.arch}.zip`;
/** The stand-in archive: an `electron` executable that only prints its name. */
const ZIP = storedZip([{ name: 'electron', data: Buffer.from('#!/bin/sh\necho stand-in electron\n'), mode: 0o755 }]);

const folders: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await removeFolder(folder);
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

/** A temporary project holding the two scripts and a copy of the electron package that trusts ZIP's checksum. */
async function project(): Promise<{ dir: string; electronDir: string; cache: string }> {
  const dir = await tempFolder('topolab-postinstall-');
  folders.push(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'postinstall-test', private: true, type: 'module' }));
  await mkdir(join(dir, 'build/scripts'), { recursive: true });
  for (const script of ['postinstall.mjs', 'electron-binary.mjs']) await copyFile(join(ROOT, 'build/scripts', script), join(dir, 'build/scripts', script));
  const electronDir = join(dir, 'node_modules/electron');
  await mkdir(electronDir, { recursive: true });
  for (const file of ['package.json', 'install.js', 'index.js']) await copyFile(join(ELECTRON, file), join(electronDir, file));
  await writeFile(join(electronDir, 'checksums.json'), JSON.stringify({ [ZIP_NAME]: createHash('sha256').update(ZIP).digest('hex') }));
  // install.js's own dependencies, as npm installed them here.
  await mkdir(join(dir, 'node_modules/@electron'));
  await symlink(join(ROOT, 'node_modules/@electron/get'), join(dir, 'node_modules/@electron/get'));
  await symlink(join(ROOT, 'node_modules/extract-zip'), join(dir, 'node_modules/extract-zip'));
  const cache = join(dir, 'electron-cache');
  return { dir, electronDir, cache };
}

/** Environment of a download from `mirror`, cached inside the project; no proxy, no skip. */
function downloadEnv(mirror: string, cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: mirror, electron_config_cache: cache };
  for (const name of Object.keys(env)) if (/^(ELECTRON_SKIP_BINARY_DOWNLOAD|ELECTRON_GET_USE_PROXY|npm_config_electron_|npm_package_config_electron_)/i.test(name)) delete env[name];
  env['ELECTRON_MIRROR'] = mirror;
  return env;
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runScript(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'build/scripts/postinstall.mjs'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let mirror: string;
let requests: string[];
beforeAll(async () => {
  requests = [];
  mirror = await listen((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === `/v${VERSION}/${ZIP_NAME}`) response.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': ZIP.length }).end(ZIP);
    else response.writeHead(404).end('not here');
  });
});

describe('postinstall: Electron binary where it can be downloaded', () => {
  it('installs the binary with electron/install.js and prints nothing', async () => {
    const { dir, electronDir, cache } = await project();
    const result = await runScript(dir, [], downloadEnv(mirror, cache));
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(electronDir, 'path.txt'), 'utf8')).toBe('electron');
    expect(existsSync(join(electronDir, 'dist/electron'))).toBe(true);
    expect(requests).toContain(`/v${VERSION}/${ZIP_NAME}`);
    // Already there: a second install neither downloads nor prints.
    const before = requests.length;
    expect(await runScript(dir, [], downloadEnv(mirror, cache))).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(requests.length).toBe(before);
  });

  it('desktop:install says the shell is installed', async () => {
    const { dir, cache } = await project();
    const result = await runScript(dir, ['--desktop'], downloadEnv(mirror, cache));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Electron is installed; `npm start` opens the desktop app');
  });
});

describe('postinstall: Electron binary where it cannot be downloaded', () => {
  it('prints one line with the cause, installs nothing and exits 0 when the mirror refuses connections', async () => {
    const { dir, electronDir, cache } = await project();
    const port = await closedPort();
    const result = await runScript(dir, [], downloadEnv(`http://127.0.0.1:${port}/`, cache));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `topolab: the desktop shell is unavailable (Electron's binary could not be downloaded: the connection to 127.0.0.1:${port} failed, ECONNREFUSED); ` +
        '`npm start` will serve the app in your browser instead, and `npm run desktop:install` fetches the shell later.',
    );
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false);
  });

  it('names the HTTP status when the mirror has no such file', async () => {
    const { dir, cache } = await project();
    const result = await runScript(dir, [], downloadEnv(`${mirror}missing/`, cache));
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stdout).toContain("(Electron's binary could not be downloaded: the download server answered 404 Not Found);");
  });

  it('says so in one line when ELECTRON_SKIP_BINARY_DOWNLOAD is set', async () => {
    const { dir, cache } = await project();
    const result = await runScript(dir, [], { ...downloadEnv(mirror, cache), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([expect.stringContaining('could not be downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set)')]);
  });

  it('stops a download that takes longer than its bound', async () => {
    const { electronDir, cache } = await project();
    // Accepts the request and never answers.
    const silent = await listen(() => undefined);
    const started = performance.now();
    const outcome = await fetchElectronBinary({ dir: electronDir, timeoutMs: 2000, env: downloadEnv(silent, cache) });
    expect(outcome).toEqual({ ok: false, cause: 'the download took longer than 2 s and was stopped' });
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('desktop:install exits 1 with the cause', async () => {
    const { dir, cache } = await project();
    const port = await closedPort();
    const result = await runScript(dir, ['--desktop'], downloadEnv(`http://127.0.0.1:${port}/`, cache));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`desktop:install: Electron's binary could not be downloaded: the connection to 127.0.0.1:${port} failed, ECONNREFUSED.`);
  });

  it('does nothing in a project without the electron package (a production install)', async () => {
    const { dir } = await project();
    await removeFolder(join(dir, 'node_modules'));
    expect(await readdir(dir)).not.toContain('node_modules');
    expect(await runScript(dir, [], process.env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});
