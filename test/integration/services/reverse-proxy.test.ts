import { afterEach, describe, expect, it } from 'vitest';
import { ReverseProxy } from '../../../core/runtime/services/reverse-proxy.js';
import type { UpstreamTarget } from '../../../core/runtime/services/types.js';
import { json, request, servedBy, startBackends, stopAll } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(): Promise<{ targets: UpstreamTarget[] }> {
  const { backends, targets } = await startBackends(4);
  cleanup.push(() => stopAll(backends));
  // b3 and b4 are instances of the auto-scaling group "web".
  return { targets: targets.map((t) => (t.nodeId === 'b3' || t.nodeId === 'b4' ? { ...t, group: 'web' } : t)) };
}

describe('reverse proxy / API gateway', () => {
  it('routes by host and path prefix (first match wins), rewrites the prefix and headers', async () => {
    const { targets } = await setup();
    const proxy = new ReverseProxy({
      nodeId: 'gw',
      targets,
      rules: [
        { host: 'admin.shop.test', upstreams: ['b2'] },
        { pathPrefix: '/api', upstreams: ['b1'], rewritePrefix: '/v1', requestHeaders: { 'X-Api': 'yes', 'User-Agent': '' }, responseHeaders: { 'X-Gateway': 'gw', 'x-served-by': '' } },
        { host: '*.shop.test', pathPrefix: '/', upstreams: ['web'] },
      ],
    });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();

    const api = await request(endpoint, '/api/users?page=2', { headers: { host: 'shop.test', 'user-agent': 'curl' } });
    expect(api.status).toBe(200);
    const seen = json<{ node: string; path: string; headers: Record<string, string> }>(api);
    expect(seen.node).toBe('b1');
    expect(seen.path).toBe('/v1/users?page=2');
    expect(seen.headers['x-api']).toBe('yes');
    expect(seen.headers['user-agent']).toBeUndefined();
    expect(seen.headers['via']).toBe('1.1 gw');
    expect(api.headers['x-gateway']).toBe('gw');
    expect(api.headers['x-served-by']).toBeUndefined();

    expect(json(await request(endpoint, '/api', { headers: { host: 'shop.test' } })).path).toBe('/v1');
    expect((await request(endpoint, '/apix', { headers: { host: 'shop.test' } })).status).toBe(404);
    expect((await request(endpoint, '/anything', { headers: { host: 'ADMIN.shop.test.:8080' } })).headers['x-served-by']).toBe('b2');
    expect(await servedBy(endpoint, 4, '/', { host: 'www.shop.test' })).toEqual({ b3: 2, b4: 2 });
    const none = await request(endpoint, '/', { headers: { host: 'other.test' } });
    expect(none.status).toBe(404);
    expect(json(none).error).toBe('no-route');
  });

  it('without rules sends everything round robin to its targets; rules change live', async () => {
    const { targets } = await setup();
    const proxy = new ReverseProxy({ nodeId: 'rp', targets: targets.slice(0, 2) });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    expect(await servedBy(endpoint, 4)).toEqual({ b1: 2, b2: 2 });
    proxy.setRules([{ pathPrefix: '/', upstreams: ['b2'] }]);
    expect(await servedBy(endpoint, 3)).toEqual({ b2: 3 });
    proxy.setTargets(targets);
    proxy.setRules([{ upstreams: ['web'] }]);
    expect(await servedBy(endpoint, 4)).toEqual({ b3: 2, b4: 2 });
    expect(proxy.metrics().upstreams?.['b3']?.chosen).toBe(2);
  });

  it('answers 502 with the blocker when routing refuses one rule\'s upstream and 508 on a loop', async () => {
    const { targets } = await setup();
    const proxy = new ReverseProxy({
      nodeId: 'rp',
      targets,
      rules: [{ pathPrefix: '/private', upstreams: ['b4'] }, { upstreams: ['b1'] }],
      gate: (_from, to) => (to === 'b4' ? { allowed: false, blockedBy: 'rtb-db', reason: 'no route to 10.0.9.0/24', code: 'no-route' } : { allowed: true }),
    });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    const blocked = await request(endpoint, '/private/x');
    expect(blocked.status).toBe(502);
    expect(blocked.headers['x-topolab-blocked-by']).toBe('rtb-db');
    expect((await request(endpoint, '/public')).status).toBe(200);
    expect((await request(endpoint, '/', { headers: { via: '1.1 rp' } })).status).toBe(508);
  });
});
