import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../core/runtime/services/backend.js';
import { MAX_HOPS, MAX_PARALLEL_CALLS, type Dependency, type DependencyOptions } from '../../../core/runtime/services/dependencies.js';
import { allowAll, type ConnectGate, type Endpoint } from '../../../core/runtime/services/types.js';
import { waitUntil } from '../../support/wait.js';
import { json, raw, request, statusOf } from './helpers.js';

/**
 * A built-in server with dependencies calls each of them for every request it serves, over
 * real sockets: HTTP calls and TCP connections, in parallel (bounded) or in order, within a
 * timeout, through the gate and only to lab endpoints; it answers 502/504/508 naming the
 * dependency that failed and lists its calls in `x-topolab-calls`.
 */

const stoppable: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(stoppable.splice(0).map((s) => s.stop()));
});

/** A started built-in backend. */
async function backend(nodeId: string, options: Partial<ConstructorParameters<typeof Backend>[0]> = {}): Promise<{ service: Backend; endpoint: Endpoint }> {
  const service = new Backend({ nodeId, designedAddress: `10.0.1.${nodeId.length}:80`, ...options });
  stoppable.push(service);
  return { service, endpoint: await service.start() };
}

/** Dependencies on nodes found in `endpoints`, on their designed port 80. */
function calls(endpoints: Map<string, Endpoint>, deps: (Partial<Dependency> & { nodeId: string })[], extra: Partial<DependencyOptions> = {}): DependencyOptions {
  return {
    dependencies: deps.map((d, i) => ({ edgeId: `e${i + 1}`, port: 80, protocol: 'http', ...d })),
    gate: allowAll,
    locate: (id) => endpoints.get(id),
    ...extra,
  };
}

