import { afterEach, describe, expect, it } from 'vitest';
import { ReverseProxy } from '../../../core/runtime/services/reverse-proxy.js';
import type { UpstreamTarget } from '../../../core/runtime/services/types.js';
import { json, raw, request, servedBy, startBackends, statusOf, stopAll } from './helpers.js';

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

describe('one rule for paths: a prefix rule guarding /admin cannot be walked around', () => {
  it('normalises before matching and forwards the normalised path; refuses what has no safe reading', async () => {
    const { targets } = await setup();
    const proxy = new ReverseProxy({
      nodeId: 'gw',
      targets,
      rules: [
        { pathPrefix: '/admin', upstreams: ['b2'], rewritePrefix: '/' },
        { pathPrefix: '/./static/', upstreams: ['b3'] },
        { pathPrefix: '/', upstreams: ['b1'] },
      ],
    });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    const route = async (path: string): Promise<[string | undefined, string | undefined]> => {
      const reply = await raw(endpoint, `GET ${path} HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n`, 500);
      const head = reply.slice(0, reply.indexOf('\r\n\r\n'));
      const body = reply.slice(head.length + 4);
      const server = /^x-served-by: (.*)$/im.exec(head)?.[1];
      const upstreamPath = body.startsWith('{') ? (JSON.parse(body) as { path?: string }).path : undefined;
      return [statusOf(reply) === 200 ? server : String(statusOf(reply)), upstreamPath];
    };
    for (const path of ['/admin/x', '//admin/x', '/%61dmin/x', '/./admin/x', '/static/../admin/x', '/static/%2e%2e/admin/x']) {
      expect(await route(path), path).toEqual(['b2', '/x']);
    }
    expect(await route('/admin')).toEqual(['b2', '/']);
    expect(await route('/admin/')).toEqual(['b2', '/']);
    expect(await route('/adminx')).toEqual(['b1', '/adminx']);
    expect(await route('/ADMIN')).toEqual(['b1', '/ADMIN']);
    expect((await route('/static//a.css'))[0]).toBe('b3');
    expect((await route('/x/../static/a.css'))[0]).toBe('b3');
    for (const path of ['/admin%2Fx', '/a%5Cb', '/a%00b', '/%zz', '/../admin', '/a/../../admin']) {
      expect((await route(path))[0], path).toBe('400');
    }
  });

  it('refuses a Host with an empty label and a header field line over 8 KiB', async () => {
    const { targets } = await setup();
    const proxy = new ReverseProxy({ nodeId: 'gw', targets: targets.slice(0, 1) });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    expect(statusOf(await raw(endpoint, 'GET / HTTP/1.1\r\nHost: a..example\r\nConnection: close\r\n\r\n', 500))).toBe(400);
    expect(statusOf(await raw(endpoint, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(8200)}\r\nConnection: close\r\n\r\n`, 500))).toBe(431);
    expect(statusOf(await raw(endpoint, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(8000)}\r\nConnection: close\r\n\r\n`, 500))).toBe(200);
  });
});
