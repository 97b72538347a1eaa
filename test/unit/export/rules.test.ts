import { describe, expect, it } from 'vitest';
import { hostPatternCovers } from '../../../core/export/escape.js';
import { nginxLocationFor, planLocations } from '../../../core/export/nginx/locations.js';
import { virtualHosts, type CheckedRule } from '../../../core/export/rules.js';
import { normalizeRequestPath, prefixMatches, rewritePath } from '../../../core/model/request-path.js';

/** The lab's semantics: the first rule whose host and path prefix (on segment boundaries) match. */
function firstMatch(rules: CheckedRule[], host: string, path: string): CheckedRule | undefined {
  return rules.find((r) => (r.host === undefined || hostPatternCovers(r.host, host)) && prefixMatches(r.pathPrefix, path));
}

/** nginx's semantics on the exported server blocks: exact server name, else the longest wildcard, else default; then exact location, else longest prefix. */
function nginxMatch(rules: CheckedRule[], host: string, path: string, planned = plan(rules)): { rule: CheckedRule | undefined; uri: string | undefined } {
  const vhosts = planned;
  const exact = vhosts.find((v) => v.host === host);
  const wildcard = vhosts
    .filter((v) => v.host?.startsWith('*.') && hostPatternCovers(v.host, host))
    .sort((a, b) => (b.host?.length ?? 0) - (a.host?.length ?? 0))[0];
  const vhost = exact ?? wildcard ?? vhosts.find((v) => v.host === undefined);
  const location = nginxLocationFor(vhost?.locations ?? [], path);
  const rule = location?.rule;
  // nginx replaces the matched location by the proxy_pass URI in the normalised path.
  const uri = rule === undefined || location === undefined ? undefined : location.rewriteUri === undefined ? path : location.rewriteUri + path.slice(location.path.length);
  return { rule, uri };
}

/** The server blocks and their locations, planned once per rule list. */
function plan(rules: CheckedRule[]): { host?: string; locations: ReturnType<typeof planLocations> }[] {
  return virtualHosts(rules).map((v) => ({ ...(v.host !== undefined ? { host: v.host } : {}), locations: planLocations(v.rules) }));
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('nginx server blocks and locations route as the lab: segment boundaries, first match wins', () => {
  const hosts = [undefined, 'a.example.com', '*.example.com', 'b.example.com', '*.b.example.com'];
  const prefixes = ['/', '/api', '/api/', '/api/v2', '/static/', '/s', '/admin'];
  const rewrites = [undefined, undefined, '/', '/v1', '/v1/'];
  const requestHosts = ['a.example.com', 'b.example.com', 'x.b.example.com', 'c.example.com', 'other.test'];
  const requestPaths = ['/', '/api', '/api/', '/api/v2/x', '/api/v2', '/apix', '/static', '/static/', '/static/a.css', '/s', '/sx', '/s/x', '/admin', '/admin/', '/adminx', '/ADMIN', '/nothing'];

  it('on 500 random rule lists: the same rule and the same upstream path', () => {
    const next = random(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    for (let round = 0; round < 500; round++) {
      const count = 1 + Math.floor(next() * 6);
      const rules: CheckedRule[] = Array.from({ length: count }, (_, index) => {
        const host = pick(hosts);
        const rewrite = pick(rewrites);
        return { index, ...(host !== undefined ? { host } : {}), pathPrefix: pick(prefixes), upstreams: ['u'], ...(rewrite !== undefined ? { rewritePrefix: rewrite } : {}), requestHeaders: [], responseHeaders: [] };
      });
      if (next() < 0.5) rules.push({ index: count, defaultPool: true, pathPrefix: '/', upstreams: ['edges'], requestHeaders: [], responseHeaders: [] });
      const planned = plan(rules);
      for (const host of requestHosts) {
        for (const path of requestPaths) {
          const expected = firstMatch(rules, host, path);
          const got = nginxMatch(rules, host, path, planned);
          const uri = expected?.rewritePrefix === undefined ? got.uri : rewritePath(path, expected.pathPrefix, expected.rewritePrefix);
          // The context is built only for a failure: building it for every check would be most of the test's time.
          if (got.rule?.index !== expected?.index || (expected?.rewritePrefix !== undefined && got.uri !== uri)) {
            expect({ rule: got.rule?.index, uri: got.uri }, JSON.stringify({ rules, host, path })).toEqual({ rule: expected?.index, uri });
          }
        }
      }
    }
  });

  it('never sends /adminx to an /admin rule, nor a rewrite to /, to //', () => {
    const rules: CheckedRule[] = [{ index: 0, pathPrefix: '/admin', upstreams: ['admin'], rewritePrefix: '/', requestHeaders: [], responseHeaders: [] }];
    expect(nginxMatch(rules, 'x', '/adminx').rule).toBeUndefined();
    expect(nginxMatch(rules, 'x', normalizeRequestPath('/static/../admin/x'))).toMatchObject({ rule: rules[0], uri: '/x' });
    expect(nginxMatch(rules, 'x', '/admin').uri).toBe('/');
    expect(nginxMatch(rules, 'x', '/admin/').uri).toBe('/');
  });
});
