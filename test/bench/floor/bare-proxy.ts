/**
 * BENCH TOOL ONLY: the floor of the product's present request path with no lab code:
 * Node's `http.createServer` towards clients, undici `Pool.dispatch` with a raw
 * (Buffer headers) handler towards the upstreams, round robin over the targets, the same
 * headers the lab adds (X-Forwarded-For appended, X-Real-IP, X-Forwarded-Proto/Port,
 * Via) and hop-by-hop headers removed both ways. No limits, timeouts or checks of its own.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import type { Target } from './raw-forwarder.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization']);
const SET_ON_REQUEST = new Set(['x-forwarded-for', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-port', 'via', 'host']);

class Forward implements Dispatcher.DispatchHandler {
  constructor(private readonly res: http.ServerResponse) {}

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    const headers: string[] = [];
    let via = '';
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = (rawHeaders[i] as Buffer).toString('latin1');
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      const value = (rawHeaders[i + 1] as Buffer).toString('latin1');
      if (lower === 'via') via = via === '' ? value : via + ', ' + value;
      else headers.push(name, value);
    }
    headers.push('Via', (via === '' ? '' : via + ', ') + '1.1 bare');
    this.res.writeHead(statusCode, statusText, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.res.write(chunk);
  }

  onComplete(): void {
    this.res.end();
  }

  onError(): void {
    if (this.res.headersSent) this.res.destroy();
    else {
      this.res.writeHead(502, { 'content-type': 'text/plain' });
      this.res.end('502 Bad Gateway\n');
    }
  }
}

/**
 * Starts the bare proxy on 127.0.0.1 (port 0) in front of `targets`; returns its endpoint and a
 * close function. With `tls` it serves HTTPS: `https.createServer` with that certificate.
 */
export async function startBareProxy(targets: readonly Target[], tls?: { cert: string; key: string }): Promise<{ endpoint: Target; close: () => Promise<void> }> {
  const pools = targets.map((t) => new Pool(`http://${t.host}:${t.port}`, { connections: 1024, pipelining: 1, keepAliveTimeout: 4_000 }));
  let next = 0;
  const proto = tls === undefined ? 'http' : 'https';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const pool = pools[next] as Pool;
    next = (next + 1) % pools.length;
    const raw = req.rawHeaders;
    const headers: string[] = [];
    let xff = '';
    let via = '';
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      if (SET_ON_REQUEST.has(lower)) {
        if (lower === 'x-forwarded-for') xff = xff === '' ? (raw[i + 1] as string) : xff + ', ' + (raw[i + 1] as string);
        else if (lower === 'via') via = via === '' ? (raw[i + 1] as string) : via + ', ' + (raw[i + 1] as string);
        else if (lower === 'host') headers.push(name, raw[i + 1] as string);
        continue;
      }
      headers.push(name, raw[i + 1] as string);
    }
    const remote = req.socket.remoteAddress ?? '';
    headers.push('X-Forwarded-For', xff === '' ? remote : xff + ', ' + remote, 'X-Real-IP', remote, 'X-Forwarded-Proto', proto, 'X-Forwarded-Port', String(req.socket.localPort), 'Via', (via === '' ? '' : via + ', ') + '1.1 bare');
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    pool.dispatch({ path: req.url ?? '/', method: req.method as Dispatcher.HttpMethod, headers, body: hasBody ? req : null }, new Forward(res));
  };
  const server = tls === undefined ? http.createServer(handler) : https.createServer({ ...tls, minVersion: 'TLSv1.2', noDelay: true }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: { host: address.address, port: address.port },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(pools.map((p) => p.destroy()));
    },
  };
}
