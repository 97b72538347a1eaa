import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Cache } from '../../../core/runtime/services/cache.js';
import { Backend } from '../../../core/runtime/services/backend.js';
import type { Endpoint } from '../../../core/runtime/services/types.js';
import { origin, request } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A cache in front of a test origin whose handler the test writes. */
async function cacheFor(handler: http.RequestListener, options: { maxBytes?: number; defaultTtlSeconds?: number } = {}) {
  const up = await origin(handler);
  cleanup.push(() => up.close());
  const cache = new Cache({ nodeId: 'cdn', targets: [{ nodeId: 'origin', endpoint: up.endpoint }], ...options });
  cleanup.push(() => cache.stop());
  const endpoint = await cache.start();
  return { cache, endpoint, up };
}

const get = (endpoint: Endpoint, path: string, headers: http.OutgoingHttpHeaders = {}) => request(endpoint, path, { headers });

describe('cache', () => {
  it('MISS then HIT with Age and Via; revalidates a stale entry with the backend\'s validators (304 -> REVALIDATED)', async () => {
    const backend = new Backend({ nodeId: 'web' });
    cleanup.push(() => backend.stop());
    const cache = new Cache({ nodeId: 'cdn', targets: [{ nodeId: 'web', endpoint: await backend.start() }] });
    cleanup.push(() => cache.stop());
    const endpoint = await cache.start();

    const miss = await get(endpoint, '/static/logo.png');
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['via']).toBe('1.1 cdn');
    const hit = await get(endpoint, '/static/logo.png');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toBe(miss.body);
    expect(Number(hit.headers['age'])).toBeGreaterThanOrEqual(0);
    expect(hit.headers['via']).toBe('1.1 cdn');

    // max-age=0: stored with validators, every use revalidates and the origin answers 304.
    expect((await get(endpoint, '/static/a.css?max-age=0')).headers['x-cache']).toBe('MISS');
    const again = await get(endpoint, '/static/a.css?max-age=0');
    expect(again.status).toBe(200);
    expect(again.headers['x-cache']).toBe('REVALIDATED');
    expect(again.body).toContain('static content of /static/a.css');
    expect(backend.metrics().statusCodes['304']).toBe(1);
    // The client's own validator is answered by the cache.
    const conditional = await get(endpoint, '/static/logo.png', { 'if-none-match': String(miss.headers.etag) });
    expect(conditional.status).toBe(304);
    expect(conditional.headers['x-cache']).toBe('HIT');
    expect(cache.metrics().cache).toMatchObject({ hits: 2, misses: 2, revalidated: 1, entries: 2 });
  });

  it('respects max-age, s-maxage, Expires, no-store, private, Set-Cookie and non-GET methods', async () => {
    const { endpoint, up } = await cacheFor((req, res) => {
      const headers: Record<string, string> = {
        '/max-age': 'max-age=60',
        '/s-maxage': 's-maxage=60, max-age=0',
        '/no-store': 'no-store, max-age=60',
        '/private': 'private, max-age=60',
        '/cookie': 'max-age=60',
        '/post': 'max-age=60',
        '/expired': 'public',
      };
      const extra: Record<string, string> = req.url === '/cookie' ? { 'set-cookie': 'a=1' } : req.url === '/expired' ? { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' } : {};
      res.writeHead(200, { 'cache-control': headers[req.url ?? ''] ?? 'max-age=60', ...extra });
      res.end(`body ${req.url}`);
    });
    const twice = async (path: string, method = 'GET'): Promise<string | undefined> => {
      await request(endpoint, path, { method });
      return String((await request(endpoint, path, { method })).headers['x-cache']);
    };
    expect(await twice('/max-age')).toBe('HIT');
    expect(await twice('/s-maxage')).toBe('HIT');
    expect(await twice('/no-store')).toBe('MISS');
    expect(await twice('/private')).toBe('MISS');
    expect(await twice('/cookie')).toBe('MISS');
    expect(await twice('/post', 'POST')).toBe('MISS');
    expect(await twice('/expired')).toBe('MISS');
    // A request asking for no-cache bypasses the stored copy (and has no validators to send here).
    expect((await get(endpoint, '/max-age', { 'cache-control': 'no-cache' })).headers['x-cache']).toBe('MISS');
    const before = up.requests();
    expect((await get(endpoint, '/max-age')).headers['x-cache']).toBe('HIT');
    expect(up.requests()).toBe(before);
  });

  it('keeps separate variants per Vary header and invalidates on an unsafe method', async () => {
    const { endpoint } = await cacheFor((req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', vary: 'Accept-Language' });
      res.end(`lang ${req.headers['accept-language'] ?? 'none'}`);
    });
    expect((await get(endpoint, '/v', { 'accept-language': 'fr' })).body).toBe('lang fr');
    const de = await get(endpoint, '/v', { 'accept-language': 'de' });
    expect([de.body, de.headers['x-cache']]).toEqual(['lang de', 'MISS']);
    const fr = await get(endpoint, '/v', { 'accept-language': 'fr' });
    expect([fr.body, fr.headers['x-cache']]).toEqual(['lang fr', 'HIT']);
    await request(endpoint, '/v', { method: 'DELETE' });
    expect((await get(endpoint, '/v', { 'accept-language': 'fr' })).headers['x-cache']).toBe('MISS');
  });

  it('evicts least recently used entries to stay under its byte bound, and purges on demand', async () => {
    const { endpoint, cache } = await cacheFor((req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60' });
      res.end('x'.repeat(2000));
    }, { maxBytes: 20_000 });
    for (let i = 0; i < 20; i += 1) await get(endpoint, `/item/${i}`);
    const m = cache.metrics().cache;
    expect(m?.bytes).toBeLessThanOrEqual(20_000);
    expect(m?.entries).toBeLessThan(20);
    expect((await get(endpoint, '/item/19')).headers['x-cache']).toBe('HIT');
    expect((await get(endpoint, '/item/0')).headers['x-cache']).toBe('MISS');
    expect(cache.purge('/item/19')).toBe(1);
    expect((await get(endpoint, '/item/19')).headers['x-cache']).toBe('MISS');
    expect(cache.purge()).toBeGreaterThan(1);
    expect(cache.metrics().cache?.entries).toBe(0);
    // A stop/start fault restarts the cache empty, on the same port.
    await get(endpoint, '/item/1');
    expect((await get(endpoint, '/item/1')).headers['x-cache']).toBe('HIT');
    await cache.stop();
    expect((await cache.start()).port).toBe(endpoint.port);
    expect((await get(endpoint, '/item/1')).headers['x-cache']).toBe('MISS');
  });

  it('uses defaultTtl for responses without freshness, and answers 502 when the origin is gone', async () => {
    const { endpoint, up } = await cacheFor((_req, res) => res.end('plain'), { defaultTtlSeconds: 30 });
    await get(endpoint, '/plain');
    expect((await get(endpoint, '/plain')).headers['x-cache']).toBe('HIT');
    await up.close();
    expect((await get(endpoint, '/plain')).headers['x-cache']).toBe('HIT');
    const gone = await get(endpoint, '/other');
    expect(gone.status).toBe(502);
    expect(gone.headers['x-cache']).toBe('MISS');
  });
});
