/**
 * Floor benchmark (`npm run bench -- floor`): could any request path in one Node thread
 * reach 0.8x nginx requests/s (issue 17)? Five forwarders in front of the same two
 * built-in backends (one child process), each in its own process, loaded in turn with wrk
 * (one thread, 50 connections):
 *
 * - nginx, one worker, configured as the proxy benchmark does (keep-alive upstream);
 * - `bare`: Node `http.createServer` + undici `Pool.dispatch`, no lab code (./bare-proxy.ts);
 * - `raw`: the prototype on raw `net` sockets with llhttp in WebAssembly both ways
 *   (./raw-forwarder.ts; a bench tool, never product code);
 * - `balancer`: the lab's L7 balancer (core/runtime/services/l7-balancer.ts);
 * - `l4`: the lab's L4 balancer, a TCP relay that parses nothing: each keep-alive request
 *   costs it the same four socket calls as any forwarder (read and write on each side), so
 *   its CPU per request is a lower bound for any HTTP forwarder on Node's `net` sockets.
 *
 * Before measuring, each Node forwarder must pass a functional check (GET, a POST with
 * Content-Length and a chunked POST reach a backend with their bodies and the
 * X-Forwarded-For the forwarder appends), so a broken prototype cannot post a fast figure.
 * Then FLOOR_BENCH_RUNS rounds (default 3) of FLOOR_BENCH_SECONDS (default 4) per side, the
 * side order rotating each round so load from other processes hits every side alike.
 * Printed per side: median requests/s, CPU time per request (user + system of its
 * process(es) from /proc over each run, divided by the requests wrk completed in it), and
 * the ratio to nginx of each round, median and range. The backends' and wrk's CPU per
 * request are printed too: on 2 shared cores, requests/s follow the CPU of everything on
 * the request path, not the forwarder's alone.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../../core/runtime/services/types.js';
import { Agent, fetch, type RequestInit as UndiciRequestInit } from 'undici';
import { ensureAuthority, ensureLeaves } from '../../../core/runtime/tls/authority.js';
import { median, type BenchFigure, type BenchModule } from '../bench.js';
import { nginxTlsConfig } from '../tls.bench.js';
import { CLOCK_TICKS, cpuMicros, freePort, loadAverage, nginxConfig, nginxWorkers, startWorker, stopChild, waitListening, wrkWithCpu, type MeasuredRun } from '../proxy.bench.js';

const RUNS = Number(process.env['FLOOR_BENCH_RUNS'] ?? '3');
const SECONDS = Number(process.env['FLOOR_BENCH_SECONDS'] ?? '4');
const CONNECTIONS = Number(process.env['FLOOR_BENCH_CONNECTIONS'] ?? '50');
const WARMUP_S = 3;
/** Warm-up rounds of WARMUP_S at most per side. */
const MAX_WARMUP_ROUNDS = 6;
const FLOOR_WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Side {
  name: string;
  endpoint: Endpoint;
  pids: readonly number[];
}

interface SideRuns {
  runs: MeasuredRun[];
  backendCpu: number[];
  wrkCpu: number[];
  loads: string[];
}

/** CPU time (user + system, µs) of this process's waited-for children (wrk, run by execFileSync), from /proc. */
function waitedChildrenMicros(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // After the command name: cutime is field 16, cstime 17 (state, field 3, is index 0).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1e6) / CLOCK_TICKS;
}

/** GET, POST with Content-Length and chunked POST through `endpoint`; throws unless each reaches a backend whole. */
async function checkForwards(name: string, endpoint: Endpoint, scheme: 'http' | 'https'): Promise<void> {
  const base = `${scheme}://${endpoint.host}:${endpoint.port}`;
  // The bench CA is not trusted here: this checks forwarding, not certificates.
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  const body = 'x'.repeat(20_000);
  const chunked = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(body.slice(0, 7_000)));
      controller.enqueue(new TextEncoder().encode(body.slice(7_000)));
      controller.close();
    },
  });
  const cases: [string, RequestInit, number][] = [
    ['GET', { headers: { 'x-forwarded-for': '192.0.2.1' } }, 0],
    ['POST length', { method: 'POST', body }, body.length],
    ['POST chunked', { method: 'POST', body: chunked, duplex: 'half' } as RequestInit, body.length],
  ];
  for (const [label, init, bytes] of cases) {
    const res = await fetch(`${base}/floor-check`, { ...(init as UndiciRequestInit), dispatcher });
    const text = await res.text();
    let json: { bodyBytes?: number; headers?: Record<string, string> };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw new Error(`${name} failed its functional check (${label}): status ${res.status}, not the backend's JSON: ${text.slice(0, 200)}`);
    }
    const xff = json.headers?.['x-forwarded-for'] ?? '';
    const proto = json.headers?.['x-forwarded-proto'] ?? '';
    const wantXff = label === 'GET' ? '192.0.2.1, 127.0.0.1' : '127.0.0.1';
    if (res.status !== 200 || json.bodyBytes !== bytes || xff !== wantXff || proto !== scheme || !(res.headers.get('via') ?? '').includes('1.1 ')) {
      throw new Error(`${name} failed its functional check (${label}): status ${res.status}, bodyBytes ${String(json.bodyBytes)}, x-forwarded-for "${xff}", x-forwarded-proto "${proto}", via "${String(res.headers.get('via'))}"`);
    }
  }
  await dispatcher.close();
}

