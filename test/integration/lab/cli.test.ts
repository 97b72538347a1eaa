import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sendOne } from '../../../core/runtime/load/index.js';
import { accepts, fixturePath } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../../core/cli/main.ts', import.meta.url));
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function topolab(...args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Every stdout line as it arrives, parsed as JSON. */
function jsonLines(child: ChildProcess): { lines: unknown[]; next(): Promise<unknown> } {
  const lines: unknown[] = [];
  const waiting: ((line: unknown) => void)[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    const value: unknown = JSON.parse(text);
    lines.push(value);
    waiting.shift()?.(value);
  });
  let read = 0;
  return {
    lines,
    next: () => (read < lines.length ? Promise.resolve(lines[read++]) : new Promise((resolve) => waiting.push((v) => (read++, resolve(v))))),
  };
}

describe('topolab up', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints the ready line, serves, and on %s stops everything and exits 0', async (signal) => {
    const child = topolab('up', fixturePath('balancers'), '--json');
    const stdout = jsonLines(child);
    const ready = (await stdout.next()) as { event: string; endpoints: { id: string; address: string; url: string }[] };
    expect(Object.keys(ready)).toEqual(['event', 'endpoints']);
    expect(ready.event).toBe('ready');
    expect(ready.endpoints.map((e) => e.id).sort()).toEqual(['lb', 'lb-hash', 'web1', 'web2', 'web3']);
    for (const endpoint of ready.endpoints) expect(Object.keys(endpoint)).toEqual(['id', 'address', 'url']);
    expect(ready.endpoints.find((e) => e.id === 'lb')).toEqual({ id: 'lb', address: '10.0.1.10:80', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const lb = ready.endpoints.find((e) => e.id === 'lb')?.url ?? '';
    const reply = await sendOne({ url: lb });
    expect(reply.status).toBe(200);
    expect(['web1', 'web2']).toContain(reply.servedBy[0]);

    child.kill(signal);
    expect(await exited(child)).toBe(0);
    for (const endpoint of ready.endpoints) expect(await accepts(endpoint.url)).toBe(false);
    // After the ready line: status events only, ending with the stopped lab.
    const after = stdout.lines.slice(1) as { event: string; lab: string }[];
    expect(after.every((l) => l.event === 'status')).toBe(true);
    expect(after.at(-1)?.lab).toBe('stopped');
  });

  it('refuses a design that cannot run with exit 1 and the reason', async () => {
    const child = topolab('up', fixturePath('cannot-run'), '--json');
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(child)).toBe(1);
    expect(stderr).toMatch(/the lab did not start/);
    expect(stderr).toMatch(/lab-upstream-invalid/);
  });
});

describe('topolab load', () => {
  it('prints exactly {requests, rps, status, latency, byServer, byAddress} with --json and stops what it started', async () => {
    const child = topolab('load', fixturePath('balancers'), '--to', 'lb', '--from', 'user', '-n', '60', '-c', '4', '--json');
    const stdout = jsonLines(child);
    expect(await exited(child)).toBe(0);
    expect(stdout.lines).toHaveLength(1);
    const summary = stdout.lines[0] as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['requests', 'rps', 'status', 'latency', 'byServer', 'byAddress']);
    expect(summary).toMatchObject({ requests: 60, status: { '200': 60 }, byServer: { web1: 30, web2: 30 } });
    expect(Object.keys(summary['byAddress'] as object)).toHaveLength(1);
    expect(Object.keys(summary['latency'] as object)).toEqual(['p50', 'p90', 'p99', 'max']);
    expect(summary['rps']).toBeGreaterThan(0);
  });

  it('sends to a DNS name of the design, resolved through the lab DNS, and splits byAddress', async () => {
    const child = topolab('load', fixturePath('dns'), '--to', 'www.shop.example', '--from', 'user', '-n', '10', '-c', '1', '--json');
    const stdout = jsonLines(child);
    expect(await exited(child)).toBe(0);
    // www has a TTL of 1 s and two values: a run slowed past 1 s by load re-resolves and may
    // move on to web2. Whatever the split, each request went to the address that the lab DNS
    // gave for the server that answered it, and to nothing outside the record.
    const report = stdout.lines[0] as { requests: number; status: Record<string, number>; byServer: Record<string, number>; byAddress: Record<string, number> };
    expect(report).toMatchObject({ requests: 10, status: { '200': 10 } });
    expect(Object.keys(report.byAddress).every((a) => a === '10.0.1.10' || a === '10.0.1.11'), JSON.stringify(report.byAddress)).toBe(true);
    expect(report.byServer['web1'] ?? 0).toBe(report.byAddress['10.0.1.10'] ?? 0);
    expect(report.byServer['web2'] ?? 0).toBe(report.byAddress['10.0.1.11'] ?? 0);
    expect((report.byServer['web1'] ?? 0) + (report.byServer['web2'] ?? 0)).toBe(10);
  });

  it('exits 1 naming the blocking node when the client cannot reach the target in the design', async () => {
    const child = topolab('load', fixturePath('balancers'), '--to', 'web1', '--from', 'user', '-n', '5');
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(child)).toBe(1);
    expect(stderr).toMatch(/user cannot reach web1 in the design: blocked by private/);
  });

  it('exits 2 for -n together with -d', async () => {
    const child = topolab('load', fixturePath('balancers'), '--to', 'lb', '-n', '5', '-d', '1');
    expect(await exited(child)).toBe(2);
  });
});
