import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/net.js';
import { DesignView } from '../../../core/export/design.js';
import type { Topology } from '../../../core/model/types.js';

/** Debian builds the stream module as a dynamic module; tests load it where it is installed. */
export const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

export { freePort } from '../../support/net.js';

/**
 * Maps every designed endpoint of the design (proxies, servers, auto-scaling instances) to a
 * free 127.0.0.1 port, as the live lab does, unless `fixed` already names one.
 */
export async function loopbackMap(topology: Topology, fixed: Record<string, string> = {}): Promise<Record<string, string>> {
  const view = new DesignView(topology);
  const keys = new Set<string>();
  for (const [, address] of view.addresses) if (address.port > 0) keys.add(key(address.ip, address.port));
  for (const group of view.index.ofKind('autoscaling-group')) for (const e of view.instancesOf(group.id)) keys.add(key(e.ip, e.port));
  const map: Record<string, string> = { ...fixed };
  for (const k of [...keys].sort()) map[k] ??= `127.0.0.1:${await freePort()}`;
  return map;
}

function key(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The output and exit code of a finished command. */
export interface RunResult {
  code: number | null;
  /** stdout and stderr as they came. */
  output: string;
  /** stdout alone (e.g. a JSON answer, without the warnings a tool writes to stderr). */
  stdout: string;
}

/** Runs a command to completion (bounded by `timeoutMs`) and collects stdout + stderr; `env` adds to the environment. */
export async function run(command: string, args: string[], timeoutMs = 20_000, env: Record<string, string> = {}): Promise<RunResult> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const stdout: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output, stdout: Buffer.concat(stdout).toString('utf8') };
}

/** A temporary folder, removed by `cleanup`. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  // nginx workers drop root to `nobody` when the tests run as root: they must reach the folder.
  await chmod(dir, 0o755);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `nginx -t` with its own prefix and config file (pid, logs and temp paths come from the export's runDir). */
export async function nginxTest(dir: string, config: string): Promise<RunResult> {
  const file = join(dir, 'nginx.conf');
  await writeFile(file, config);
  return run('nginx', ['-t', '-q', '-p', dir, '-c', file]);
}

/** `haproxy -c -f`. */
export async function haproxyCheck(dir: string, config: string): Promise<RunResult> {
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, config);
  return run('haproxy', ['-c', '-q', '-f', file]);
}

/** A started tool; `stop` ends exactly this process and waits for it. */
export interface Running {
  child: ChildProcess;
  stop(): Promise<void>;
  output(): string;
}

/** Starts nginx (foreground), HAProxy (-db) or Squid (-N) with a config and waits until `port` accepts connections. */
export async function startTool(tool: 'nginx' | 'haproxy' | 'squid', dir: string, config: string, port: number): Promise<Running> {
  const file = join(dir, tool === 'nginx' ? 'nginx.conf' : tool === 'haproxy' ? 'haproxy.cfg' : 'squid.conf');
  await writeFile(file, config);
  const args = tool === 'nginx' ? ['-p', dir, '-c', file, '-g', 'daemon off;'] : tool === 'haproxy' ? ['-db', '-f', file] : ['-N', '-f', file];
  const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Squid drains clients for 30 s on SIGTERM; the tests have nothing left in flight.
    child.kill(tool === 'squid' ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      if (/Address already in use/i.test(output)) throw new PortTakenError(port, tool, output);
      throw new Error(`${tool} did not start listening on ${port}:\n${output}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const running = { child, stop, output: () => output };
  await expectOwnListener(running, tool, port);
  return running;
}

/**
 * A port from `freePort` was taken by another process (the machine is shared) before the
 * tool could bind it. Not a finding about the tool: the caller may start again on new ports.
 */
export class PortTakenError extends Error {
  constructor(
    readonly port: number,
    tool: string,
    output: string,
  ) {
    super(`port ${port} was taken by another process before ${tool} could listen on it:\n${output}`);
  }
}

/**
 * Throws PortTakenError (after stopping the tool) when what answers on `port` is not the
 * tool's own socket, so a test never talks to another engineer's server by mistake.
 */
export async function expectOwnListener(running: Running, tool: string, port: number): Promise<void> {
  const pid = running.child.pid;
  if (pid === undefined || (await listenerOwnedBy(pid, port))) return;
  await running.stop();
  throw new PortTakenError(port, tool, running.output());
}

/**
 * Whether process `pid` holds every socket listening on 127.0.0.1:`port`, from Linux's /proc
 * (nginx's master and HAProxy keep their listening sockets open). Every, not one: HAProxy
 * sets SO_REUSEPORT, so on a shared machine it can bind a port another HAProxy already
 * listens on, and the kernel then splits the connections between the two. Where /proc
 * cannot tell (another OS), it answers true: the connect check alone has to do.
 */
export async function listenerOwnedBy(pid: number, port: number): Promise<boolean> {
  let table: string;
  try {
    table = await readFile('/proc/net/tcp', 'utf8');
  } catch {
    return true;
  }
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st ... inode (field 9); st 0A is LISTEN.
    if (fields[1] === local && fields[3] === '0A' && fields[9] !== undefined) inodes.add(fields[9]);
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  const own = new Set<string>();
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) own.add(inode);
  }
  return own.size === inodes.size;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` now. */
export async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A small HTTP backend that names itself and echoes the request it saw. */
export interface Backend {
  id: string;
  port: number;
  /** Requests served, for distribution checks. */
  hits: number;
  server: Server;
  stop(): Promise<void>;
}

/** Starts a backend on 127.0.0.1 at `port` (or port 0). Replies `{ id, path, headers }` with `x-served-by`. */
export async function startBackend(id: string, port = 0): Promise<Backend> {
  const backend: Backend = { id, port: 0, hits: 0, server: createServer(), stop: async () => undefined };
  backend.server.on('request', (req, res) => {
    backend.hits++;
    const body = JSON.stringify({ id, path: req.url, headers: req.headers });
    const cacheable = req.url?.startsWith('/static/') === true;
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-served-by': id,
      ...(cacheable ? { 'cache-control': 'max-age=60', 'last-modified': 'Mon, 02 Nov 2026 10:00:00 GMT' } : {}),
    });
    res.end(body);
  });
  backend.server.listen(port, '127.0.0.1');
  await once(backend.server, 'listening');
  backend.port = (backend.server.address() as AddressInfo).port;
  backend.stop = async () => {
    if (!backend.server.listening) return;
    backend.server.closeAllConnections();
    backend.server.close();
    await once(backend.server, 'close');
  };
  return backend;
}

/** What one request through the proxy returned. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET on a fresh connection (so balancers see each request as new), optionally from a given source address. */
export async function get(port: number, path = '/', options: { host?: string; from?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        headers: { connection: 'close', ...(options.host ? { host: options.host } : {}), ...options.headers },
        ...(options.from ? { localAddress: options.from } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}