/**
 * Loads a side until its CPU time per request stops falling (two rounds in a row within 15 %),
 * two rounds at least and MAX_WARMUP_ROUNDS at most: a Node forwarder pays for JIT compilation
 * in its first seconds of load (over HTTPS one 3 s round left the balancer at 3-5 times its
 * settled CPU a request), as in ../tls.bench.ts.
 */
function warmUp(side: Side, scheme: 'http' | 'https'): void {
  let previous = Number.NaN;
  for (let round = 0; round < MAX_WARMUP_ROUNDS; round += 1) {
    const { cpuPerRequestUs } = wrkWithCpu(side.endpoint, CONNECTIONS, WARMUP_S, side.pids, scheme);
    if (round >= 1 && Math.abs(cpuPerRequestUs - previous) <= 0.15 * previous) return;
    previous = cpuPerRequestUs;
  }
}

function range(values: readonly number[], digits: number, unit: string): string {
  return `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}${unit}`;
}

/**
 * The floor benchmark over `scheme`. Over HTTPS (`npm run bench -- floor-tls`) every side
 * serves the same certificate (the project CA's ECDSA P-256 leaf, as the TLS benchmark):
 * nginx `listen ... ssl` with the lab's proxy headers (../tls.bench.ts), bare on
 * `https.createServer`, raw on `tls.createServer`, the balancer's own TLS listener, and for
 * l4 a TLS terminator that relays the decrypted bytes (./tls-relay.ts), the floor of any
 * HTTPS forwarder on Node's sockets.
 */
