import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { L7Balancer } from '../../../core/runtime/services/l7-balancer.js';
import type { ServiceEvent, UpstreamTarget } from '../../../core/runtime/services/types.js';
import { isListening, json, origin, raw, request, servedBy, startBackends, statusOf, stopAll } from './helpers.js';
import { waitUntil } from '../../support/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function balancer(options: ConstructorParameters<typeof L7Balancer>[0]): Promise<{ lb: L7Balancer; endpoint: { host: string; port: number } }> {
  const lb = new L7Balancer(options);
  cleanup.push(() => lb.stop());
  return { lb, endpoint: await lb.start() };
}

async function backends(n: number): Promise<UpstreamTarget[]> {
  const { backends: list, targets } = await startBackends(n);
  cleanup.push(() => stopAll(list));
  return targets;
}

describe('L7 balancer algorithms', () => {
  it('round robin spreads evenly', async () => {
    const targets = await backends(3);
    const { endpoint } = await balancer({ nodeId: 'lb', targets });
    expect(await servedBy(endpoint, 30)).toEqual({ b1: 10, b2: 10, b3: 10 });
  });

  it('smooth weighted round robin follows the weights, interleaved', async () => {
    const targets = await backends(3);
    const weighted = targets.map((t, i) => ({ ...t, weight: [5, 1, 1][i] }));
    const { endpoint, lb } = await balancer({ nodeId: 'lb', targets: weighted, algorithm: 'weighted-round-robin' });
    const order: string[] = [];
    for (let i = 0; i < 7; i += 1) order.push(String((await request(endpoint, '/')).headers['x-served-by']));
    expect(order).toEqual(['b1', 'b1', 'b2', 'b1', 'b3', 'b1', 'b1']);
    lb.setWeight('b1', 0);
    expect(await servedBy(endpoint, 4)).toEqual({ b2: 2, b3: 2 });
  });

  it('least connections avoids the busy backend', async () => {
    const targets = await backends(2);
    const { endpoint } = await balancer({ nodeId: 'lb', targets, algorithm: 'least-connections' });
    // Hold b1 busy with slow requests, then see new requests go to b2.
    const slowTargets = await startBackends(1, 'slow');
    cleanup.push(() => stopAll(slowTargets.backends));
    // slow1 holds its request far longer than the test runs (however loaded the machine),
    // and is stopped once the quick requests are counted, which settles the held request.
    slowTargets.backends[0]?.setLatency(60_000);
    const { endpoint: lc, lb: lcBalancer } = await balancer({ nodeId: 'lc', targets: [...slowTargets.targets, targets[1] as UpstreamTarget], algorithm: 'least-connections' });
    const pending = [request(lc, '/'), request(lc, '/')].map((p) => p.catch(() => undefined));
    // Both first requests are held: one by slow1, one by b2 only until it answers.
    await waitUntil(() => (lcBalancer.metrics().upstreams?.['slow1']?.active ?? 0) >= 1, 'a request in flight on slow1');
    // ...and b2 has taken the other one and answered it, so every quick request below meets
    // slow1 busy and b2 idle (b2 idle before it took its request would be a tie, not a test).
    await waitUntil(() => {
      const b2 = lcBalancer.metrics().upstreams?.['b2'];
      return (b2?.chosen ?? 0) >= 1 && b2?.active === 0;
    }, 'b2 has answered its first request');
    const quick = await servedBy(lc, 6);
    expect(lcBalancer.metrics().upstreams?.['slow1']?.active, 'slow1 still busy: the check below means something').toBeGreaterThanOrEqual(1);
    expect(quick['b2']).toBe(6);
    await stopAll(slowTargets.backends);
    await Promise.all(pending);
    expect(Object.keys(await servedBy(endpoint, 4)).sort()).toEqual(['b1', 'b2']);
  });

  it('source-IP hash keeps a client on one backend and moves only the removed backend\'s clients', async () => {
    const targets = await backends(3);
    const { endpoint, lb } = await balancer({ nodeId: 'lb', targets, algorithm: 'source-hash' });
    const sources = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'];
    const from = async (localAddress: string): Promise<string> =>
      new Promise((resolve, reject) => {
        http
          .get({ host: endpoint.host, port: endpoint.port, path: '/', localAddress, agent: false }, (res) => {
            res.resume();
            resolve(String(res.headers['x-served-by']));
          })
          .on('error', reject);
      });
    const before: Record<string, string> = {};
    for (const s of sources) {
      before[s] = await from(s);
      expect(await from(s)).toBe(before[s]);
    }
    expect(new Set(Object.values(before)).size).toBeGreaterThan(1);
    lb.setTargets(targets.filter((t) => t.nodeId !== 'b2'));
    for (const s of sources) {
      const now = await from(s);
      if (before[s] !== 'b2') expect(now).toBe(before[s]);
      else expect(now).not.toBe('b2');
    }
  });

  it('random two choices uses every backend', async () => {
    const targets = await backends(3);
    const { endpoint } = await balancer({ nodeId: 'lb', targets, algorithm: 'random-two' });
    expect(Object.keys(await servedBy(endpoint, 40)).sort()).toEqual(['b1', 'b2', 'b3']);
  });
});

