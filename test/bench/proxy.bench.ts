/**
 * Proxy benchmark: two built-in backends (one child process) behind the built-in L7
 * balancer (another child process) and behind real nginx (worker_processes 1, keep-alive
 * upstream, HTTP/1.1, `Connection ""`), loaded with wrk at 50 and 200 connections; the same
 * for the L4 balancer against nginx `stream`. Each configuration is measured RUNS times in
 * alternation (ours, nginx, ours, nginx, ...) so load from other processes on the shared
 * machine hits both alike; the median run is reported.
 *
 * Targets (issue 17): L7 >= 0.8x nginx requests/s at 50 connections; at 200 connections an
 * L7 p99 no worse than 1.5x nginx's; L4 >= 1.0x nginx requests/s. Besides the ratios, each
 * case prints the CPU time (user + system, from /proc) each side spends per request: on a
 * busy shared machine that is steadier than requests/s and says where a gap comes from.
 *
 * Node is single-threaded, so nginx runs one worker for a like-for-like comparison; wrk
 * runs one thread. Everything binds 127.0.0.1 on ports picked by binding port 0.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../core/runtime/services/types.js';
import { median, type BenchFigure, type BenchModule } from './bench.js';
import { freePort } from '../support/net.js';

export const DURATION_S = Number(process.env['PROXY_BENCH_SECONDS'] ?? '4');
export const RUNS = Number(process.env['PROXY_BENCH_RUNS'] ?? '3');
export const WARMUP_S = 3;
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
const WORKER = fileURLToPath(new URL('./proxy-worker.ts', import.meta.url));

/** What wrk reports for one run. */
export interface WrkResult {
  rps: number;
  /** Requests completed in the run. */
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Parses wrk's `--latency` output (latencies to ms). */
export function parseWrk(output: string): WrkResult {
  const toMs = (text: string | undefined): number => {
    const m = /([\d.]+)(us|ms|s)/.exec(text ?? '');
    if (!m) return Number.NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 'NaN');
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 'NaN');
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(output)?.[1]);
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(output)?.[1]);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? '0');
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, requests, p50, p99, errors };
}