/** A plain HTTP server that counts requests and the most it held at once, answering after `delayMs`. */
async function countingServer(delayMs: number): Promise<{ endpoint: Endpoint; stats: { requests: number; peak: number; active: number }; stop(): Promise<void> }> {
  const stats = { requests: 0, peak: 0, active: 0 };
  const server = http.createServer((req, res) => {
    stats.requests += 1;
    stats.active += 1;
    stats.peak = Math.max(stats.peak, stats.active);
    const timer = setTimeout(() => res.end('ok'), delayMs);
    // Answered or cut off (the caller gave up): the request no longer counts as active.
    res.on('close', () => {
      clearTimeout(timer);
      stats.active -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const handle = {
    endpoint: { host: '127.0.0.1', port: address.port },
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  stoppable.push(handle);
  return handle;
}

describe('a server calling its dependencies', () => {
  it('calls each over HTTP and TCP, answers 200 and lists the calls in x-topolab-calls and the body', async () => {
    const api = await backend('api');
    const db = await backend('db');
    const endpoints = new Map([['api', api.endpoint], ['db', db.endpoint]]);
    const web = await backend('web', { calls: calls(endpoints, [{ nodeId: 'api' }, { nodeId: 'db', port: 5432, protocol: 'tcp' }]) });
    const reply = await request(web.endpoint, '/orders', { headers: { via: '1.1 lb' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-served-by']).toBe('web');
    expect(String(reply.headers['x-topolab-calls'])).toMatch(/^api;edge=e1;result=200;dur=[\d.]+, db;edge=e2;result=connected;dur=[\d.]+$/);
    const body = json<{ calls: { node: string; result: string }[] }>(reply);
    expect(body.calls.map((c) => `${c.node}:${c.result}`)).toEqual(['api:ok', 'db:ok']);
    // The HTTP call asked for the same path, carrying the request's Via and this hop.
    const seen = json<{ path: string; headers: Record<string, string> }>(await request(api.endpoint, '/probe'));
    expect(seen.path).toBe('/probe');
    await waitUntil(() => api.service.metrics().requests === 2, 'api saw the call and the probe');
    // /health never calls: a stopped dependency must not take the caller out of its balancers.
    await db.service.stop();
    expect((await request(web.endpoint, '/health')).status).toBe(200);
    expect(api.service.metrics().requests).toBe(2);
  });

  it('answers 502 naming a stopped dependency (TCP refused, HTTP refused) and counts it as its own 502', async () => {
    const api = await backend('api');
    const db = await backend('db');
    const endpoints = new Map([['api', api.endpoint], ['db', db.endpoint]]);
    const web = await backend('web', { calls: calls(endpoints, [{ nodeId: 'api' }, { nodeId: 'db', protocol: 'tcp' }]) });
    await db.service.stop();
    const reply = await request(web.endpoint, '/');
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-failed-dependency']).toBe('db');
    expect(json(reply)).toMatchObject({ error: 'dependency-failed', status: 502, node: 'web', dependency: 'db', edge: 'e2' });
    expect(json<{ message: string }>(reply).message).toMatch(/^web: dependency db \(edge e2\) failed: db refused the connection \(ECONNREFUSED\)$/);
    expect(String(reply.headers['x-topolab-calls'])).toMatch(/api;edge=e1;result=200;dur=[\d.]+, db;edge=e2;result=refused;dur=/);
    await api.service.stop();
    const both = await request(web.endpoint, '/');
    expect(json(both)).toMatchObject({ dependency: 'api' });
    expect(web.service.metrics().statusCodes).toEqual({ '502': 2 });
  });

  it('in sequential order stops at the first failure; in parallel it makes every call', async () => {
    const a = await backend('a');
    const b = await backend('b');
    const endpoints = new Map([['a', a.endpoint], ['b', b.endpoint]]);
    await a.service.stop();
    const sequential = await backend('seq', { calls: calls(endpoints, [{ nodeId: 'a' }, { nodeId: 'b' }], { order: 'sequential' }) });
    const reply = await request(sequential.endpoint, '/');
    expect(reply.status).toBe(502);
    expect(String(reply.headers['x-topolab-calls'])).toMatch(/^a;edge=e1;result=refused;dur=[\d.]+$/);
    expect(b.service.metrics().requests).toBe(0);
    const parallel = await backend('par', { calls: calls(endpoints, [{ nodeId: 'a' }, { nodeId: 'b' }]) });
    const both = await request(parallel.endpoint, '/');
    expect(both.status).toBe(502);
    expect(String(both.headers['x-topolab-calls'])).toMatch(/^a;edge=e1;result=refused;dur=[\d.]+, b;edge=e2;result=200;dur=/);
  });

  it('bounds a slow dependency by the call timeout: 504 naming it, long before the dependency answers', async () => {
    const slow = await backend('slow', { latency: 5_000 });
    const web = await backend('web', { calls: calls(new Map([['slow', slow.endpoint]]), [{ nodeId: 'slow' }], { timeoutMs: 150 }) });
    const started = performance.now();
    const reply = await request(web.endpoint, '/');
    expect(reply.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(json(reply)).toMatchObject({ error: 'dependency-timeout', dependency: 'slow' });
    expect(json<{ message: string }>(reply).message).toContain('slow did not answer within 150 ms');
  });

  it('a dependency answering 5xx fails the request; 4xx does not', async () => {
    const flaky = await backend('flaky', { errorRate: 1 });
    const web = await backend('web', { calls: calls(new Map([['flaky', flaky.endpoint]]), [{ nodeId: 'flaky' }]) });
    const reply = await request(web.endpoint, '/');
    expect(reply.status).toBe(502);
    expect(json<{ message: string }>(reply).message).toContain('flaky answered 500');
    expect(String(reply.headers['x-topolab-calls'])).toMatch(/^flaky;edge=e1;result=500;/);
    const missing = http.createServer((_req, res) => {
      res.statusCode = 404;
      res.end('no such thing');
    });
    await new Promise<void>((resolve) => missing.listen(0, '127.0.0.1', resolve));
    stoppable.push({ stop: () => new Promise<void>((resolve) => missing.close(() => resolve())) });
    const port = (missing.address() as net.AddressInfo).port;
    const lenient = await backend('lenient', { calls: calls(new Map([['api', { host: '127.0.0.1', port }]]), [{ nodeId: 'api' }]) });
    const ok = await request(lenient.endpoint, '/');
    expect(ok.status).toBe(200);
    expect(String(ok.headers['x-topolab-calls'])).toMatch(/^api;edge=e1;result=404;/);
  });

  it('asks the gate with the edge port and names the blocker, connecting to nothing', async () => {
    const db = await backend('db');
    const seen: string[] = [];
    const gate: ConnectGate = (from, to, flow) => {
      seen.push(`${from}->${to}:${flow?.port}`);
      return { allowed: false, blockedBy: 'rt-data', code: 'no-route', reason: 'route table "rt-data" has no route for "db"' };
    };
    const web = await backend('web', { calls: calls(new Map([['db', db.endpoint]]), [{ nodeId: 'db', port: 5432, protocol: 'tcp' }], { gate }) });
    const reply = await request(web.endpoint, '/');
    expect(seen).toEqual(['web->db:5432']);
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-blocked-by']).toBe('rt-data');
    expect(json(reply)).toMatchObject({ error: 'dependency-blocked', dependency: 'db', blockedBy: 'rt-data', code: 'no-route' });
    expect(db.service.metrics().activeConnections).toBe(0);
    expect(db.service.metrics().requests).toBe(0);
  });

  it('never connects outside the lab: a dependency located off loopback fails without a connection', async () => {
    for (const protocol of ['http', 'tcp'] as const) {
      const web = await backend(`web-${protocol}`, { calls: calls(new Map([['db', { host: '10.0.0.9', port: 80 }]]), [{ nodeId: 'db', protocol }]) });
      const reply = await request(web.endpoint, '/');
      expect(reply.status).toBe(502);
      expect(json<{ message: string }>(reply).message).toContain('not a lab endpoint on loopback');
    }
  });

  it(`calls at most ${MAX_PARALLEL_CALLS} dependencies of one request at once, and all of them`, async () => {
    const target = await countingServer(100);
    const endpoints = new Map(Array.from({ length: 20 }, (_, i) => [`d${i}`, target.endpoint] as const));
    const web = await backend('web', { calls: calls(endpoints, [...endpoints.keys()].map((nodeId) => ({ nodeId }))) });
    const reply = await request(web.endpoint, '/');
    expect(reply.status).toBe(200);
    expect(target.stats.requests).toBe(20);
    expect(target.stats.peak).toBe(MAX_PARALLEL_CALLS);
  });

  it('refuses a request with 503, calling nothing, while its calls in flight are at the bound', async () => {
    const target = await countingServer(400);
    const web = await backend('web', { calls: calls(new Map([['d', target.endpoint]]), [{ nodeId: 'd' }], { maxInFlight: 1 }) });
    const first = request(web.endpoint, '/');
    await waitUntil(() => target.stats.active === 1, 'the first call reached the dependency');
    const second = await request(web.endpoint, '/');
    expect(second.status).toBe(503);
    expect(json(second)).toMatchObject({ error: 'overloaded' });
    expect((await first).status).toBe(200);
    expect(target.stats.requests).toBe(1);
  });

  it('answers 508 to a call cycle at once: a -> b -> a never loops', async () => {
    const endpoints = new Map<string, Endpoint>();
    const a = await backend('a', { calls: calls(endpoints, [{ nodeId: 'b' }]) });
    const b = await backend('b', { calls: calls(endpoints, [{ nodeId: 'a' }]) });
    endpoints.set('a', a.endpoint).set('b', b.endpoint);
    const reply = await request(a.endpoint, '/');
    expect(reply.status).toBe(508);
    expect(json(reply)).toMatchObject({ error: 'loop-detected', node: 'a', dependency: 'b' });
    // a served the client and b's call; b served a's call: three requests, no more.
    expect(a.service.metrics().requests).toBe(2);
    expect(b.service.metrics().requests).toBe(1);
    expect(b.service.metrics().statusCodes).toEqual({ '508': 1 });
  });

  it(`refuses a request that passed more than ${MAX_HOPS} hops, and one whose Via already names it, with 508 and no call`, async () => {
    const db = await backend('db');
    const web = await backend('web', { calls: calls(new Map([['db', db.endpoint]]), [{ nodeId: 'db' }]) });
    const long = Array.from({ length: MAX_HOPS + 1 }, (_, i) => `1.1 hop-${i}`).join(', ');
    expect((await request(web.endpoint, '/', { headers: { via: long } })).status).toBe(508);
    expect((await request(web.endpoint, '/', { headers: { via: '1.1 lb, 1.1 web' } })).status).toBe(508);
    expect((await request(web.endpoint, '/', { headers: { via: Array.from({ length: MAX_HOPS }, (_, i) => `1.1 hop-${i}`).join(', ') } })).status).toBe(200);
    expect(db.service.metrics().requests).toBe(1);
  });

  it('answers malformed requests itself (raw sockets) and makes no call for them', async () => {
    const db = await backend('db');
    const web = await backend('web', { calls: calls(new Map([['db', db.endpoint]]), [{ nodeId: 'db' }]) });
    const hostile = [
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'GET / HTTP/1.1\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nVia: \u00ff\u0000\r\n\r\n',
      `GET /${'x'.repeat(9000)} HTTP/1.1\r\nHost: a\r\n\r\n`,
    ];
    for (const bytes of hostile) expect(statusOf(await raw(web.endpoint, bytes, 300))).toBeGreaterThanOrEqual(400);
    expect(db.service.metrics().requests).toBe(0);
    // A client that goes away mid-call ends the call; the server stays up.
    const socket = net.connect(web.endpoint.port, web.endpoint.host);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.end('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    socket.destroy();
    expect((await request(web.endpoint, '/')).status).toBe(200);
  });

  it('stops cleanly while calls are in flight: the caller answers nothing more and leaves no socket', async () => {
    const target = await countingServer(2_000);
    const web = await backend('web', { calls: calls(new Map([['d', target.endpoint]]), [{ nodeId: 'd' }]) });
    const pending = request(web.endpoint, '/').catch((error: Error) => error);
    await waitUntil(() => target.stats.active === 1, 'the call reached the dependency');
    await web.service.stop();
    await pending;
    await waitUntil(() => target.stats.active === 0, 'the call was closed');
    expect(web.service.endpoint()).toBeUndefined();
  });
});
