/**
 * HTTPS benchmark (issue 21): L7 requests/s over HTTPS through the built-in balancer (its TLS
 * listener, in a child process) against nginx (worker_processes 1, `listen ... ssl`, keep-alive
 * upstream, setting the headers the balancer sets: PROXY_LOCATION) with the same certificate
 * from the project CA (an ECDSA P-256 leaf), both in front of the same two built-in backends,
 * loaded with wrk (one thread, keep-alive: wrk opens its 50 connections once, so handshakes are
 * per connection, as browsers do) at 50 connections, RUNS runs in alternation, median
 * reported. Target: >= 0.6x nginx, as for plain HTTP.
 *
 * The same two balancers over plain HTTP run in the same alternation, for what HTTPS adds to
 * each. Beside them, what TLS itself costs per request, apart from the balancer: a bare Node
 * `http.createServer` hello world against the same over `https.createServer`, and nginx's
 * `return 200` over plain HTTP and over TLS, each with the server's CPU time per request
 * (utime + stime of the server process from /proc, Linux only), which the machine's other
 * load disturbs less than requests/s.
 *
 * `npm run bench -- tls` runs only this; PROXY_BENCH_SECONDS / PROXY_BENCH_RUNS shorten it.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../core/runtime/services/types.js';
import { ensureAuthority, ensureLeaves } from '../../core/runtime/tls/authority.js';
import { median, type BenchFigure, type BenchModule } from './bench.js';
import { cpuMicros, DURATION_S, freePort, nginxWorkers, medianRun, parseWrk, RUNS, startWorker, stopChild, waitListening, WARMUP_S, type WrkResult } from './proxy.bench.js';

const CONNECTIONS = 50;
const HELLO_WORKER = fileURLToPath(new URL('./tls-hello-worker.ts', import.meta.url));

/**
 * What the lab's own nginx export sets on a proxied request (core/export/nginx/forward.ts), plus
 * `Via` both ways, which the balancer adds and nginx has no directive to append: so nginx does
 * the header work the balancer does, not less.
 */
export const PROXY_LOCATION = [
  'proxy_pass http://backends;',
  'proxy_http_version 1.1;',
  'proxy_set_header Connection "";',
  'proxy_set_header Host $host;',
  'proxy_set_header X-Real-IP $remote_addr;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
  'proxy_set_header X-Forwarded-Port $server_port;',
  'proxy_set_header Via "1.1 nginx";',
  'add_header Via "1.1 nginx";',
]
  .map((line) => `            ${line}`)
  .join('\n');

/**
 * nginx with one worker: HTTPS on `port` with the certificate, a keep-alive HTTP/1.1 upstream of
 * the backends; with `extra`, the same proxy over plain HTTP on `extra.proxy`, and a hello world
 * without an upstream on `extra.plain` (HTTP) and `extra.tls` (HTTPS).
 */
export function nginxTlsConfig(dir: string, backends: readonly Endpoint[], port: number, cert: string, key: string, extra?: { proxy: number; plain: number; tls: number }): string {
  const helloServers =
    extra === undefined
      ? ''
      : `
    server {
        listen 127.0.0.1:${extra.proxy};
        keepalive_requests 100000;
        location / {
${PROXY_LOCATION}
        }
    }
    server {
        listen 127.0.0.1:${extra.plain};
        keepalive_requests 100000;
        location / { return 200 "hello world\\n"; }
    }
    server {
        listen 127.0.0.1:${extra.tls} ssl;
        ssl_certificate ${cert};
        ssl_certificate_key ${key};
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_requests 100000;
        location / { return 200 "hello world\\n"; }
    }`;
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
${PROXY_LOCATION}
        }
    }${helloServers}
}
`;
}

/** CPU µs a process has used so far (undefined off Linux or once it is gone). */
function cpuSoFar(pid: number | undefined): number | undefined {
  try {
    return pid === undefined ? undefined : cpuMicros(pid);
  } catch {
    return undefined;
  }
}

/** nginx's worker process (worker_processes 1), whose CPU time is the server's. */
function nginxWorkerPid(masterPid: number | undefined): number | undefined {
  try {
    const workers = masterPid === undefined ? [] : nginxWorkers(masterPid);
    return workers.length === 1 ? workers[0] : undefined;
  } catch {
    return undefined;
  }
}

/** One wrk run plus the server's CPU time per request (µs) over it. */
interface Measured extends WrkResult {
  cpuUsPerRequest: number;
}

function measure(endpoint: Endpoint, scheme: 'http' | 'https', seconds: number, serverPid: number | undefined): Measured {
  const before = cpuSoFar(serverPid);
  const output = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', `${scheme}://${endpoint.host}:${endpoint.port}/`], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const after = cpuSoFar(serverPid);
  const result = parseWrk(output);
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 'NaN');
  const cpuUsPerRequest = before === undefined || after === undefined ? Number.NaN : (after - before) / requests;
  return { ...result, cpuUsPerRequest };
}