describe('L7 balancer errors and retries', () => {
  it('answers 502 for a refused upstream, 503 with no healthy upstream and 504 on timeout', async () => {
    const targets = await backends(1);
    const dead = { nodeId: 'dead', endpoint: { host: '127.0.0.1', port: (targets[0]?.endpoint.port ?? 1) } };
    const { endpoint: only, lb } = await balancer({ nodeId: 'lb', targets: [dead] });
    await cleanup.shift()?.(); // stop the backend so its port refuses
    cleanup.unshift(async () => undefined);
    const refused = await request(only, '/');
    expect(refused.status).toBe(502);
    expect(json(refused)).toMatchObject({ error: 'bad-gateway', node: 'lb' });
    lb.setTargets([]);
    const none = await request(only, '/');
    expect(none.status).toBe(503);
    expect(json(none).error).toBe('no-healthy-upstream');

    const slow = await origin(() => undefined);
    cleanup.push(() => slow.close());
    const { endpoint: timing } = await balancer({ nodeId: 'lb-t', targets: [{ nodeId: 'slow', endpoint: slow.endpoint }], timeoutMs: 300 });
    const timedOut = await request(timing, '/');
    expect(timedOut.status).toBe(504);
    expect(json(timedOut).error).toBe('upstream-timeout');
  });

  it('answers 502 for an invalid upstream response and for a reset mid-response', async () => {
    const garbage = await origin((req) => {
      req.socket.end('NOT HTTP AT ALL\r\n\r\n');
    });
    cleanup.push(() => garbage.close());
    const { endpoint } = await balancer({ nodeId: 'lb', targets: [{ nodeId: 'g', endpoint: garbage.endpoint }] });
    expect((await request(endpoint, '/')).status).toBe(502);
    const reset = await origin((req) => req.socket.destroy());
    cleanup.push(() => reset.close());
    const { endpoint: e2 } = await balancer({ nodeId: 'lb2', targets: [{ nodeId: 'r', endpoint: reset.endpoint }] });
    expect((await request(e2, '/', { method: 'POST', body: 'x' })).status).toBe(502);
  });

  it('retries an idempotent request that failed at connect once on another upstream, never a POST', async () => {
    const targets = await backends(1);
    const dead: UpstreamTarget = { nodeId: 'dead', endpoint: { host: '127.0.0.1', port: 1 } };
    const { endpoint, lb } = await balancer({ nodeId: 'lb', targets: [dead, ...targets], passive: { consecutiveFailures: 100 } });
    for (let i = 0; i < 4; i += 1) expect((await request(endpoint, '/')).status).toBe(200);
    const posts = [];
    for (let i = 0; i < 4; i += 1) posts.push((await request(endpoint, '/', { method: 'POST', body: 'x' })).status);
    expect(posts.sort()).toEqual([200, 200, 502, 502]);
    // Every POST that went to the dead target failed; GETs that did were retried.
    expect(lb.metrics().upstreams?.['dead']?.failures).toBeGreaterThanOrEqual(2);
  });

  it('answers 502 with x-topolab-blocked-by when the routing gate refuses', async () => {
    const targets = await backends(1);
    const { endpoint } = await balancer({
      nodeId: 'lb',
      targets,
      gate: (from, to) => ({ allowed: false, blockedBy: 'rtb-private', reason: `no route from ${from} to ${to}`, code: 'no-route' }),
    });
    const reply = await request(endpoint, '/');
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-blocked-by']).toBe('rtb-private');
    expect(json(reply)).toMatchObject({ error: 'blocked-by-routing', blockedBy: 'rtb-private', from: 'lb', to: 'b1' });
  });
});

