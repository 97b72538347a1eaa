import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runningLabOf } from '../../../core/runtime/kernel/exec.js';
import { cleanLeftovers, isAlive, labsRoot, processStart, type LabRecord } from '../../../core/runtime/kernel/registry.js';
import { runTopolab } from '../../support/cli.js';
import { waitUntil } from '../../support/wait.js';
import { design, designPath, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab CLI tests');
const MAIN = fileURLToPath(new URL('../../../core/cli/main.ts', import.meta.url));
const FILE = designPath('examples/two-tier-web.topolab.json');
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function topolab(...args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return child;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`topolab exited (${code}) before its first line: ${errors}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe.skipIf(!supported)('topolab up --mode netns and topolab exec', () => {
  it('prints the ready line with the mode and public addresses, runs commands in a node namespace, and stops clean on SIGTERM', { timeout: 120_000 }, async () => {
    const child = topolab('up', FILE, '--mode', 'netns', '--json');
    const ready = JSON.parse(await firstLine(child)) as { event: string; mode: string; endpoints: { id: string; publicAddress?: string }[] };
    expect(Object.keys(ready)).toEqual(['event', 'mode', 'endpoints']);
    expect(ready).toMatchObject({ event: 'ready', mode: 'netns' });
    const lb = ready.endpoints.find((e) => e.id === 'web-lb');
    expect(Object.keys(lb ?? {})).toEqual(['id', 'address', 'url', 'publicAddress']);
    expect(ready.endpoints.filter((e) => e.id !== 'web-lb').every((e) => e.publicAddress === undefined)).toBe(true);

    const curl = await runTopolab('exec', FILE, 'visitor', '--', 'curl', '-s', '-m', '3', `http://${lb?.publicAddress}/`);
    expect(curl.code).toBe(0);
    expect(JSON.parse(curl.out)).toMatchObject({ headers: { 'x-forwarded-for': '203.0.113.10' }, remoteAddress: '10.0.0.10' });
    expect((await runTopolab('exec', FILE, 'app-a', '--', 'sh', '-c', 'exit 3')).code).toBe(3);
    const unknown = await runTopolab('exec', FILE, 'nobody', '--', 'true');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^topolab: "nobody" has no namespace in the running lab; nodes that have one: app-a, app-b, nat, visitor, web-lb\n$/);

    const record = runningLabOf(design('examples/two-tier-web.topolab.json')) as LabRecord;
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(isAlive(record.holderPid, record.holderStart)).toBe(false);
    expect(existsSync(path.join(labsRoot(), record.labId))).toBe(false);
    const none = await runTopolab('exec', FILE, 'visitor', '--', 'true');
    expect(none).toMatchObject({ code: 1, err: expect.stringMatching(/no kernel lab of .* is running: start one with `topolab up .* --mode netns`/) });
  });

  it('after kill -9 every process and namespace of the lab is gone, and the next start removes only what the killed lab left', { timeout: 120_000 }, async () => {
    const child = topolab('up', FILE, '--mode', 'netns', '--json');
    await firstLine(child);
    const record = runningLabOf(design('examples/two-tier-web.topolab.json')) as LabRecord;
    // The namespace hosts: node processes running the host bundle of this CLI process (not the nsenter that started them).
    const hosts = readdirSync('/proc').filter((pid) => {
      const [program, entry] = cmdline(pid).split('\0');
      return /^\d+$/.test(pid) && program === process.execPath && entry?.includes(`topolab-host/${child.pid}/`) === true;
    });
    expect(hosts.length).toBe(3);
    child.kill('SIGKILL');
    await exited(child);
    // The holder sees its stdin close, exits, and the kernel ends everything in the lab's PID namespace.
    await waitUntil(() => !isAlive(record.holderPid, record.holderStart), 'the holder of the killed lab exits');
    await waitUntil(() => hosts.every((pid) => !existsSync(`/proc/${pid}`)), 'every namespace host of the killed lab exits');
    expect(existsSync(path.join(labsRoot(), record.labId))).toBe(true);

    // A record of a lab whose process still runs (this test's) must survive the clean-up.
    const alive = path.join(labsRoot(), 'tl-live-bystander');
    mkdirSync(alive, { recursive: true });
    const pidStart = processStart(process.pid) as string;
    writeFileSync(path.join(alive, 'lab.json'), JSON.stringify({ labId: 'tl-live-bystander', pid: process.pid, pidStart, unsharePid: process.pid, holderPid: process.pid, holderStart: pidStart, namespaces: {}, createdAt: new Date().toISOString() } satisfies LabRecord));
    try {
      expect(cleanLeftovers()).toEqual([record.labId]);
      expect(existsSync(path.join(labsRoot(), record.labId))).toBe(false);
      expect(JSON.parse(readFileSync(path.join(alive, 'lab.json'), 'utf8'))).toMatchObject({ labId: 'tl-live-bystander' });
    } finally {
      rmSync(alive, { recursive: true, force: true });
    }
  });

  it('load --mode netns --from sends from the client\'s namespace through the internet gateway', { timeout: 120_000 }, async () => {
    const run = await runTopolab('load', FILE, '--mode', 'netns', '--to', 'web-lb', '--from', 'visitor', '-n', '20', '-c', '2', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ requests: 20, status: { '200': 20 }, byServer: { 'app-a': 10, 'app-b': 10 } });
  });

  it('refuses --mode with anything but loopback or netns', async () => {
    const run = await runTopolab('up', FILE, '--mode', 'docker');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/argument 'docker' is invalid. Allowed choices are loopback, netns/);
  });
});

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
