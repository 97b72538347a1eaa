import { describe, expect, it } from 'vitest';
import { safeParseIp } from '../../../core/cidr/address.js';
import { readCookie, resolveSticky, stickyCookie } from '../../../core/runtime/balancing/sticky.js';
import { compilePolicy, decideHost, isLinkLocal, normalizeHostName } from '../../../core/runtime/services/host-policy.js';
import { sampleLatency } from '../../../core/runtime/services/latency.js';
import { hostMatches, matchRule, normalizeHost, prefixMatches, rewritePath, targetsOfRule } from '../../../core/runtime/services/proxy-rules.js';
import { etagMatches, isNotModified, staticResource } from '../../../core/runtime/services/static-content.js';

describe('forward proxy host policy', () => {
  const ip = (text: string) => safeParseIp(text);

  it('normalizes names: case, trailing dot, brackets', () => {
    expect(normalizeHostName('API.Example.COM.')).toBe('api.example.com');
    expect(normalizeHostName('[FE80::1]')).toBe('fe80::1');
  });

  it.each([
    ['169.254.169.254', true],
    ['169.253.1.1', false],
    ['fe80::1', true],
    ['febf::1', true],
    ['fec0::1', false],
    ['::ffff:169.254.169.254', true],
    ['fd00:ec2::254', true],
    ['10.0.0.1', false],
  ])('link-local %s -> %s', (text, expected) => {
    expect(isLinkLocal(ip(text) as NonNullable<ReturnType<typeof ip>>)).toBe(expected);
  });

  it('refuses metadata even when allowed, then deny, then allow, else lab only', () => {
    const policy = compilePolicy(['*.example.com', '10.0.0.0/16', 'exact.test', '169.254.0.0/16', '192.168.1.7/24'], ['bad.example.com', '10.0.9.0/24']);
    expect(decideHost(policy, '169.254.169.254', undefined, false).allowed).toBe(false);
    expect(decideHost(policy, 'BAD.example.com.', undefined, false)).toMatchObject({ allowed: false, reason: expect.stringContaining('deny') });
    expect(decideHost(policy, 'a.b.example.com', undefined, false).allowed).toBe(true);
    expect(decideHost(policy, 'example.com', undefined, false).allowed).toBe(false);
    expect(decideHost(policy, '10.0.3.4', undefined, false).allowed).toBe(true);
    expect(decideHost(policy, '10.0.9.4', undefined, false).allowed).toBe(false);
    expect(decideHost(policy, '192.168.1.200', undefined, false).allowed).toBe(true);
    expect(decideHost(policy, 'Exact.Test', undefined, false).allowed).toBe(true);
    expect(decideHost(policy, 'name.test', ip('169.254.1.1'), true).allowed).toBe(false);
    const none = compilePolicy();
    expect(decideHost(none, 'web.internal', undefined, true).allowed).toBe(true);
    expect(decideHost(none, 'example.org', undefined, false)).toMatchObject({ allowed: false, reason: expect.stringContaining('outside the lab') });
  });
});

describe('reverse proxy rules', () => {
  it('matches hosts, wildcards and segment-aware prefixes', () => {
    expect(normalizeHost('Shop.Test.:8080')).toBe('shop.test');
    expect(normalizeHost('[::1]:80')).toBe('[::1]');
    expect(hostMatches('*.shop.test', 'a.shop.test')).toBe(true);
    expect(hostMatches('*.shop.test', 'shop.test')).toBe(false);
    expect(hostMatches(undefined, 'x')).toBe(true);
    expect(prefixMatches('/api', '/api')).toBe(true);
    expect(prefixMatches('/api', '/api/x')).toBe(true);
    expect(prefixMatches('/api', '/api?x=1')).toBe(true);
    expect(prefixMatches('/api', '/apix')).toBe(false);
    expect(prefixMatches('/api/', '/api/x')).toBe(true);
  });

  it.each([
    ['/api/users', '/api', '/v1', '/v1/users'],
    ['/api/users', '/api/', '/', '/users'],
    ['/api/users', '/api', '/', '/users'],
    ['/api', '/api', '/v1', '/v1'],
    ['/api?q=1', '/api', '/v1', '/v1?q=1'],
    ['/api/x', '/api', '/v1/', '/v1/x'],
  ])('rewrites %s (%s -> %s) to %s', (path, prefix, replacement, expected) => {
    expect(rewritePath(path, prefix, replacement)).toBe(expected);
  });

  it('first match wins and group ids select instances', () => {
    const rules = [{ pathPrefix: '/a', upstreams: ['x'] }, { upstreams: ['grp'] }];
    expect(matchRule(rules, 'h', '/a/b')?.index).toBe(0);
    expect(matchRule(rules, 'h', '/b')?.index).toBe(1);
    const e = { host: '127.0.0.1', port: 1 };
    const targets = [{ nodeId: 'x', endpoint: e }, { nodeId: 'i1', endpoint: e, group: 'grp' }, { nodeId: 'y', endpoint: e }];
    expect(targetsOfRule({ upstreams: ['grp', 'x'] }, targets).map((t) => t.nodeId)).toEqual(['x', 'i1']);
  });
});

describe('backend helpers', () => {
  it('samples latency distributions deterministically with an injected random', () => {
    const r = (): number => 0.5;
    expect(sampleLatency(undefined)).toBe(0);
    expect(sampleLatency(12)).toBe(12);
    expect(sampleLatency({ distribution: 'fixed', ms: 7 }, r)).toBe(7);
    expect(sampleLatency({ distribution: 'uniform', ms: 10, spreadMs: 20 }, r)).toBe(15);
    expect(sampleLatency({ distribution: 'exponential', ms: 10 }, r)).toBeCloseTo(6.93, 2);
    expect(sampleLatency({ distribution: 'normal', ms: 10, spreadMs: 100 }, () => 0.999)).toBeGreaterThanOrEqual(0);
  });

  it('serves deterministic static content and evaluates validators', () => {
    const a = staticResource('/static/x', new URLSearchParams('bytes=100&max-age=5'));
    const b = staticResource('/static/x', new URLSearchParams('bytes=100&max-age=5'));
    expect(a.body.length).toBe(100);
    expect(a.etag).toBe(b.etag);
    expect(a.maxAgeSeconds).toBe(5);
    expect(etagMatches('"x", W/' + a.etag, a.etag)).toBe(true);
    expect(etagMatches('*', a.etag)).toBe(true);
    expect(isNotModified('"nope"', a.lastModified.toUTCString(), a.etag, a.lastModified)).toBe(false);
    expect(isNotModified(undefined, a.lastModified.toUTCString(), a.etag, a.lastModified)).toBe(true);
    expect(isNotModified(undefined, 'garbage', a.etag, a.lastModified)).toBe(false);
  });

  it('reads and writes sticky cookies', () => {
    const s = resolveSticky({});
    expect(s).toEqual({ cookie: 'topolab_sticky', ttlSeconds: 3600 });
    expect(readCookie('a=1; topolab_sticky=b2; c=3', 'topolab_sticky')).toBe('b2');
    expect(readCookie('topolab_sticky="b3"', 'topolab_sticky')).toBe('b3');
    expect(readCookie('x=1', 'topolab_sticky')).toBeUndefined();
    expect(stickyCookie(s, 'b1')).toBe('topolab_sticky=b1; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax');
  });
});