/** Starts the bare hello-world worker (`http`, or `https` with the certificate). */
function startHello(args: string[]): Promise<{ child: ChildProcess; endpoint: Endpoint }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HELLO_WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) resolve({ child, endpoint: (JSON.parse(buffer.split('\n')[0] ?? '[]') as Endpoint[])[0] as Endpoint });
    });
    child.once('exit', (code) => reject(new Error(`hello worker ${args[0]} exited with ${String(code)}`)));
  });
}

/**
 * What a TLS client negotiates with a server, from `openssl s_client` (the same system
 * libssl and default client settings wrk uses, so what wrk gets too): protocol, cipher, key
 * exchange group, the server's signature type and key size, ALPN.
 */
export interface Negotiated {
  protocol: string;
  cipher: string;
  group: string;
  signature: string;
  serverKeyBits: string;
  alpn: string;
}

/** Reads `openssl s_client`'s report; a field it does not print is 'unknown'. */
export function parseSClient(out: string): Negotiated {
  const field = (re: RegExp): string => re.exec(out)?.[1]?.trim() ?? 'unknown';
  return {
    protocol: field(/^New, (\S+), Cipher is/m),
    cipher: field(/^New, \S+, Cipher is (\S+)/m),
    group: field(/^(?:Server Temp Key|Negotiated TLS1\.3 group): ([^,\n]+)/m),
    signature: field(/^Peer signature type: (\S+)/m),
    serverKeyBits: field(/^Server public key is (\d+) bit/m),
    alpn: field(/^ALPN protocol: (\S+)/m),
  };
}

function negotiated(endpoint: Endpoint): Negotiated | undefined {
  try {
    const out = execFileSync('openssl', ['s_client', '-connect', `${endpoint.host}:${endpoint.port}`, '-servername', 'bench.example', '-alpn', 'http/1.1'], { input: '', encoding: 'utf8', timeout: 10_000, stdio: ['pipe', 'pipe', 'ignore'] });
    return parseSClient(out);
  } catch {
    return undefined;
  }
}

/**
 * Header and body bytes of one response through `endpoint` (curl, HTTP/1.1): both sides must
 * answer wrk with the same body and a head of similar size, or one side writes more per request.
 */
