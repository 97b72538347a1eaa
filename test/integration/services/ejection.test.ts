import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { L7Balancer } from '../../../core/runtime/services/l7-balancer.js';
import { ReverseProxy } from '../../../core/runtime/services/reverse-proxy.js';
import type { LabService, ServiceEvent, UpstreamTarget } from '../../../core/runtime/services/types.js';
import { waitUntil } from '../../support/wait.js';
import { request, startBackends, stopAll } from './helpers.js';

const cleanup: LabService[] = [];
afterEach(async () => {
  await stopAll(cleanup.splice(0));
});

/** A loopback port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('passive ejection counts upstream faults only', () => {
  it('with every backend ejected the balancer answers 503 at once, never hangs', async () => {
    const targets: UpstreamTarget[] = [
      { nodeId: 'd1', endpoint: { host: '127.0.0.1', port: await deadPort() } },
      { nodeId: 'd2', endpoint: { host: '127.0.0.1', port: await deadPort() } },
    ];
    const lb = new L7Balancer({ nodeId: 'lb', targets, passive: { consecutiveFailures: 1, ejectMs: 60_000, maxEjectedShare: 1 } });
    cleanup.push(lb);
    const endpoint = await lb.start();
    // The first request fails on one and is retried on the other: both refused, both ejected.
    expect((await request(endpoint, '/')).status).toBe(502);
    expect(Object.values(lb.metrics().upstreams ?? {}).map((u) => u.healthy)).toEqual([false, false]);
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      const reply = await request(endpoint, '/');
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('no-healthy-upstream');
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('a timed-out backend is ejected, and when the ejection ends it is reported healthy again', async () => {
    const { backends, targets } = await startBackends(2, 'e');
    const events: ServiceEvent[] = [];
    const lb = new L7Balancer({ nodeId: 'lb', targets, timeoutMs: 150, passive: { consecutiveFailures: 2, ejectMs: 400 }, onEvent: (e) => events.push(e) });
    cleanup.push(lb, ...backends);
    const endpoint = await lb.start();
    backends[0]?.setLatency(1000);
    await waitUntil(async () => {
      await request(endpoint, '/');
      return lb.metrics().upstreams?.['e1']?.healthy === false;
    }, 'e1 ejected after timeouts');
    expect(events).toContainEqual(expect.objectContaining({ type: 'health', target: 'e1', healthy: false, source: 'passive' }));
    backends[0]?.setLatency(0);
    await waitUntil(() => events.some((e) => e.type === 'health' && e.target === 'e1' && e.healthy && e.source === 'passive'), 'e1 reported back in rotation', 5000);
    expect(lb.metrics().upstreams?.['e1']?.healthy).toBe(true);
    const served = new Set<string>();
    for (let i = 0; i < 4; i += 1) served.add(String((await request(endpoint, '/')).headers['x-served-by']));
    expect([...served].sort()).toEqual(['e1', 'e2']);
  });

  it('a request that cannot be built (a rule sets a header HTTP forbids) is a 500, never held against the upstream, and leaks no pool slot', async () => {
    const { backends, targets } = await startBackends(1, 'r');
    const gw = new ReverseProxy({
      nodeId: 'gw',
      targets,
      rules: [
        { pathPrefix: '/bad', upstreams: ['r1'], requestHeaders: { 'Bad Name': 'x' } },
        { pathPrefix: '/worse', upstreams: ['r1'], responseHeaders: { 'x-bad': 'line\nbreak' } },
        { pathPrefix: '/', upstreams: ['r1'] },
      ],
    });
    cleanup.push(gw, ...backends);
    const endpoint = await gw.start();
    // Far more than the 64 pooled connections: a leaked slot per request would hang the good ones.
    const bad = await Promise.all(Array.from({ length: 150 }, () => request(endpoint, '/bad')));
    expect(new Set(bad.map((r) => r.status))).toEqual(new Set([500]));
    expect(bad[0]?.body).toContain('unforwardable-request');
    // A response-header rule HTTP forbids is the design's fault too, not the upstream's.
    const worse = await Promise.all(Array.from({ length: 5 }, () => request(endpoint, '/worse')));
    expect(new Set(worse.map((r) => r.status))).toEqual(new Set([500]));
    expect(gw.metrics().upstreams?.['r1']).toMatchObject({ healthy: true, failures: 0, active: 0 });
    const good = await Promise.all(Array.from({ length: 100 }, () => request(endpoint, '/fine')));
    expect(new Set(good.map((r) => r.status))).toEqual(new Set([200]));
    // The five /worse requests reached it (the answer could not be sent on); the 150 /bad ones never did.
    expect(backends[0]?.metrics().requests).toBe(105);
  });
});
