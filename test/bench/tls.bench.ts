/**
 * HTTPS benchmark (issue 21): L7 requests/s over HTTPS through the built-in balancer (its TLS
 * listener, in a child process) against nginx (worker_processes 1, `listen ... ssl`, keep-alive
 * upstream) with the same certificate from the project CA, both in front of the same two
 * built-in backends, loaded with wrk (one thread, keep-alive, so the handshake cost is paid per
 * connection as browsers do) at 50 connections, RUNS runs in alternation, median reported.
 * Target: >= 0.6x nginx, as for plain HTTP.
 * `npm run bench -- tls` runs only this; PROXY_BENCH_SECONDS / PROXY_BENCH_RUNS shorten it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint } from '../../core/runtime/services/types.js';
import { ensureAuthority, ensureLeaves } from '../../core/runtime/tls/authority.js';
import type { BenchFigure, BenchModule } from './bench.js';
import { DURATION_S, freePort, medianRun, RUNS, startWorker, stopChild, waitListening, WARMUP_S, wrk, type WrkResult } from './proxy.bench.js';

const CONNECTIONS = 50;

/** nginx with one worker: HTTPS on `port` with the certificate, a keep-alive HTTP/1.1 upstream of the backends. */
export function nginxTlsConfig(dir: string, backends: readonly Endpoint[], port: number, cert: string, key: string): string {
  return `worker_processes 1;
daemon off;
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
    upstream backends {
${backends.map((b) => `        server ${b.host}:${b.port};`).join('\n')}
        keepalive 64;
    }
    server {
        listen 127.0.0.1:${port} ssl;
        ssl_certificate ${cert};
        ssl_certificate_key ${key};
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_requests 100000;
        location / {
            proxy_pass http://backends;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-Proto $scheme;
        }
    }
}
`;
}

export const bench: BenchModule = {
  name: 'tls',
  async run(): Promise<BenchFigure[]> {
    const dir = await mkdtemp(join(tmpdir(), 'topolab-tls-bench-'));
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, sub));
    const children: (ChildProcess | undefined)[] = [];
    try {
      const authority = await ensureAuthority(dir);
      const [leaf] = await ensureLeaves(dir, authority, ['bench.example']);
      if (leaf === undefined) throw new Error('no certificate');
      const started = await startWorker(['backends', '2']);
      children.push(started.child);
      const targets = started.endpoints.map((endpoint, i) => ({ nodeId: `b${i + 1}`, endpoint }));
      const lb = await startWorker(['l7tls', JSON.stringify(targets), leaf.certPath, leaf.keyPath]);
      children.push(lb.child);
      const ours = lb.endpoints[1] as Endpoint;
      const port = await freePort();
      await writeFile(join(dir, 'nginx.conf'), nginxTlsConfig(dir, started.endpoints, port, leaf.certPath, leaf.keyPath));
      const nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(nginx);
      const theirs = { host: '127.0.0.1', port };
      await waitListening(theirs);
      console.error(`  HTTPS, one certificate (RSA 2048 from the project CA); nginx worker_processes 1; wrk 1 thread, c=${CONNECTIONS}; ${RUNS} runs of ${DURATION_S}s, median run`);
      wrk(ours, CONNECTIONS, WARMUP_S, 'https');
      wrk(theirs, CONNECTIONS, 1, 'https');
      const o: WrkResult[] = [];
      const n: WrkResult[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        o.push(wrk(ours, CONNECTIONS, DURATION_S, 'https'));
        n.push(wrk(theirs, CONNECTIONS, DURATION_S, 'https'));
      }
      const mo = medianRun(o);
      const mn = medianRun(n);
      console.error(`  L7 https c=${CONNECTIONS}: ours ${o.map((r) => r.rps.toFixed(0)).join('/')} rps, nginx ${n.map((r) => r.rps.toFixed(0)).join('/')} rps; errors ${mo.errors}/${mn.errors}`);
      const ratio = mo.rps / mn.rps;
      const kase = `L7 vs nginx https c=${CONNECTIONS}`;
      return [
        { case: kase, measure: 'ours requests/s', value: mo.rps, unit: 'rps' },
        { case: kase, measure: 'nginx requests/s (1 worker)', value: mn.rps, unit: 'rps' },
        { case: kase, measure: 'ours p99', value: mo.p99, unit: 'ms' },
        { case: kase, measure: 'nginx p99', value: mn.p99, unit: 'ms' },
        { case: kase, measure: 'rps ratio ours/nginx', value: ratio, unit: 'x', target: '>= 0.6x', ok: ratio >= 0.6 },
        { case: kase, measure: 'errors (ours)', value: mo.errors, unit: '', target: '0', ok: mo.errors === 0 },
      ];
    } finally {
      await Promise.all(children.map((c) => stopChild(c)));
      await rm(dir, { recursive: true, force: true });
    }
  },
};