function responseBytes(endpoint: Endpoint, scheme: 'http' | 'https'): string {
  try {
    return execFileSync('curl', ['-sk', '--http1.1', '-o', '/dev/null', '-w', '%{size_header}+%{size_download} bytes', `${scheme}://${endpoint.host}:${endpoint.port}/`], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    return 'unknown (curl failed)';
  }
}

const describe = (n: Negotiated | undefined): string => (n === undefined ? 'unknown (openssl s_client failed)' : `${n.protocol} ${n.cipher}, ${n.group}, ${n.signature} ${n.serverKeyBits}-bit key, ALPN ${n.alpn}`);

const range = (values: readonly number[], digits = 0): string => `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Side {
  label: string;
  endpoint: Endpoint;
  scheme: 'http' | 'https';
  pid: number | undefined;
  runs: Measured[];
}

/** Warm-up rounds of WARMUP_S at most: a Node server (and the Node backends behind it) takes 10-15 s of load to settle. */
const MAX_WARMUP_ROUNDS = 6;

/**
 * Loads a side until it is warm: until its CPU time per request stops falling (two rounds in a
 * row within 15 %), at least two rounds and at most MAX_WARMUP_ROUNDS. A Node process's first
 * seconds pay for JIT compilation (in its CPU time too, on V8's compiler threads): measured
 * after a fixed 3 s, its first run counted 300-600 µs a request against 90-130 once warm.
 */
function warmUp(side: Side): void {
  let previous = Number.NaN;
  for (let round = 0; round < MAX_WARMUP_ROUNDS; round += 1) {
    const { cpuUsPerRequest } = measure(side.endpoint, side.scheme, WARMUP_S, side.pid);
    if (round >= 1 && Math.abs(cpuUsPerRequest - previous) <= 0.15 * previous) return;
    previous = cpuUsPerRequest;
  }
}

/** Measures the sides RUNS times in alternation (each warmed up first) so load from other processes hits them alike. */
function alternate(sides: Side[]): void {
  for (const side of sides) warmUp(side);
  for (let i = 0; i < RUNS; i += 1) for (const side of sides) side.runs.push(measure(side.endpoint, side.scheme, DURATION_S, side.pid));
}

function report(side: Side): string {
  return `${side.label} ${side.runs.map((r) => r.rps.toFixed(0)).join('/')} rps, ${side.runs.map((r) => r.cpuUsPerRequest.toFixed(0)).join('/')} µs CPU/req`;
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
      const helloHttp = await startHello(['http']);
      children.push(helloHttp.child);
      const helloHttps = await startHello(['https', leaf.certPath, leaf.keyPath]);
      children.push(helloHttps.child);
      const ours = lb.endpoints[1] as Endpoint;
      const [port, plainProxy, helloPlain, helloTls] = [await freePort(), await freePort(), await freePort(), await freePort()];
      await writeFile(join(dir, 'nginx.conf'), nginxTlsConfig(dir, started.endpoints, port, leaf.certPath, leaf.keyPath, { proxy: plainProxy, plain: helloPlain, tls: helloTls }));
      const nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(nginx);
      const theirs = { host: '127.0.0.1', port };
      await waitListening(theirs);
      const nginxPid = nginxWorkerPid(nginx.pid);
      const [ourTls, theirTls] = [negotiated(ours), negotiated(theirs)];
      // A fair comparison needs the same protocol, cipher, group and key on both sides.
      const sameTls = ourTls !== undefined && JSON.stringify(ourTls) === JSON.stringify(theirTls) && !Object.values(ourTls).includes('unknown');
      console.error(
        `  HTTPS, one ECDSA P-256 certificate from the project CA; ours ${describe(ourTls)}; nginx ${describe(theirTls)}; response head+body ours ${responseBytes(ours, 'https')}, nginx ${responseBytes(theirs, 'https')}; nginx worker_processes 1; wrk 1 thread, c=${CONNECTIONS} kept alive; ${RUNS} runs of ${DURATION_S}s in alternation, median run; load average before ${load()}`,
      );

      // The same balancers over plain HTTP (ours: the node's plain port) tell what HTTPS adds to each.
      const balancers: Side[] = [
        { label: 'ours', endpoint: ours, scheme: 'https', pid: lb.child.pid, runs: [] },
        { label: 'nginx', endpoint: theirs, scheme: 'https', pid: nginxPid, runs: [] },
        { label: 'ours http', endpoint: lb.endpoints[0] as Endpoint, scheme: 'http', pid: lb.child.pid, runs: [] },
        { label: 'nginx http', endpoint: { host: '127.0.0.1', port: plainProxy }, scheme: 'http', pid: nginxPid, runs: [] },
      ];
      alternate(balancers);
      const [o, n, oPlain, nPlain] = balancers as [Side, Side, Side, Side];
      console.error(`  L7 c=${CONNECTIONS}: ${balancers.map(report).join('; ')}; errors ${medianRun(o.runs).errors}/${medianRun(n.runs).errors}; load average ${load()}`);

      const bare: Side[] = [
        { label: 'Node http', endpoint: helloHttp.endpoint, scheme: 'http', pid: helloHttp.child.pid, runs: [] },
        { label: 'Node https', endpoint: helloHttps.endpoint, scheme: 'https', pid: helloHttps.child.pid, runs: [] },
        { label: 'nginx http', endpoint: { host: '127.0.0.1', port: helloPlain }, scheme: 'http', pid: nginxPid, runs: [] },
        { label: 'nginx https', endpoint: { host: '127.0.0.1', port: helloTls }, scheme: 'https', pid: nginxPid, runs: [] },
      ];
      alternate(bare);
      const [nodeHttp, nodeHttps, nginxHttp, nginxHttps] = bare as [Side, Side, Side, Side];
      console.error(`  bare hello world c=${CONNECTIONS}: ${bare.map(report).join('; ')}; load average ${load()}`);

      const mo = medianRun(o.runs);
      const mn = medianRun(n.runs);
      const ratio = mo.rps / mn.rps;
      const ratios = o.runs.map((r, i) => r.rps / (n.runs[i]?.rps ?? Number.NaN));
      const kase = `L7 vs nginx https c=${CONNECTIONS}`;
      const cpu = (side: Side): number => median(side.runs.map((r) => r.cpuUsPerRequest));
      const cpuSpread = (side: Side): string => `${range(side.runs.map((r) => r.cpuUsPerRequest))} µs`;
      const rpsSpread = (side: Side): string => range(side.runs.map((r) => r.rps));
      const tlsCost = (plain: Side, tls: Side): number => cpu(tls) - cpu(plain);
      const bareCase = `bare hello world c=${CONNECTIONS}`;
      return [
        { case: kase, measure: 'ours requests/s', value: mo.rps, unit: 'rps', spread: rpsSpread(o) },
        { case: kase, measure: 'nginx requests/s (1 worker)', value: mn.rps, unit: 'rps', spread: rpsSpread(n) },
        { case: kase, measure: 'ours p99', value: mo.p99, unit: 'ms' },
        { case: kase, measure: 'nginx p99', value: mn.p99, unit: 'ms' },
        { case: kase, measure: 'ours CPU per request', value: cpu(o), unit: 'µs', spread: cpuSpread(o) },
        { case: kase, measure: 'nginx CPU per request', value: cpu(n), unit: 'µs', spread: cpuSpread(n) },
        { case: kase, measure: 'rps ratio ours/nginx', value: ratio, unit: 'x', spread: `${range(ratios, 2)}x`, target: '>= 0.6x', ok: ratio >= 0.6 },
        { case: kase, measure: 'same TLS parameters both sides', value: sameTls ? 1 : 0, unit: '', spread: describe(ourTls), target: 'same', ok: sameTls },
        { case: kase, measure: 'errors (ours)', value: mo.errors, unit: '', target: '0', ok: mo.errors === 0 },
        { case: kase, measure: 'plain HTTP rps ratio ours/nginx (same run)', value: medianRun(oPlain.runs).rps / medianRun(nPlain.runs).rps, unit: 'x', spread: `${range(oPlain.runs.map((r, i) => r.rps / (nPlain.runs[i]?.rps ?? Number.NaN)), 2)}x` },
        { case: kase, measure: 'ours CPU per request, plain HTTP', value: cpu(oPlain), unit: 'µs', spread: cpuSpread(oPlain) },
        { case: kase, measure: 'nginx CPU per request, plain HTTP', value: cpu(nPlain), unit: 'µs', spread: cpuSpread(nPlain) },
        { case: kase, measure: 'HTTPS CPU cost per request, ours', value: tlsCost(oPlain, o), unit: 'µs' },
        { case: kase, measure: 'HTTPS CPU cost per request, nginx', value: tlsCost(nPlain, n), unit: 'µs' },
        { case: bareCase, measure: 'Node http requests/s', value: medianRun(nodeHttp.runs).rps, unit: 'rps', spread: rpsSpread(nodeHttp) },
        { case: bareCase, measure: 'Node https requests/s', value: medianRun(nodeHttps.runs).rps, unit: 'rps', spread: rpsSpread(nodeHttps) },
        { case: bareCase, measure: 'nginx http requests/s', value: medianRun(nginxHttp.runs).rps, unit: 'rps', spread: rpsSpread(nginxHttp) },
        { case: bareCase, measure: 'nginx https requests/s', value: medianRun(nginxHttps.runs).rps, unit: 'rps', spread: rpsSpread(nginxHttps) },
        ...bare.map((side) => ({ case: bareCase, measure: `${side.label} CPU per request`, value: cpu(side), unit: 'µs', spread: cpuSpread(side) })),
        { case: bareCase, measure: 'TLS CPU cost per request, Node', value: tlsCost(nodeHttp, nodeHttps), unit: 'µs' },
        { case: bareCase, measure: 'TLS CPU cost per request, nginx', value: tlsCost(nginxHttp, nginxHttps), unit: 'µs' },
      ];
    } finally {
      await Promise.all(children.map((c) => stopChild(c)));
      await rm(dir, { recursive: true, force: true });
    }
  },
};
