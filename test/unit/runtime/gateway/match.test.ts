import { describe, expect, it } from 'vitest';
import { fillRewrite, matchPathPattern, parsePathPattern, safeParsePathPattern, stripPathPrefix } from '../../../../core/model/gateway-patterns.js';
import type { GatewayRoute } from '../../../../core/model/kinds/gateway-fields.js';
import { compileRoutes, matchRoute } from '../../../../core/runtime/services/gateway/match.js';

const route = (id: string, extra: Partial<GatewayRoute> = {}): GatewayRoute => ({ id, upstreams: ['app'], ...extra });

describe('gateway path patterns', () => {
  it.each([
    ['/users/{id}', '/users/42', { id: '42' }, undefined],
    ['/users/{id}/posts/{post}', '/users/1/posts/2', { id: '1', post: '2' }, undefined],
    ['/files/*', '/files', {}, ''],
    ['/files/*', '/files/a/b.txt', {}, 'a/b.txt'],
    ['/', '/', {}, undefined],
    ['/*', '/anything/at/all', {}, 'anything/at/all'],
  ])('%s matches %s', (pattern, path, params, rest) => {
    expect(matchPathPattern(parsePathPattern(pattern), path)).toEqual({ params, rest });
  });

  it.each([
    ['/users/{id}', '/users'],
    ['/users/{id}', '/users/'],
    ['/users/{id}', '/users/1/2'],
    ['/users/me', '/users/mE'],
    ['/files/*', '/filesx'],
  ])('%s does not match %s', (pattern, path) => {
    expect(matchPathPattern(parsePathPattern(pattern), path)).toBeUndefined();
  });

  it.each([
    ['/files/*/meta', /may only be the last segment/],
    ['/a//b', /empty segment/],
    ['/a/../b', /dot segments are removed/],
    ['/a/{id}/{id}', /names the parameter "\{id\}" twice/],
    ['/a/x{id}', /is not a parameter/],
    ['/a/{1x}', /is not a parameter/],
    ['/a/b*', /must be a whole segment/],
    ['/a/%41', /holds "%"/],
    ['users', /does not start with "\/"/],
  ])('refuses the impossible pattern %s', (pattern, problem) => {
    const result = safeParsePathPattern(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it('fills rewrites and strips literal prefixes by whole segments', () => {
    expect(fillRewrite('/v2/users/{id}', { params: { id: '7' }, rest: undefined })).toBe('/v2/users/7');
    expect(fillRewrite('/store/*', { params: {}, rest: 'a/b' })).toBe('/store/a/b');
    expect(fillRewrite('/store/*', { params: {}, rest: '' })).toBe('/store/');
    expect(stripPathPrefix('/api/users', '/api')).toBe('/users');
    expect(stripPathPrefix('/api', '/api')).toBe('/');
    expect(stripPathPrefix('/apix/users', '/api')).toBe('/apix/users');
  });
});

describe('gateway route matching', () => {
  const routes = compileRoutes([
    route('any', { path: '/*' }),
    route('wild', { path: '/users/*' }),
    route('param', { path: '/users/{id}', methods: ['GET'] }),
    route('me', { path: '/users/me' }),
    route('urgent', { path: '/*', priority: 5, host: 'admin.example' }),
    route('host', { path: '/users/{id}', host: '*.example', methods: ['GET'] }),
  ]);

  it('goes by priority, then literal segments, then no wildcard, then host and methods', () => {
    const pick = (method: string, host: string, path: string): string | undefined => {
      const m = matchRoute(routes, method, host, path);
      return m.kind === 'route' ? m.compiled.route.id : m.kind;
    };
    expect(pick('GET', 'x', '/users/me')).toBe('me');
    expect(pick('GET', 'x', '/users/7')).toBe('param');
    expect(pick('GET', 'api.example', '/users/7')).toBe('host');
    expect(pick('HEAD', 'x', '/users/7')).toBe('param');
    expect(pick('POST', 'x', '/users/7')).toBe('wild');
    expect(pick('GET', 'ADMIN.example:8080', '/users/me')).toBe('urgent');
    expect(pick('GET', 'x', '/')).toBe('any');
  });

  it('answers 405 with the methods of the routes the path matches, 404 when none does', () => {
    const only = compileRoutes([route('read', { path: '/r/{id}', methods: ['GET'] }), route('write', { path: '/r/{id}', methods: ['PUT', 'DELETE'] })]);
    expect(matchRoute(only, 'POST', 'h', '/r/1')).toEqual({ kind: 'method', allow: ['DELETE', 'GET', 'HEAD', 'PUT'] });
    expect(matchRoute(only, 'GET', 'h', '/x')).toEqual({ kind: 'none' });
  });
});