describe('L7 balancer health', () => {
  it('fails over when a backend dies under load: after the failure window every request succeeds', async () => {
    const { backends: list, targets } = await startBackends(3);
    cleanup.push(() => stopAll(list));
    const events: ServiceEvent[] = [];
    const { endpoint, lb } = await balancer({
      nodeId: 'lb',
      targets,
      healthCheck: { type: 'http', path: '/health', intervalMs: 100, timeoutMs: 100, rise: 2, fall: 2 },
      onEvent: (e) => events.push(e),
    });
    let stopLoad = false;
    const statuses: number[] = [];
    const worker = async (): Promise<void> => {
      while (!stopLoad) statuses.push((await request(endpoint, '/')).status);
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);
    await waitUntil(() => statuses.length > 50, 'load to start');
    await list[1]?.stop();
    await waitUntil(() => events.some((e) => e.type === 'health' && e.target === 'b2' && !e.healthy), 'b2 marked down');
    const afterWindow = statuses.length;
    await waitUntil(() => statuses.length > afterWindow + 200, '200 more requests');
    stopLoad = true;
    await load;
    expect(statuses.slice(afterWindow).every((s) => s === 200)).toBe(true);
    // Retries on connect failure keep even the failure window clean for GETs.
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(lb.metrics().upstreams?.['b2']).toMatchObject({ healthy: false });
    // Bring it back: it rejoins after `rise` passing checks.
    await list[1]?.start();
    await waitUntil(() => lb.metrics().upstreams?.['b2']?.healthy === true, 'b2 back up');
    expect(Object.keys(await servedBy(endpoint, 6)).sort()).toEqual(['b1', 'b2', 'b3']);
  });

  it('ejects passively after consecutive failures but never more than the share cap', async () => {
    const { backends: list, targets } = await startBackends(4);
    cleanup.push(() => stopAll(list));
    const { endpoint, lb } = await balancer({ nodeId: 'lb', targets, passive: { consecutiveFailures: 2, ejectMs: 60_000, maxEjectedShare: 0.5 } });
    await list[0]?.stop();
    await list[1]?.stop();
    await list[2]?.stop();
    for (let i = 0; i < 30; i += 1) await request(endpoint, '/');
    const ups = lb.metrics().upstreams ?? {};
    const out = Object.values(ups).filter((u) => !u.healthy).length;
    expect(out).toBe(2);
  });

  it('a target added while checks run joins only after passing them', async () => {
    const { backends: list, targets } = await startBackends(2);
    cleanup.push(() => stopAll(list));
    const { endpoint, lb } = await balancer({ nodeId: 'lb', targets: targets.slice(0, 1), healthCheck: { intervalMs: 100, rise: 2, fall: 1 } });
    lb.setTargets(targets);
    expect(lb.metrics().upstreams?.['b2']?.healthy).toBe(false);
    await waitUntil(() => lb.metrics().upstreams?.['b2']?.healthy === true, 'b2 to pass checks');
    expect(Object.keys(await servedBy(endpoint, 4)).sort()).toEqual(['b1', 'b2']);
  });
});