/** CPU time (user + system) a process has used so far, in µs, from /proc (Linux). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN') / 1024;
}

/** The worker processes of an nginx master (its children). */
export function nginxWorkers(masterPid: number): number[] {
  const children = readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim();
  return children === '' ? [] : children.split(/\s+/).map(Number);
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** A wrk run together with the CPU time the measured processes spent per request (µs). */
export interface MeasuredRun extends WrkResult {
  cpuPerRequestUs: number;
}

/** One wrk run that also charges the CPU time of `pids` (the side measured) to its requests. */
export function wrkWithCpu(endpoint: Endpoint, connections: number, seconds: number, pids: readonly number[], scheme: 'http' | 'https' = 'http'): MeasuredRun {
  const before = pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  const result = wrk(endpoint, connections, seconds, scheme);
  const after = pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  return { ...result, cpuPerRequestUs: (after - before) / Math.max(1, result.requests) };
}

/** Several alternating runs of two sides, reduced to the figures the benchmarks print. */
export interface Comparison {
  ours: MeasuredRun;
  nginx: MeasuredRun;
  /** Ratios ours/nginx of each alternating pair of runs, ascending. */
  rpsRatios: number[];
  cpuOurs: number;
  cpuNginx: number;
}

/**
 * Warms both sides up, then runs `runs` alternating pairs (ours, nginx, ours, ...) so the
 * load of other processes hits both alike; the median run of each side is reported, the
 * spread is the range of the pairs' ratios, CPU per request is the median of the runs.
 */
export function compare(
  ours: { endpoint: Endpoint; pids: readonly number[] },
  nginx: { endpoint: Endpoint; pids: readonly number[] },
  connections: number,
  runs = RUNS,
  seconds = DURATION_S,
): Comparison {
  wrk(ours.endpoint, connections, WARMUP_S);
  wrk(nginx.endpoint, connections, 1);
  const o: MeasuredRun[] = [];
  const n: MeasuredRun[] = [];
  for (let i = 0; i < runs; i += 1) {
    o.push(wrkWithCpu(ours.endpoint, connections, seconds, ours.pids));
    n.push(wrkWithCpu(nginx.endpoint, connections, seconds, nginx.pids));
  }
  return {
    ours: medianRun(o),
    nginx: medianRun(n),
    rpsRatios: o.map((r, i) => r.rps / (n[i] as MeasuredRun).rps).sort((a, b) => a - b),
    cpuOurs: median(o.map((r) => r.cpuPerRequestUs)),
    cpuNginx: median(n.map((r) => r.cpuPerRequestUs)),
  };
}

/** The figures of one comparison: requests/s, latencies, ratios against targets, CPU per request, errors. */
export function comparisonFigures(kase: string, r: Comparison, rpsTarget?: number, p99Target?: number): BenchFigure[] {
  const figures: BenchFigure[] = [];
  const ratio = r.ours.rps / r.nginx.rps;
  const range = (values: readonly number[]): string => `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}x`;
  figures.push({ case: kase, measure: 'ours requests/s', value: r.ours.rps, unit: 'rps' });
  figures.push({ case: kase, measure: 'nginx requests/s (1 worker)', value: r.nginx.rps, unit: 'rps' });
  figures.push({ case: kase, measure: 'ours p50', value: r.ours.p50, unit: 'ms' });
  figures.push({ case: kase, measure: 'nginx p50', value: r.nginx.p50, unit: 'ms' });
  figures.push({ case: kase, measure: 'ours p99', value: r.ours.p99, unit: 'ms' });
  figures.push({ case: kase, measure: 'nginx p99', value: r.nginx.p99, unit: 'ms' });
  figures.push({
    case: kase,
    measure: 'rps ratio ours/nginx',
    value: ratio,
    unit: 'x',
    spread: range(r.rpsRatios),
    ...(rpsTarget === undefined ? {} : { target: `>= ${rpsTarget}x`, ok: ratio >= rpsTarget }),
  });
  const p99Ratio = r.ours.p99 / r.nginx.p99;
  figures.push({
    case: kase,
    measure: 'p99 ratio ours/nginx',
    value: p99Ratio,
    unit: 'x',
    ...(p99Target === undefined ? {} : { target: `<= ${p99Target}x`, ok: p99Ratio <= p99Target }),
  });
  figures.push({ case: kase, measure: 'ours CPU per request', value: r.cpuOurs, unit: 'µs' });
  figures.push({ case: kase, measure: 'nginx CPU per request', value: r.cpuNginx, unit: 'µs' });
  figures.push({ case: kase, measure: 'errors (ours)', value: r.ours.errors, unit: '', target: '0', ok: r.ours.errors === 0 });
  return figures;
}

/** One line per comparison on stderr: every run's requests/s, the median latencies, CPU per request. */
export function logComparison(label: string, connections: number, r: Comparison): void {
  console.error(
    `  ${label} c=${connections}: rps ours ${r.ours.rps.toFixed(0)}, nginx ${r.nginx.rps.toFixed(0)} (pair ratios ${r.rpsRatios.map((x) => x.toFixed(2)).join('/')}); ` +
      `p50/p99 ours ${r.ours.p50.toFixed(2)}/${r.ours.p99.toFixed(2)} ms, nginx ${r.nginx.p50.toFixed(2)}/${r.nginx.p99.toFixed(2)} ms; ` +
      `CPU/request ours ${r.cpuOurs.toFixed(0)} µs, nginx ${r.cpuNginx.toFixed(0)} µs; errors ${r.ours.errors}/${r.nginx.errors}; load ${loadAverage()}`,
  );
}

/** The 1-minute load average, for the log lines (the machine is shared). */
export function loadAverage(): string {
  return loadavg()[0]?.toFixed(1) ?? '?';
}

/** One wrk run (one thread) against `scheme://endpoint/`. */
export function wrk(endpoint: Endpoint, connections: number, seconds: number, scheme: 'http' | 'https' = 'http'): WrkResult {
  const output = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', `${scheme}://${endpoint.host}:${endpoint.port}/`], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  return parseWrk(output);
}

export { freePort };

export function waitListening(endpoint: Endpoint, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = net.connect(endpoint.port, endpoint.host);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${endpoint.host}:${endpoint.port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts a worker child (by default ./proxy-worker.ts) and returns its endpoints (first stdout line). */
export function startWorker(args: string[], worker = WORKER): Promise<{ child: ChildProcess; endpoints: Endpoint[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line !== undefined) resolve({ child, endpoints: JSON.parse(line) as Endpoint[] });
    });
    child.once('exit', (code) => reject(new Error(`worker ${args[0]} exited with ${String(code)}`)));
  });
}

