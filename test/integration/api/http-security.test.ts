// The HTTP + WebSocket edge of `topolab serve`: who may talk to it, what it refuses, and that
// it keeps serving after every refusal. Real sockets on 127.0.0.1, port 0.
import { request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { MAX_BODY_BYTES } from '../../../core/api/transports/body.js';
import { startHttpServer, type RunningHttpServer } from '../../../core/api/transports/http.js';
import { removeFolder, tempFolder } from './harness.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with full control over the headers (fetch forbids setting Host). */
function send(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A raw request written as-is on a TCP socket; resolves with everything the server sent before closing. */
function raw(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', (error) => (received ? resolve(received) : reject(error)));
    socket.write(text);
  });
}

function call(port: number, method: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(port, { method: 'POST', path: `/api/call/${method}`, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(input) });
}

/** Opens a WebSocket with the given headers; resolves 'open' or the refusal's status code. */
function tryWebSocket(port: number, headers: Record<string, string>): Promise<{ opened: true; ws: WebSocket } | { opened: false; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers });
    ws.on('open', () => resolve({ opened: true, ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.on('error', () => undefined);
  });
}

let base: string;
let service: TopolabService;
let server: RunningHttpServer;
let port: number;

beforeAll(async () => {
  base = await tempFolder('topolab-http-');
  const designs = join(base, 'designs');
  const app = join(base, 'app');
  await mkdir(designs);
  await mkdir(join(app, 'assets'), { recursive: true });
  await writeFile(join(designs, 'a.topolab.json'), '{"schema":"topolab/1"}');
  await writeFile(join(base, 'outside.topolab.json'), 'secret');
  await symlink(join(base, 'outside.topolab.json'), join(designs, 'link.topolab.json'));
  await writeFile(join(app, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(app, 'assets', 'index-AbC123.js'), 'console.log(1)');
  await writeFile(join(app, 'assets', 'style-AbC123.css'), 'body{}');
  await writeFile(join(app, 'favicon.svg'), '<svg/>');
  await writeFile(join(app, '.env'), 'SECRET=1');
  service = createService({ filesRoot: designs });
  server = await startHttpServer({ service, rendererRoot: app, port: 0 });
  port = server.port;
});

afterEach(async () => {
  // Whatever a test threw at it, the server still answers a plain call.
  const reply = await call(port, 'cidr.info', { cidr: '10.0.0.0/8' });
  expect(reply.status).toBe(200);
});

afterAll(async () => {
  await server.close();
  await service.close();
  await removeFolder(base);
});

describe('who may call', () => {
  it('answers its own host names', async () => {
    expect((await call(port, 'files.list', {})).status).toBe(200);
    expect((await call(port, 'files.list', {}, { Host: `localhost:${port}` })).status).toBe(200);
    expect((await call(port, 'files.list', {}, { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it.each(['evil.example', `evil.example:${port}`, '127.0.0.1:1', `127.0.0.1.nip.io:${port}`, `[::1]:${port}`])('refuses Host %s (DNS rebinding) with 421', async (host) => {
    const reply = await call(port, 'files.list', {}, { Host: host });
    expect(reply.status).toBe(421);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'forbidden' } });
    // The app itself is refused too, not only the API.
    expect((await send(port, { headers: { Host: host } })).status).toBe(421);
  });

  it('refuses a request without a Host header', async () => {
    const reply = await raw(port, 'GET / HTTP/1.0\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 421/);
  });

  it.each(['http://evil.example', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'null'])('refuses Origin %s with 403', async (origin) => {
    const reply = await call(port, 'files.list', {}, { Origin: origin });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).error.message).toContain('origin');
  });

  it('refuses a cross-site request by its Fetch Metadata', async () => {
    expect((await call(port, 'files.list', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await call(port, 'files.list', {}, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    expect((await tryWebSocket(port, { 'Sec-Fetch-Site': 'cross-site' })).opened).toBe(false);
  });

  it('lets a link on another site open the app, but not reach the API', async () => {
    const navigation = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };
    expect((await send(port, { path: '/?file=a.topolab.json', headers: navigation })).status).toBe(200);
    expect((await send(port, { path: '/api/call/files.list', headers: navigation })).status).toBe(403);
  });

  it('checks the WebSocket upgrade the same way', async () => {
    const own = await tryWebSocket(port, { Origin: `http://127.0.0.1:${port}` });
    expect(own.opened).toBe(true);
    if (own.opened) own.ws.close();
    expect(await tryWebSocket(port, { Origin: 'http://evil.example' })).toEqual({ opened: false, status: 403 });
    expect(await tryWebSocket(port, { Host: `evil.example:${port}` })).toEqual({ opened: false, status: 421 });
  });
});

describe('what it refuses', () => {
  it.each([
    ['../x.topolab.json', 'a parent path'],
    ['/etc/passwd', 'an absolute path'],
    ['link.topolab.json', 'a symlink out of the folder'],
  ])('files.read of %s (%s) is 403 forbidden', async (name) => {
    const reply = await call(port, 'files.read', { name });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect(reply.body).not.toContain('secret');
  });

  it('malformed JSON is 400 with a clear message', async () => {
    const reply = await send(port, { method: 'POST', path: '/api/call/files.list', headers: { 'Content-Type': 'application/json' }, body: '{"oops":' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'bad-input', message: expect.stringMatching(/not valid JSON/) } });
  });

  it('a schema problem is 400 with the issues', async () => {
    const reply = await call(port, 'cidr.info', { cidr: 42 });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error).toMatchObject({ code: 'bad-input', issues: [{ path: 'cidr' }] });
  });

  it('trace refuses a hostile flow (protocol, ports, icmp with ports) as bad-input and still traces after', async () => {
    const topology = JSON.parse(readFileSync(new URL('../../../examples/three-tier-filtered.topolab.json', import.meta.url), 'utf8')) as unknown;
    const flow = { topology, from: 'app-1', to: 'db' };
    for (const bad of [{ protocol: 'sctp' }, { protocol: 'TCP' }, { port: 0 }, { port: 65536 }, { port: '5432' }, { sourcePort: 0 }, { sourcePort: 70000 }, { sourcePort: 1.5 }, { protocol: 'icmp', port: 5432 }, { protocol: 'icmp', sourcePort: 40000 }, { leg: 'response' }]) {
      const reply = await call(port, 'trace', { ...flow, ...bad });
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(reply.body).error.code).toBe('bad-input');
    }
    const blocked = await call(port, 'trace', { ...flow, sourcePort: 1500 });
    expect(blocked.status).toBe(200);
    expect(JSON.parse(blocked.body).result.blockedBy).toMatchObject({ code: 'network-acl', nodeId: 'acl-db', direction: 'outbound', leg: 'response', rule: null });
    expect(JSON.parse((await call(port, 'trace', flow)).body).result.verdict).toBe('reachable');
  });

  it('an unknown method is 404 unknown-method', async () => {
    const reply = await call(port, 'nope', {});
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body).error.code).toBe('unknown-method');
  });

  it('a conflict is 409 and a missing file 404', async () => {
    expect((await call(port, 'files.write', { name: 'a.topolab.json', text: 'x', expectedMtime: null })).status).toBe(409);
    expect((await call(port, 'files.read', { name: 'missing.topolab.json' })).status).toBe(404);
  });

  it('a body that is not JSON is 415, a GET on a call 405', async () => {
    expect((await send(port, { method: 'POST', path: '/api/call/files.list', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    const get = await send(port, { path: '/api/call/files.list' });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });

  it('a declared body over the limit is 413 before it is read', async () => {
    const reply = await raw(
      port,
      `POST /api/call/files.write HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n{"name":`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(reply).toContain('larger than');
  });

  it('a streamed (chunked) body over the limit is 413', async () => {
    const small = await startHttpServer({ service, rendererRoot: join(base, 'app'), port: 0, maxBodyBytes: 1024 });
    try {
      const chunk = 'x'.repeat(4096);
      const reply = await raw(
        small.port,
        `POST /api/call/files.write HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 413/);
    } finally {
      await small.close();
    }
  });

  it('an unparsable request target is 400, for a request and for an upgrade', async () => {
    expect(await raw(port, `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    const upgrade = await raw(
      port,
      `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(upgrade).toMatch(/^HTTP\/1\.1 404/);
  });

  it('other paths under /api are JSON 404s, and /api/events wants an upgrade', async () => {
    const other = await send(port, { path: '/api/other' });
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body).error.code).toBe('not-found');
    expect((await send(port, { path: '/api/events' })).status).toBe(426);
  });
});

describe('the events socket', () => {
  it('acknowledges subscriptions and answers bad frames with an error frame', async () => {
    const opened = await tryWebSocket(port, {});
    if (!opened.opened) throw new Error('the events socket did not open');
    const { ws } = opened;
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    const next = (count: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (frames.length >= count) resolve();
          else ws.once('message', () => setImmediate(check));
        };
        check();
      });
    ws.send('not json');
    ws.send(JSON.stringify({ subscribe: 'no.such.event' }));
    ws.send(JSON.stringify({ subscribe: 'files.changed', extra: 1 }));
    ws.send(JSON.stringify({ subscribe: 'files.changed' }));
    await next(4);
    expect(frames[0]).toMatchObject({ error: { code: 'bad-input' } });
    expect(frames[1]).toMatchObject({ error: { code: 'bad-input', frame: 'no.such.event' } });
    expect(frames[2]).toMatchObject({ error: { code: 'bad-input' } });
    expect(frames[3]).toEqual({ subscribed: 'files.changed' });
    expect((await call(port, 'files.write', { name: 'ws.topolab.json', text: 'hi' })).status).toBe(200);
    await next(5);
    expect(frames[4]).toMatchObject({ event: 'files.changed', payload: { name: 'ws.topolab.json', size: 2 } });
    ws.close();
  });
});

describe('the app', () => {
  it('serves index.html with the strict headers and no caching', async () => {
    const reply = await send(port, { path: '/' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(reply.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", `connect-src 'self' ws://127.0.0.1:${port}`]) {
      expect(csp).toContain(directive);
    }
  });

  it('serves hashed assets with their MIME type and a long cache', async () => {
    const js = await send(port, { path: '/assets/index-AbC123.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await send(port, { path: '/assets/style-AbC123.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await send(port, { path: '/favicon.svg' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('falls back to index.html for app routes, with ?file= left to the app', async () => {
    for (const path of ['/designs/edit', '/?file=a.topolab.json']) {
      const reply = await send(port, { path });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<div id="root">');
    }
    expect((await send(port, { path: '/missing.js' })).status).toBe(404);
    // Relative asset URLs from a nested route resolve to the one assets folder.
    expect((await send(port, { path: '/designs/assets/index-AbC123.js' })).body).toBe('console.log(1)');
  });

  it('never serves files outside the build or hidden files', async () => {
    for (const path of ['/../designs/a.topolab.json', '/%2e%2e/designs/a.topolab.json', '/..%2fdesigns%2fa.topolab.json', '/.env', '/assets/%00x.js']) {
      const reply = await raw(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      expect(reply, path).not.toContain('topolab/1');
      expect(reply, path).not.toContain('SECRET');
    }
  });

  it('shows how to build when the app is missing', async () => {
    const bare = await startHttpServer({ service, rendererRoot: join(base, 'no-build'), port: 0 });
    try {
      const reply = await send(bare.port, { path: '/' });
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
