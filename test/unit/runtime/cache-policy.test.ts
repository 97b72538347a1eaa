import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  currentAge,
  freshnessLifetime,
  isStorable,
  mergeNotModified,
  parseCacheControl,
  requestWantsRevalidation,
  varyKey,
  varyMatches,
} from '../../../core/runtime/services/cache-policy.js';
import { CacheStore, entrySize, type CacheEntry } from '../../../core/runtime/services/cache-store.js';

describe('cache policy', () => {
  it('parses Cache-Control directives', () => {
    const d = parseCacheControl(['Max-Age=60, no-cache', 'private="set-cookie"']);
    expect(d.get('max-age')).toBe('60');
    expect(d.get('no-cache')).toBe(true);
    expect(d.get('private')).toBe('set-cookie');
  });

  it.each([
    ['plain 200', 'GET', {}, 200, { 'cache-control': 'max-age=60' }, true],
    ['POST', 'POST', {}, 200, { 'cache-control': 'max-age=60' }, false],
    ['500', 'GET', {}, 500, { 'cache-control': 'max-age=60' }, false],
    ['no-store response', 'GET', {}, 200, { 'cache-control': 'no-store' }, false],
    ['no-store request', 'GET', { 'cache-control': 'no-store' }, 200, {}, false],
    ['private', 'GET', {}, 200, { 'cache-control': 'private, max-age=9' }, false],
    ['set-cookie', 'GET', {}, 200, { 'set-cookie': ['a=1'] }, false],
    ['vary *', 'GET', {}, 200, { vary: '*' }, false],
    ['authorization', 'GET', { authorization: 'x' }, 200, { 'cache-control': 'max-age=9' }, false],
    ['authorization + public', 'GET', { authorization: 'x' }, 200, { 'cache-control': 'public, max-age=9' }, true],
  ] as [string, string, IncomingHttpHeaders, number, IncomingHttpHeaders, boolean][])('storable: %s', (_name, method, req, status, res, expected) => {
    expect(isStorable(method, req, status, res)).toBe(expected);
  });

  it('computes freshness from s-maxage, max-age, Expires and the default', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(freshnessLifetime({ 'cache-control': 's-maxage=5, max-age=60' }, now, 0)).toBe(5);
    expect(freshnessLifetime({ 'cache-control': 'max-age=60' }, now, 0)).toBe(60);
    expect(freshnessLifetime({ 'cache-control': 'no-cache, max-age=60' }, now, 0)).toBe(0);
    expect(freshnessLifetime({ expires: 'Thu, 01 Jan 2026 00:01:00 GMT', date: 'Thu, 01 Jan 2026 00:00:00 GMT' }, now, 0)).toBe(60);
    expect(freshnessLifetime({ expires: 'garbage' }, now, 30)).toBe(0);
    expect(freshnessLifetime({}, now, 30)).toBe(30);
    expect(currentAge(10, now, now + 5500)).toBe(15);
  });

  it('honours request revalidation and Vary', () => {
    expect(requestWantsRevalidation({ 'cache-control': 'max-age=0' })).toBe(true);
    expect(requestWantsRevalidation({ pragma: 'no-cache' })).toBe(true);
    expect(requestWantsRevalidation({})).toBe(false);
    const key = varyKey('Accept-Encoding, Accept-Language', { 'accept-encoding': 'gzip', 'accept-language': ' fr  ' });
    expect(key).toEqual({ 'accept-encoding': 'gzip', 'accept-language': 'fr' });
    expect(varyMatches(key, { 'accept-encoding': 'gzip', 'accept-language': 'fr' })).toBe(true);
    expect(varyMatches(key, { 'accept-encoding': 'br', 'accept-language': 'fr' })).toBe(false);
    expect(mergeNotModified({ etag: '"a"', 'content-length': '5' }, { etag: '"b"', 'content-length': '0', date: 'd' })).toEqual({ etag: '"b"', 'content-length': '5', date: 'd' });
  });
});

describe('cache store', () => {
  const entry = (key: string, bytes: number, vary: Record<string, string> = {}): CacheEntry => {
    const body = Buffer.alloc(bytes);
    return { key, path: key.replace(/^[^/]*/, ''), status: 200, headers: {}, body, vary, storedAt: 0, initialAge: 0, lifetime: 60, size: entrySize({}, body) };
  };

  it('evicts least recently used keys first and keeps under the byte bound', () => {
    const store = new CacheStore(3000);
    store.put(entry('h/a', 700));
    store.put(entry('h/b', 700));
    store.put(entry('h/c', 700));
    expect(store.lookup('h/a', {})).toBeDefined(); // a is now the most recent
    store.put(entry('h/d', 700));
    expect(store.bytes).toBeLessThanOrEqual(3000);
    expect(store.lookup('h/b', {})).toBeUndefined();
    expect(store.lookup('h/a', {})).toBeDefined();
    expect(store.put(entry('h/huge', 5000))).toBe(false);
  });

  it('keeps variants apart, replaces the same variant and purges by path', () => {
    const store = new CacheStore(100_000);
    store.put(entry('h/v', 10, { 'accept-language': 'fr' }));
    store.put(entry('h/v', 10, { 'accept-language': 'de' }));
    store.put(entry('h/v', 20, { 'accept-language': 'de' }));
    expect(store.entries).toBe(2);
    expect(store.lookup('h/v', { 'accept-language': 'de' })?.body.length).toBe(20);
    store.put(entry('h/w', 10));
    expect(store.purge('/v')).toBe(2);
    expect(store.purge()).toBe(1);
    expect(store.bytes).toBe(0);
  });
});
