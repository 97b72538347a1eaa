/**
 * Lab benchmark: the built-in L7 balancer end to end, as a user runs it, and the memory
 * of a running lab.
 *
 * - End to end: `topolab up --json` (the CLI binary) runs a design with a load balancer in
 *   front of three lab servers; nginx (one worker, keep-alive upstream) is put in front of
 *   the same three lab servers. wrk (one thread) loads both in alternation at 50 and 200
 *   connections. The balancer shares its process (one thread) with the servers; nginx's
 *   worker has a process of its own, so "CPU per request" counts the whole path on each
 *   side: the lab process for ours, the lab process plus nginx's worker for nginx.
 * - Memory: a running 50-service lab (a balancer in front of 49 servers), RSS idle, then
 *   sampled every second while wrk keeps 200 connections busy through the balancer for
 *   LAB_BENCH_RSS_SECONDS (default 60). RSS is printed, not judged: V8 lets the old
 *   generation grow until its first major collection, which a minute may not reach. What
 *   is judged is a leak: the same lab in a process with --expose-gc (lab-heap-worker.ts),
 *   the live heap after a forced full collection after each 10 s round of the same load;
 *   the last round may not hold more than 5% over the first.
 *
 * Targets (issue 17): end to end like the proxy benchmark (>= 0.8x nginx requests/s at 50
 * connections, p99 <= 1.5x nginx's at 200); no heap growth over the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../core/runtime/services/types.js';
import { median, type BenchFigure, type BenchModule } from './bench.js';
import { labDesign } from './lab-design.js';
import { compare, comparisonFigures, freePort, loadAverage, logComparison, nginxConfig, nginxWorkers, rssMb, stopChild, waitListening } from './proxy.bench.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/core/cli/bin.cjs');
const RSS_SECONDS = Number(process.env['LAB_BENCH_RSS_SECONDS'] ?? '60');
const RSS_SERVICES = 50;
const HEAP_WORKER = fileURLToPath(new URL('./lab-heap-worker.ts', import.meta.url));

interface RunningLab {
  child: ChildProcess;
  /** Loopback endpoint per node id. */
  endpoints: Map<string, Endpoint>;
}

/** Starts `topolab up --json FILE` and resolves once its ready line names the endpoints. */
function startLab(file: string): Promise<RunningLab> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'up', '--json', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (!buffer.includes('\n') || line === undefined) return;
      child.stdout?.off('data', onData);
      // Keep draining status events so the lab never blocks on a full pipe.
      child.stdout?.resume();
      const ready = JSON.parse(line) as { event: string; endpoints: { id: string; url: string }[] };
      const endpoints = new Map(ready.endpoints.map((e) => {
        const url = new URL(e.url);
        return [e.id, { host: url.hostname, port: Number(url.port) }] as const;
      }));
      resolve({ child, endpoints });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`topolab up exited with ${String(code)}`)));
  });
}

/** Runs wrk for `seconds` without blocking, so the caller can sample the lab meanwhile. */
function wrkAsync(endpoint: Endpoint, connections: number, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, `http://${endpoint.host}:${endpoint.port}/`], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