describe('L7 balancer sessions and headers', () => {
  it('pins a client by cookie and re-issues the cookie when its server is down', async () => {
    const { backends: list, targets } = await startBackends(3);
    cleanup.push(() => stopAll(list));
    const { endpoint } = await balancer({ nodeId: 'lb', targets, sticky: { cookie: 'lbid', ttlSeconds: 60 }, healthCheck: { intervalMs: 100, fall: 1 } });
    const first = await request(endpoint, '/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^lbid=b\d; Path=\/; Max-Age=60; HttpOnly/);
    const cookie = setCookie.split(';')[0] as string;
    const pinned = String(first.headers['x-served-by']);
    for (let i = 0; i < 5; i += 1) {
      const again = await request(endpoint, '/', { headers: { cookie: `a=1; ${cookie}` } });
      expect(again.headers['x-served-by']).toBe(pinned);
      expect(again.headers['set-cookie']).toBeUndefined();
    }
    await list.find((b) => b.nodeId === pinned)?.stop();
    await waitUntil(async () => (await request(endpoint, '/', { headers: { cookie } })).headers['x-served-by'] !== pinned, 'failover of the pinned client');
    const moved = await request(endpoint, '/', { headers: { cookie } });
    expect(moved.status).toBe(200);
    const reissued = String(moved.headers['set-cookie']);
    expect(reissued).toMatch(new RegExp(`^lbid=${String(moved.headers['x-served-by'])};`));
  });

  it('adds X-Forwarded-*, X-Real-IP and Via, and strips hop-by-hop headers both ways', async () => {
    const up = await origin((req, res) => {
      const text = JSON.stringify(req.headers);
      res.writeHead(200, {
        'content-length': Buffer.byteLength(text),
        'content-type': 'application/json',
        connection: 'x-internal',
        'x-internal': 'secret',
        'keep-alive': 'timeout=5',
        'proxy-authenticate': 'Basic',
        'x-kept': 'yes',
      });
      res.end(text);
    });
    cleanup.push(() => up.close());
    const { endpoint } = await balancer({ nodeId: 'lb', targets: [{ nodeId: 'o', endpoint: up.endpoint }] });
    const response = await raw(
      endpoint,
      'GET /h HTTP/1.1\r\nHost: shop.test\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 300\r\nTE: trailers\r\nProxy-Authorization: Basic x\r\n' +
        'X-Forwarded-For: 6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nVia: 1.0 edge\r\n\r\n',
    );
    expect(statusOf(response)).toBe(200);
    const [head, body] = response.split('\r\n\r\n') as [string, string];
    const seen = JSON.parse(body) as Record<string, string>;
    expect(seen['x-forwarded-for']).toBe('6.6.6.6, 127.0.0.1');
    expect(seen['x-real-ip']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-port']).toBe(String(endpoint.port));
    expect(seen['via']).toBe('1.0 edge, 1.1 lb');
    expect(seen['host']).toBe('shop.test');
    for (const hop of ['x-hop', 'te', 'proxy-authorization']) expect(seen[hop]).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
    const lower = head.toLowerCase();
    expect(lower).toContain('x-kept: yes');
    expect(lower).toContain('via: 1.1 lb');
    for (const hop of ['x-internal', 'keep-alive: timeout', 'proxy-authenticate']) expect(lower).not.toContain(hop);
  });

  it('refuses a request whose Via already names it (a loop) with 508', async () => {
    const targets = await backends(1);
    const { endpoint } = await balancer({ nodeId: 'lb', targets });
    const reply = await request(endpoint, '/', { headers: { via: '1.1 edge, 1.1 lb' } });
    expect(reply.status).toBe(508);
    expect(json(reply)).toMatchObject({ error: 'loop-detected' });
    // A real loop: the balancer pointing at itself stops after one hop.
    const lbSelf = new L7Balancer({ nodeId: 'self', targets: [] });
    const selfEndpoint = await lbSelf.start();
    cleanup.push(() => lbSelf.stop());
    lbSelf.setTargets([{ nodeId: 'self', endpoint: selfEndpoint }]);
    expect((await request(selfEndpoint, '/')).status).toBe(508);
  });

  it('leaves no listening port or upstream socket after stop', async () => {
    const targets = await backends(2);
    const lb = new L7Balancer({ nodeId: 'lb', targets, healthCheck: { intervalMs: 50 } });
    const endpoint = await lb.start();
    await servedBy(endpoint, 10);
    await lb.stop();
    expect(await isListening(endpoint)).toBe(false);
    expect(lb.metrics()).toMatchObject({ listening: false, activeConnections: 0 });
  });
});

describe('L7 balancer response bodies', () => {
  /** A plain upstream whose handler the test writes (a raw `http` server on loopback). */
  async function upstream(handler: http.RequestListener): Promise<UpstreamTarget> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address() as { port: number };
    return { nodeId: 'up', endpoint: { host: '127.0.0.1', port: address.port } };
  }

  it('streams a length-delimited body as it arrives: the first part reaches the client before the upstream sends the rest', async () => {
    let sendRest: (() => void) | undefined;
    const target = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 10 });
      res.write('first');
      sendRest = () => res.end('-last');
    });
    const { endpoint } = await balancer({ nodeId: 'lb', targets: [target] });
    const seen: string[] = [];
    const done = new Promise<{ status: number; length: string | undefined }>((resolve, reject) => {
      const req = http.get({ host: endpoint.host, port: endpoint.port, path: '/', agent: false }, (res) => {
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          seen.push(chunk);
          // Only once the first part is through does the upstream send the rest.
          if (seen.length === 1) sendRest?.();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'] }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    expect(await done).toEqual({ status: 200, length: '10' });
    expect(seen).toEqual(['first', '-last']);
  });

  it('forwards a body that arrives in one piece, large ones, empty ones and HEAD, with the upstream length and no chunked coding', async () => {
    const big = Buffer.alloc(300_000, 'x');
    const target = await upstream((req, res) => {
      const body = req.url === '/big' ? big : req.url === '/empty' ? Buffer.alloc(0) : Buffer.from('small body');
      res.writeHead(200, { 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    const { endpoint, lb } = await balancer({ nodeId: 'lb', targets: [target] });
    const small = await raw(endpoint, 'GET /small HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 500);
    expect(small).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(small).toMatch(/\r\ncontent-length: 10\r\n/i);
    expect(small).not.toMatch(/transfer-encoding/i);
    expect(small.endsWith('\r\n\r\nsmall body')).toBe(true);
    const large = await request(endpoint, '/big');
    expect(large.body.length).toBe(big.length);
    expect(large.body).toBe(big.toString('latin1'));
    const empty = await request(endpoint, '/empty');
    expect([empty.status, empty.body, empty.headers['content-length']]).toEqual([200, '', '0']);
    const head = await request(endpoint, '/small', { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '10']);
    // Several requests on one kept-alive connection: each response ends where its length says.
    const twice = await raw(endpoint, 'GET /small HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 500);
    expect(twice.match(/small body/g)).toHaveLength(2);
    expect(lb.metrics().statusCodes).toEqual({ '200': 6 });
  });
});
