import { describe, expect, it } from 'vitest';
import { normalizePathPrefix, normalizeRequestPath, prefixMatches, rewritePath, safeNormalizeRequestPath } from '../../../core/model/request-path.js';

describe('the one rule for request paths', () => {
  it.each([
    ['/admin', '/admin'],
    ['//admin/x', '/admin/x'],
    ['/%61dmin/x', '/admin/x'],
    ['/%41PI/x', '/API/x'],
    ['/./admin/x', '/admin/x'],
    ['/static/../admin/x', '/admin/x'],
    ['/static/%2e%2e/admin/x', '/admin/x'],
    ['/static/%2E%2E/admin/x', '/admin/x'],
    ['/a/.%2e/x', '/x'],
    ['/admin/..', '/'],
    ['/admin/.', '/admin/'],
    ['/a/./b/.', '/a/b/'],
    ['/a//b//', '/a/b/'],
    ['/.', '/'],
    ['/', '/'],
    ['/~user', '/~user'],
    ['/%7euser', '/~user'],
    ['/a%3bb', '/a%3Bb'],
    ['/a%20b', '/a%20b'],
    ['/%2561dmin', '/%2561dmin'],
    ['/admin?x=%zz', '/admin?x=%zz'],
    ['/a/../b?q=/../x', '/b?q=/../x'],
    ['/..x/.y', '/..x/.y'],
  ])('%s -> %s', (raw, normal) => {
    expect(normalizeRequestPath(raw)).toBe(normal);
  });

  it.each([
    ['/%zz', 'not a percent-encoded byte'],
    ['/a%4', 'not a percent-encoded byte'],
    ['/a%', 'not a percent-encoded byte'],
    ['/admin%2Fx', 'escaped "/"'],
    ['/admin%2fx', 'escaped "/"'],
    ['/a%5Cb', 'escaped "\\"'],
    ['/a%00b', 'NUL'],
    ['/..', 'climbs above the root'],
    ['/../x', 'climbs above the root'],
    ['/a/../../x', 'climbs above the root'],
    ['/../..', 'climbs above the root'],
    ['/%2e%2e/x', 'climbs above the root'],
  ])('%s is refused (%s)', (raw, why) => {
    const result = safeNormalizeRequestPath(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(why);
    expect(() => normalizeRequestPath(raw)).toThrow(why);
  });

  it('is idempotent: a normalised path stays as it is', () => {
    for (const raw of ['/static/../a//b/./c/', '/%7e%41/%3f/x', '/a/b/..', '/x?y=1']) {
      const once = normalizeRequestPath(raw);
      expect(normalizeRequestPath(once)).toBe(once);
    }
  });

  it('normalises rule prefixes by the same rule, and refuses prefixes no request can have', () => {
    expect(normalizePathPrefix('/./api/')).toBe('/api/');
    expect(normalizePathPrefix('/%61pi')).toBe('/api');
    expect(normalizePathPrefix('/a%2Fb')).toBeUndefined();
    expect(normalizePathPrefix('/../x')).toBeUndefined();
  });
});

describe('prefix rules match on segment boundaries', () => {
  it.each([
    ['/admin', '/admin', true],
    ['/admin', '/admin/', true],
    ['/admin', '/admin/x', true],
    ['/admin', '/admin?x=1', true],
    ['/admin', '/adminx', false],
    ['/admin', '/ADMIN', false],
    ['/admin/', '/admin', false],
    ['/admin/', '/admin/x', true],
    ['/', '/anything', true],
  ])('%s against %s: %s', (prefix, path, expected) => {
    expect(prefixMatches(prefix, path)).toBe(expected);
  });

  it.each([
    ['/admin/x', '/admin/', '/', '/x'],
    ['/admin/', '/admin/', '/', '/'],
    ['/admin', '/admin', '/', '/'],
    ['/admin/x', '/admin', '/', '/x'],
    ['/admin?q=1', '/admin', '/', '/?q=1'],
    ['/api/users', '/api', '/v1', '/v1/users'],
    ['/api/users', '/api/', '/v1', '/v1/users'],
    ['/api/', '/api/', '/v1', '/v1'],
    ['/api/users', '/api', '/v1/', '/v1/users'],
  ])('%s with %s -> %s is %s (never //)', (path, prefix, replacement, expected) => {
    expect(rewritePath(path, prefix, replacement)).toBe(expected);
  });
});