function floorBench(scheme: 'http' | 'https'): BenchModule {
  return {
    name: scheme === 'http' ? 'floor' : 'floor-tls',
    async run(): Promise<BenchFigure[]> {
      const dir = await mkdtemp(join(tmpdir(), 'topolab-floor-'));
      for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, sub));
      const children: ChildProcess[] = [];
      try {
        const backends = await startWorker(['backends', '2']);
        children.push(backends.child);
        const targets = JSON.stringify(backends.endpoints.map((endpoint, i) => ({ nodeId: `b${i + 1}`, endpoint })));
        const tls = scheme === 'https' ? await benchCertificate(dir) : undefined;
        const certArgs = tls === undefined ? [] : [tls.certPath, tls.keyPath];
        const balancer = await startWorker(tls === undefined ? ['l7', targets] : ['l7tls', targets, ...certArgs]);
        children.push(balancer.child);
        const raw = await startWorker([tls === undefined ? 'raw' : 'raw-tls', targets, ...certArgs], FLOOR_WORKER);
        children.push(raw.child);
        const bare = await startWorker([tls === undefined ? 'bare' : 'bare-tls', targets, ...certArgs], FLOOR_WORKER);
        children.push(bare.child);
        const l4 = tls === undefined ? await startWorker(['l4', targets]) : await startWorker(['tls-relay', targets, ...certArgs], FLOOR_WORKER);
        children.push(l4.child);
        const httpPort = await freePort();
        const streamPort = await freePort();
        await writeFile(join(dir, 'nginx.conf'), tls === undefined ? nginxConfig(dir, backends.endpoints, httpPort, streamPort) : nginxTlsConfig(dir, backends.endpoints, httpPort, tls.certPath, tls.keyPath));
        const nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
        children.push(nginx);
        const nginxHttp = { host: '127.0.0.1', port: httpPort };
        await waitListening(nginxHttp);

        const sides: Side[] = [
          { name: 'nginx', endpoint: nginxHttp, pids: nginxWorkers(nginx.pid as number) },
          { name: 'bare', endpoint: bare.endpoints[0] as Endpoint, pids: [bare.child.pid as number] },
          { name: 'raw', endpoint: raw.endpoints[0] as Endpoint, pids: [raw.child.pid as number] },
          // The balancer over HTTPS: its TLS listener (its second endpoint).
          { name: 'balancer', endpoint: balancer.endpoints[tls === undefined ? 0 : 1] as Endpoint, pids: [balancer.child.pid as number] },
          { name: 'l4', endpoint: l4.endpoints[0] as Endpoint, pids: [l4.child.pid as number] },
        ];
        // nginx is the reference, and the L4 relays add no X-Forwarded-For or Via: only the Node HTTP forwarders are checked.
        for (const side of sides) if (side.name !== 'nginx' && side.name !== 'l4') await checkForwards(side.name, side.endpoint, scheme);

        console.error(`  ${scheme === 'http' ? 'floor' : 'floor over HTTPS'}: ${sides.map((s) => s.name).join(', ')}; wrk 1 thread, c=${CONNECTIONS}; ${RUNS} rounds of ${SECONDS}s per side, order rotating; load ${loadAverage()}`);
        for (const side of sides) warmUp(side, scheme);
        const backendPid = backends.child.pid as number;
        const results = new Map<string, SideRuns>(sides.map((s) => [s.name, { runs: [], backendCpu: [], wrkCpu: [], loads: [] }]));
        for (let round = 0; round < RUNS; round += 1) {
          const order = sides.map((_, i) => sides[(i + round) % sides.length] as Side);
          for (const side of order) {
            const backendBefore = cpuMicros(backendPid);
            const wrkBefore = waitedChildrenMicros();
            const run = wrkWithCpu(side.endpoint, CONNECTIONS, SECONDS, side.pids, scheme);
            const entry = results.get(side.name) as SideRuns;
            entry.runs.push(run);
            entry.backendCpu.push((cpuMicros(backendPid) - backendBefore) / Math.max(1, run.requests));
            entry.wrkCpu.push((waitedChildrenMicros() - wrkBefore) / Math.max(1, run.requests));
            entry.loads.push(loadAverage());
          }
          const line = sides.map((s) => {
            const r = (results.get(s.name) as SideRuns).runs[round] as MeasuredRun;
            const e = results.get(s.name) as SideRuns;
            return `${s.name} ${r.rps.toFixed(0)} rps ${r.cpuPerRequestUs.toFixed(0)} µs (backends ${(e.backendCpu[round] as number).toFixed(0)}, wrk ${(e.wrkCpu[round] as number).toFixed(0)})`;
          });
          console.error(`  round ${round + 1}: ${line.join('; ')}; load ${loadAverage()}`);
        }

        const figures: BenchFigure[] = [];
        const nginxRuns = (results.get('nginx') as SideRuns).runs;
        const kase = `c=${CONNECTIONS}`;
        for (const side of sides) {
          const entry = results.get(side.name) as SideRuns;
          const rps = entry.runs.map((r) => r.rps);
          const cpu = entry.runs.map((r) => r.cpuPerRequestUs);
          const errors = entry.runs.reduce((sum, r) => sum + r.errors, 0);
          figures.push({ case: kase, measure: `${side.name} requests/s`, value: median(rps), unit: 'rps', spread: range(rps, 0, '') });
          figures.push({ case: kase, measure: `${side.name} CPU per request`, value: median(cpu), unit: 'µs', spread: range(cpu, 1, ' µs') });
          figures.push({ case: kase, measure: `backends' CPU per request (${side.name})`, value: median(entry.backendCpu), unit: 'µs', spread: range(entry.backendCpu, 1, ' µs') });
          figures.push({ case: kase, measure: `wrk's CPU per request (${side.name})`, value: median(entry.wrkCpu), unit: 'µs', spread: range(entry.wrkCpu, 1, ' µs') });
          figures.push({ case: kase, measure: `${side.name} errors`, value: errors, unit: '', target: '0', ok: errors === 0 });
          if (side.name === 'nginx') continue;
          const ratios = entry.runs.map((r, i) => r.rps / (nginxRuns[i] as MeasuredRun).rps);
          const cpuRatios = entry.runs.map((r, i) => r.cpuPerRequestUs / (nginxRuns[i] as MeasuredRun).cpuPerRequestUs);
          figures.push({ case: kase, measure: `${side.name}/nginx requests/s`, value: median(ratios), unit: 'x', spread: range(ratios, 2, 'x') });
          figures.push({ case: kase, measure: `${side.name}/nginx CPU per request`, value: median(cpuRatios), unit: 'x', spread: range(cpuRatios, 2, 'x') });
        }
        console.error(`  load average during the rounds: ${[...results.values()].flatMap((e) => e.loads).join(' ')}`);
        return figures;
      } finally {
        await Promise.all(children.map((child) => stopChild(child)));
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The project CA's leaf for `bench.example` (ECDSA P-256), created in `dir`. */
async function benchCertificate(dir: string): Promise<{ certPath: string; keyPath: string }> {
  const [leaf] = await ensureLeaves(dir, await ensureAuthority(dir), ['bench.example']);
  if (leaf === undefined) throw new Error('no certificate');
  return leaf;
}

export const bench = floorBench('http');
export const tlsBench = floorBench('https');
