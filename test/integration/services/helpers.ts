import http from 'node:http';
import net from 'node:net';
import { Backend } from '../../../core/runtime/services/backend.js';
import type { Endpoint, LabService, UpstreamTarget } from '../../../core/runtime/services/types.js';
import { acceptsConnections } from '../../support/net.js';

/** A finished HTTP exchange. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with Node's client (no connection reuse, so each test sees fresh sockets). */
export function request(
  endpoint: Endpoint,
  path: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: endpoint.host, port: endpoint.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Parses a JSON body, failing the test with the body text when it is not JSON. */
export function json<T = Record<string, unknown>>(reply: Reply): T {
  try {
    return JSON.parse(reply.body) as T;
  } catch {
    throw new Error(`not JSON (status ${reply.status}): ${reply.body.slice(0, 300)}`);
  }
}

/** Writes raw bytes on a fresh socket and collects everything until the server closes (or `idleMs` of silence). */
export function raw(endpoint: Endpoint, bytes: string | Buffer, idleMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(endpoint.port, endpoint.host);
    let data = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    let timer = setTimeout(done, idleMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    });
    socket.on('close', done);
    socket.on('error', done);
  });
}

/** The status code of the first response in raw bytes (0 when there is none). */
export function statusOf(rawResponse: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(rawResponse);
  return match ? Number(match[1]) : 0;
}

/** Starts `n` built-in backends b1..bn and returns them with their targets. */
export async function startBackends(n: number, prefix = 'b'): Promise<{ backends: Backend[]; targets: UpstreamTarget[] }> {
  const backends: Backend[] = [];
  const targets: UpstreamTarget[] = [];
  for (let i = 1; i <= n; i += 1) {
    const backend = new Backend({ nodeId: `${prefix}${i}`, designedAddress: `10.0.1.${10 + i}:80` });
    const endpoint = await backend.start();
    backends.push(backend);
    targets.push({ nodeId: backend.nodeId, endpoint });
  }
  return { backends, targets };
}

/** Stops services (any order, never throws). */
export async function stopAll(services: readonly (LabService | undefined)[]): Promise<void> {
  await Promise.all(services.map((s) => s?.stop()));
}

/** Whether something accepts TCP connections on an endpoint. */
export function isListening(endpoint: Endpoint): Promise<boolean> {
  return acceptsConnections(endpoint.port, endpoint.host);
}

/** Counts of `x-served-by` over `n` sequential GETs. */
export async function servedBy(endpoint: Endpoint, n: number, path = '/', headers: http.OutgoingHttpHeaders = {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i += 1) {
    const reply = await request(endpoint, path, { headers });
    const id = String(reply.headers['x-served-by'] ?? `status-${reply.status}`);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** A tiny origin server whose handler the test writes (for cache and error tests). */
export async function origin(handler: http.RequestListener): Promise<{ endpoint: Endpoint; close: () => Promise<void>; requests: () => number }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as net.AddressInfo;
  return {
    endpoint: { host: '127.0.0.1', port: address.port },
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends each payload on its own raw socket, `concurrency` at a time, and returns the
 * status of each answer in order (0: the connection closed with no answer, -1: nothing
 * within `timeoutMs`, which the burst tests treat as a hang).
 */
export async function rawBurst(endpoint: Endpoint, payloads: readonly string[], concurrency = 50, timeoutMs = 5000): Promise<number[]> {
  const statuses = new Array<number>(payloads.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < payloads.length) {
      const index = next++;
      statuses[index] = await new Promise<number>((resolve) => {
        const socket = net.connect(endpoint.port, endpoint.host);
        let data = '';
        const timer = setTimeout(() => {
          socket.destroy();
          resolve(-1);
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          socket.destroy();
          resolve(statusOf(data));
        };
        socket.on('connect', () => socket.write(payloads[index] as string));
        socket.on('data', (chunk) => {
          data += chunk.toString('latin1');
          // One complete answer is all a burst needs (keep-alive answers do not close).
          const end = data.indexOf('\r\n\r\n');
          const length = /content-length: *(\d+)/i.exec(data.slice(0, end))?.[1];
          if (end !== -1 && length !== undefined && data.length >= end + 4 + Number(length)) done();
        });
        socket.on('close', done);
        socket.on('error', done);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, payloads.length) }, worker));
  return statuses;
}

/** Counts of each value. */
export function tally(values: readonly (number | string)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
