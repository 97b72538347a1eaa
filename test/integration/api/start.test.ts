// `npm start` on a machine without Electron's binary: it must say so and serve the app instead,
// by default for ~/Topolab, made on first start with a copy of the examples.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBinary } from '../../../build/scripts/electron-binary.mjs';
import { acceptsConnections } from '../../support/net.js';
import { waitUntil } from '../../support/wait.js';
import { removeFolder, tempFolder } from './harness.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const START = `${ROOT}build/scripts/start.mjs`;
const CLI = `${ROOT}dist/core/cli/bin.cjs`;

const electronInstalled = (): boolean => electronBinary(ROOT) !== undefined;

const children: ChildProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  // Only reached when a test failed half-way; the tests themselves stop start.mjs with SIGTERM.
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const folder of folders.splice(0)) await removeFolder(folder);
});

/** Runs start.mjs until it prints the serve URL; resolves with everything printed so far. */
function startUntilUrl(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; output: string; url: string }> {
  const child = spawn(process.execPath, [START, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('stops the app when what started it is stopped (npm runs start.mjs through sh, which a SIGTERM to npm ends)', async () => {
    const dir = await tempFolder('topolab-start-');
    folders.push(dir);
    // Like `npm start`: a shell that is not this test runs start.mjs.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${START}" "${dir}" --no-build --browser; true`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(shell);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /^Topolab at (http:\/\/127\.0\.0\.1:(\d+)\/)$/m.exec(output);
        if (match?.[1]) resolve(match[1]);
      };
      shell.stdout.on('data', onData);
      shell.stderr.on('data', onData);
      shell.on('exit', () => reject(new Error(`sh exited early: ${output}`)));
    });
    const port = Number(new URL(url).port);
    expect(await acceptsConnections(port)).toBe(true);
    shell.removeAllListeners('exit');
    shell.kill('SIGKILL'); // the shell goes away without passing anything on
    await waitUntil(async () => !(await acceptsConnections(port)), `the app on port ${port} to stop after its starter is gone`, 10_000, 100);
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
    expect(output).toContain("start: the desktop shell is not installed (npm install could not download Electron's binary); `npm run desktop:install` fetches it");
    // Never the advice of electron's own index.js, which repeats the failed download.
    expect(output).not.toMatch(/delete node_modules\/electron|try installing again/);
    expect(await stop(child)).toBe(0);
  });

  it('without a folder, serves ~/Topolab, made on first start with a copy of the examples, and leaves it alone later', async () => {
    const home = await tempFolder('topolab-home-');
    folders.push(home);
    const env = { ...process.env, HOME: home };
    const designs = join(home, 'Topolab');
    const examples = readdirSync(`${ROOT}examples`).filter((name) => name.endsWith('.topolab.json'));
    const shipped = new Map(examples.map((name) => [name, readFileSync(`${ROOT}examples/${name}`, 'utf8')]));

    const first = await startUntilUrl(['--no-build', '--browser'], env);
    expect(first.output).toContain(`start: made your designs folder ${designs} with a copy of the ${examples.length} examples (the repository's examples/ stay as shipped)`);
    expect(first.output).toContain(`for the designs in ${designs}`);
    const listed = (await (await fetch(`${first.url}api/call/files.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as { result: { files: { name: string }[] } };
    expect(listed.result.files.map((file) => file.name).sort()).toEqual([...examples].sort());
    // Saving over a copy changes the copy only.
    const save = await fetch(`${first.url}api/call/files.write`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: examples[0], text: '{"schema":"topolab/1","nodes":[]}' }),
    });
    expect(save.status).toBe(200);
    expect(await stop(first.child)).toBe(0);
    for (const [name, text] of shipped) expect(readFileSync(`${ROOT}examples/${name}`, 'utf8'), name).toBe(text);

    // The folder is the user's now: a deleted copy stays deleted, a new file stays.
    await rm(join(designs, examples[1]!));
    await writeFile(join(designs, 'mine.topolab.json'), '{"schema":"topolab/1","nodes":[]}');
    const second = await startUntilUrl(['--no-build', '--browser'], env);
    expect(second.output).not.toContain('made your designs folder');
    expect(existsSync(join(designs, examples[1]!))).toBe(false);
    expect(readdirSync(designs)).toContain('mine.topolab.json');
    expect(await stop(second.child)).toBe(0);
  });
});
