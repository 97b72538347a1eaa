/**
 * Proxy benchmark: two built-in backends (one child process) behind the built-in L7
 * balancer (another child process) and behind real nginx (worker_processes 1, keep-alive
 * upstream, HTTP/1.1, `Connection ""`), loaded with wrk at 50 and 200 connections; the same
 * for the L4 balancer against nginx `stream`. Each configuration is measured RUNS times in
 * alternation (ours, nginx, ours, nginx, ...) so load from other processes on the shared
 * machine hits both alike; the median run is reported.
 *
 * Targets (issue 3): L7 >= 0.6x nginx requests/s at 50 connections; at 200 connections an
 * L7 p99 no worse than 2x nginx's; L4 >= 0.9x nginx requests/s.
 *
 * Node is single-threaded, so nginx runs one worker for a like-for-like comparison; wrk
 * runs one thread. Everything binds 127.0.0.1 on ports picked by binding port 0.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../core/runtime/services/types.js';
import type { BenchFigure, BenchModule } from './bench.js';

export const DURATION_S = Number(process.env['PROXY_BENCH_SECONDS'] ?? '3');
export const RUNS = Number(process.env['PROXY_BENCH_RUNS'] ?? '5');
export const WARMUP_S = 3;
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
const WORKER = fileURLToPath(new URL('./proxy-worker.ts', import.meta.url));

/** What wrk reports for one run. */
export interface WrkResult {
  rps: number;
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
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(output)?.[1]);
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(output)?.[1]);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? '0');
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, p50, p99, errors };
}

/** One wrk run (one thread) against `scheme://endpoint/`. */
export function wrk(endpoint: Endpoint, connections: number, seconds: number, scheme: 'http' | 'https' = 'http'): WrkResult {
  const output = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', `${scheme}://${endpoint.host}:${endpoint.port}/`], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  return parseWrk(output);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

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

/** Starts a worker child and returns its endpoints (first stdout line). */
export function startWorker(args: string[]): Promise<{ child: ChildProcess; endpoints: Endpoint[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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
export function medianRun(runs: WrkResult[]): WrkResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)] as WrkResult;
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

      console.error(`  nginx: worker_processes 1 (Node is single-threaded); wrk: 1 thread; ${RUNS} runs of ${DURATION_S}s each, median run reported`);
      const figures: BenchFigure[] = [];
      const measure = (label: string, ours: Endpoint, theirs: Endpoint, connections: number): { o: WrkResult; n: WrkResult } => {
        // Warm-up: V8's JIT, undici's pools and keep-alive connections take a few seconds to settle.
        wrk(ours, connections, WARMUP_S);
        wrk(theirs, connections, 1);
        const o: WrkResult[] = [];
        const n: WrkResult[] = [];
        for (let i = 0; i < RUNS; i += 1) {
          o.push(wrk(ours, connections, DURATION_S));
          n.push(wrk(theirs, connections, DURATION_S));
        }
        const mo = medianRun(o);
        const mn = medianRun(n);
        console.error(
          `  ${label} c=${connections}: ours ${o.map((r) => r.rps.toFixed(0)).join('/')} rps, nginx ${n.map((r) => r.rps.toFixed(0)).join('/')} rps; ` +
            `median p50/p99 ours ${mo.p50.toFixed(2)}/${mo.p99.toFixed(2)} ms, nginx ${mn.p50.toFixed(2)}/${mn.p99.toFixed(2)} ms; errors ${mo.errors}/${mn.errors}`,
        );
        return { o: mo, n: mn };
      };
      const push = (label: string, connections: number, r: { o: WrkResult; n: WrkResult }, rpsTarget?: number, p99Target?: number): void => {
        const kase = `${label} c=${connections}`;
        const ratio = r.o.rps / r.n.rps;
        figures.push({ case: kase, measure: 'ours requests/s', value: r.o.rps, unit: 'rps' });
        figures.push({ case: kase, measure: 'nginx requests/s (1 worker)', value: r.n.rps, unit: 'rps' });
        figures.push({ case: kase, measure: 'ours p50', value: r.o.p50, unit: 'ms' });
        figures.push({ case: kase, measure: 'nginx p50', value: r.n.p50, unit: 'ms' });
        figures.push({ case: kase, measure: 'ours p99', value: r.o.p99, unit: 'ms' });
        figures.push({ case: kase, measure: 'nginx p99', value: r.n.p99, unit: 'ms' });
        figures.push({
          case: kase,
          measure: 'rps ratio ours/nginx',
          value: ratio,
          unit: 'x',
          ...(rpsTarget === undefined ? {} : { target: `>= ${rpsTarget}x`, ok: ratio >= rpsTarget }),
        });
        const p99Ratio = r.o.p99 / r.n.p99;
        figures.push({
          case: kase,
          measure: 'p99 ratio ours/nginx',
          value: p99Ratio,
          unit: 'x',
          ...(p99Target === undefined ? {} : { target: `<= ${p99Target}x`, ok: p99Ratio <= p99Target }),
        });
        figures.push({ case: kase, measure: 'errors (ours)', value: r.o.errors, unit: '', target: '0', ok: r.o.errors === 0 });
      };
      push('L7 vs nginx http', 50, measure('L7', ours7, nginxHttp, 50), 0.6);
      push('L7 vs nginx http', 200, measure('L7', ours7, nginxHttp, 200), undefined, 2);
      push('L4 vs nginx stream', 50, measure('L4', ours4, nginxStream, 50), 0.9);
      push('L4 vs nginx stream', 200, measure('L4', ours4, nginxStream, 200), 0.9);
      return figures;
    } finally {
      await Promise.all([stopChild(nginx), stopChild(l7), stopChild(l4), stopChild(backends)]);
      await rm(dir, { recursive: true, force: true });
    }
  },
};