export function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** nginx config: one worker, keep-alive HTTP/1.1 upstream for L7, `stream` for L4, all paths in `dir`. */
export function nginxConfig(dir: string, backends: readonly Endpoint[], httpPort: number, streamPort: number): string {
  const servers = backends.map((b) => `    server ${b.host}:${b.port};`).join('\n');
  // Debian builds nginx's stream module as a dynamic module.
  const streamModule = existsSync(STREAM_MODULE) ? `load_module ${STREAM_MODULE};\n` : '';
  return `${streamModule}worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pool {
${servers}
    keepalive 256;
  }
  server {
    listen 127.0.0.1:${httpPort};
    location / {
      proxy_pass http://pool;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
stream {
  upstream tcppool {
${servers}
  }
  server {
    listen 127.0.0.1:${streamPort};
    proxy_pass tcppool;
  }
}
`;
}

/** Median by requests/s of several runs (the run itself, so rps and latencies stay consistent). */
export function medianRun<T extends WrkResult>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)] as T;
}

export const bench: BenchModule = {
  name: 'proxy',
  async run(): Promise<BenchFigure[]> {
    const dir = await mkdtemp(join(tmpdir(), 'topolab-nginx-'));
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, sub));
    let backends: ChildProcess | undefined;
    let l7: ChildProcess | undefined;
    let l4: ChildProcess | undefined;
    let nginx: ChildProcess | undefined;
    try {
      const started = await startWorker(['backends', '2']);
      backends = started.child;
      const targets = started.endpoints.map((endpoint, i) => ({ nodeId: `b${i + 1}`, endpoint }));
      const lb7 = await startWorker(['l7', JSON.stringify(targets)]);
      l7 = lb7.child;
      const lb4 = await startWorker(['l4', JSON.stringify(targets)]);
      l4 = lb4.child;
      const httpPort = await freePort();
      const streamPort = await freePort();
      await writeFile(join(dir, 'nginx.conf'), nginxConfig(dir, started.endpoints, httpPort, streamPort));
      nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
      const nginxHttp = { host: '127.0.0.1', port: httpPort };
      const nginxStream = { host: '127.0.0.1', port: streamPort };
      await waitListening(nginxHttp);
      await waitListening(nginxStream);
      const ours7 = lb7.endpoints[0] as Endpoint;
      const ours4 = lb4.endpoints[0] as Endpoint;

      console.error(`  nginx: worker_processes 1 (Node is single-threaded); wrk: 1 thread; ${RUNS} alternating runs of ${DURATION_S}s each, median run reported`);
      const nginxPids = nginxWorkers(nginx.pid as number);
      const figures: BenchFigure[] = [];
      const measure = (label: string, kase: string, ours: Endpoint, oursPid: number, theirs: Endpoint, connections: number, rpsTarget?: number, p99Target?: number): void => {
        const r = compare({ endpoint: ours, pids: [oursPid] }, { endpoint: theirs, pids: nginxPids }, connections);
        logComparison(label, connections, r);
        figures.push(...comparisonFigures(`${kase} c=${connections}`, r, rpsTarget, p99Target));
      };
      measure('L7', 'L7 vs nginx http', ours7, l7.pid as number, nginxHttp, 50, 0.8);
      measure('L7', 'L7 vs nginx http', ours7, l7.pid as number, nginxHttp, 200, undefined, 1.5);
      measure('L4', 'L4 vs nginx stream', ours4, l4.pid as number, nginxStream, 50, 1.0);
      measure('L4', 'L4 vs nginx stream', ours4, l4.pid as number, nginxStream, 200, 1.0);
      return figures;
    } finally {
      await Promise.all([stopChild(nginx), stopChild(l7), stopChild(l4), stopChild(backends)]);
      await rm(dir, { recursive: true, force: true });
    }
  },
};