/** The live heap (MB) after a forced full collection after each round of c=200 load (lab-heap-worker.ts). */
function heapRounds(rounds: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', HEAP_WORKER, String(RSS_SERVICES - 1), String(rounds), '10'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`lab-heap-worker exited with ${String(code)}`));
      else resolve(output.trim().split('\n').map((line) => (JSON.parse(line) as { heapMb: number }).heapMb));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function endToEnd(dir: string): Promise<BenchFigure[]> {
  const file = join(dir, 'lab3.topolab.json');
  await writeFile(file, JSON.stringify(labDesign(3)));
  const ngxDir = join(dir, 'nginx');
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(ngxDir, sub), { recursive: true });
  let lab: RunningLab | undefined;
  let nginx: ChildProcess | undefined;
  try {
    lab = await startLab(file);
    const servers = ['web-1', 'web-2', 'web-3'].map((id) => lab?.endpoints.get(id) as Endpoint);
    const balancer = lab.endpoints.get('lb') as Endpoint;
    const httpPort = await freePort();
    const streamPort = await freePort();
    await writeFile(join(ngxDir, 'nginx.conf'), nginxConfig(ngxDir, servers, httpPort, streamPort));
    nginx = spawn('nginx', ['-p', ngxDir, '-c', join(ngxDir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const nginxHttp = { host: '127.0.0.1', port: httpPort };
    await waitListening(nginxHttp);
    const labPid = lab.child.pid as number;
    const nginxPids = [...nginxWorkers(nginx.pid as number), labPid];
    console.error(`  end to end: topolab up (balancer + 3 lab servers, one process) vs nginx (1 worker) in front of the same 3 servers`);
    const figures: BenchFigure[] = [];
    for (const [connections, rpsTarget, p99Target] of [
      [50, 0.8, undefined],
      [200, undefined, 1.5],
    ] as const) {
      const r = compare({ endpoint: balancer, pids: [labPid] }, { endpoint: nginxHttp, pids: nginxPids }, connections);
      logComparison('end to end', connections, r);
      figures.push(...comparisonFigures(`L7 + 3 lab servers vs nginx c=${connections}`, r, rpsTarget, p99Target));
    }
    return figures;
  } finally {
    await Promise.all([stopChild(nginx), stopChild(lab?.child)]);
  }
}

async function memory(dir: string): Promise<BenchFigure[]> {
  const file = join(dir, 'lab50.topolab.json');
  await writeFile(file, JSON.stringify(labDesign(RSS_SERVICES - 1)));
  let lab: RunningLab | undefined;
  try {
    lab = await startLab(file);
    const pid = lab.child.pid as number;
    const balancer = lab.endpoints.get('lb') as Endpoint;
    await sleep(3000);
    const idle = rssMb(pid);
    const samples: number[] = [];
    const load = wrkAsync(balancer, 200, RSS_SECONDS);
    const started = Date.now();
    while (Date.now() - started < RSS_SECONDS * 1000) {
      await sleep(1000);
      samples.push(rssMb(pid));
    }
    await load;
    console.error(`  ${RSS_SERVICES}-service lab RSS: idle ${idle.toFixed(0)} MB; under c=200 for ${RSS_SECONDS}s ${samples.map((s) => s.toFixed(0)).join(' ')} MB; load ${loadAverage()}`);
    await stopChild(lab.child);
    const heap = await heapRounds(Math.max(2, Math.round(RSS_SECONDS / 10)));
    const first = heap[0] as number;
    const last = heap[heap.length - 1] as number;
    const growth = (last - first) / first;
    console.error(`  ${RSS_SERVICES}-service lab, live heap after a forced full collection after each 10 s round at c=200: ${heap.map((h) => h.toFixed(1)).join(' ')} MB`);
    const kase = `${RSS_SERVICES}-service lab`;
    return [
      { case: kase, measure: 'RSS idle', value: idle, unit: 'MB' },
      { case: kase, measure: `RSS under c=200 (median of ${RSS_SECONDS}s)`, value: median(samples), unit: 'MB', spread: `${Math.min(...samples).toFixed(0)}-${Math.max(...samples).toFixed(0)} MB` },
      { case: kase, measure: `RSS at the end of ${RSS_SECONDS}s`, value: samples[samples.length - 1] ?? Number.NaN, unit: 'MB' },
      {
        case: kase,
        measure: `live heap growth over ${heap.length} rounds of 10s (after full GC)`,
        value: growth * 100,
        unit: '%',
        spread: `${first.toFixed(1)} -> ${last.toFixed(1)} MB`,
        target: '<= 5%',
        ok: growth <= 0.05,
      },
    ];
  } finally {
    await stopChild(lab?.child);
  }
}

export const bench: BenchModule = {
  name: 'lab',
  async run(): Promise<BenchFigure[]> {
    const dir = await mkdtemp(join(tmpdir(), 'topolab-lab-bench-'));
    try {
      return [...(await endToEnd(dir)), ...(await memory(dir))];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
