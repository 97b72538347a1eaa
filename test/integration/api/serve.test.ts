// `topolab serve` as a user runs it: a real process, its exact first line, its API, and a
// clean exit on SIGTERM and SIGINT.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeFolder, tempFolder } from './harness.js';
import { acceptsConnections } from '../../support/net.js';

const MAIN = new URL('../../../core/cli/main.ts', import.meta.url).pathname;
const started: ChildProcess[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) await removeFolder(folder);
});

/** Starts `topolab serve` and resolves with its URL once it printed the first line. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; firstLine: string; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const firstLine = stdout.slice(0, newline);
      const url = /^Topolab at (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(firstLine)?.[1];
      if (url) resolve({ child, url, firstLine, stderr: () => stderr });
      else reject(new Error(`unexpected first line: ${firstLine}`));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${stderr}`)));
  });
}

/** Whether something accepts a TCP connection on 127.0.0.1:port. */
const canConnect = (port: number): Promise<boolean> => acceptsConnections(port);

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

describe('topolab serve', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints its URL, serves the folder, and exits 0 on %s', async (signal) => {
    const dir = await tempFolder('topolab-serve-');
    folders.push(dir);
    await writeFile(join(dir, 'one.topolab.json'), '{}');
    const { child, url, firstLine } = await serve([dir, '--port', '0']);
    expect(firstLine).toMatch(/^Topolab at http:\/\/127\.0\.0\.1:\d+\/$/);
    const reply = await fetch(`${url}api/call/files.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(await reply.json()).toMatchObject({ result: { files: [{ name: 'one.topolab.json', size: 2 }] } });
    const exited = exitOf(child);
    child.kill(signal);
    expect(await exited).toBe(0);
    // The port is released: nothing answers any more.
    await expect(fetch(url)).rejects.toThrow();
  });

  it('stops a running lab when it shuts down, leaving no port open', async () => {
    const dir = await tempFolder('topolab-serve-lab-');
    folders.push(dir);
    const { child, url } = await serve([dir]);
    const post = async (method: string, input: unknown): Promise<{ result?: unknown; error?: unknown }> =>
      (await (await fetch(`${url}api/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) })).json()) as never;
    const text = await readFile(new URL('../../fixtures/lab/web-tier.topolab.json', import.meta.url), 'utf8');
    const parsed = (await post('topology.parse', { text })).result as { ok: boolean; topology?: unknown };
    expect(parsed.ok).toBe(true);
    const started = await post('lab.start', { topology: parsed.topology });
    expect(started.error).toBeUndefined();
    const { endpoints } = started.result as { endpoints: { url: string }[] };
    expect(endpoints.length).toBeGreaterThan(0);
    const ports = endpoints.map((endpoint) => Number(new URL(endpoint.url).port));
    expect(await Promise.all(ports.map(canConnect))).toEqual(ports.map(() => true));

    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await Promise.all(ports.map(canConnect))).toEqual(ports.map(() => false));
  });

  it('exits 2 with a clear message for a folder that does not exist', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '/no/such/folder/anywhere'], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain('no such folder');
  });

  it('refuses a port that is not a number', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '.', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toContain('port');
  });
});
