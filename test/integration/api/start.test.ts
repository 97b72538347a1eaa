// `npm start` on a machine without Electron's binary: it must say so and serve the app instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { removeFolder, tempFolder } from './harness.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const START = `${ROOT}build/scripts/start.mjs`;
const CLI = `${ROOT}dist/core/cli/main.js`;

function electronInstalled(): boolean {
  try {
    const path: unknown = createRequire(`${ROOT}package.json`)('electron');
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}

const children: ChildProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  // Only reached when a test failed half-way; the tests themselves stop start.mjs with SIGTERM.
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const folder of folders.splice(0)) await removeFolder(folder);
});

/** Runs start.mjs until it prints the serve URL; resolves with everything printed so far. */
function startUntilUrl(args: string[]): Promise<{ child: ChildProcess; output: string; url: string }> {
  const child = spawn(process.execPath, [START, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /^Topolab at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1];
      if (url) resolve({ child, output, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`start.mjs exited with ${code}: ${output}`)));
  });
}

/** SIGTERM (which start.mjs passes on to serve) and the exit code; never SIGKILL, which would orphan serve. */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start', () => {
  it('needs the compiled CLI (npm run build:core) for these tests', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build:core`).toBe(true);
  });

  it('serves the app in the browser when asked (--browser), printing the URL, and stops on SIGTERM', async () => {
    const dir = await tempFolder('topolab-start-');
    folders.push(dir);
    const { child, output, url } = await startUntilUrl([dir, '--no-build', '--browser']);
    expect(output).toContain('serving the same app in your browser instead');
    expect((await fetch(`${url}api/call/files.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(200);
    expect(await stop(child)).toBe(0);
  });

  it('refuses an unknown option instead of ignoring it', async () => {
    const child = spawn(process.execPath, [START, '--bogus'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(output).toMatch(/unknown option --bogus/);
  });

  it('says that Electron is missing and falls back to serve', async (context) => {
    if (electronInstalled()) {
      console.log('skipped: the Electron binary is installed here, so npm start launches the desktop app instead');
      context.skip();
    }
    const dir = await tempFolder('topolab-start-');
    folders.push(dir);
    const { child, output } = await startUntilUrl([dir, '--no-build']);
    expect(output).toMatch(/Electron is not available \(.+\)/);
    expect(await stop(child)).toBe(0);
  });
});
