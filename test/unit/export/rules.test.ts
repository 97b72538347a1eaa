import { describe, expect, it } from 'vitest';
import { hostPatternCovers } from '../../../core/export/escape.js';
import { virtualHosts, type CheckedRule } from '../../../core/export/rules.js';

/** The design's semantics: the first rule whose host and path prefix match. */
function firstMatch(rules: CheckedRule[], host: string, path: string): number | undefined {
  return rules.find((r) => (r.host === undefined || hostPatternCovers(r.host, host)) && path.startsWith(r.pathPrefix))?.index;
}

/** nginx's semantics: exact server name, else the longest matching wildcard, else default; then the longest prefix. */
function nginxMatch(rules: CheckedRule[], host: string, path: string): number | undefined {
  const vhosts = virtualHosts(rules);
  const exact = vhosts.find((v) => v.host === host);
  const wildcard = vhosts
    .filter((v) => v.host?.startsWith('*.') && hostPatternCovers(v.host, host))
    .sort((a, b) => (b.host?.length ?? 0) - (a.host?.length ?? 0))[0];
  const vhost = exact ?? wildcard ?? vhosts.find((v) => v.host === undefined);
  const candidates = (vhost?.rules ?? []).filter((r) => path.startsWith(r.pathPrefix)).sort((a, b) => b.pathPrefix.length - a.pathPrefix.length);
  return candidates[0]?.index;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('virtualHosts keeps first-match-wins semantics under longest-prefix matching', () => {
  const hosts = [undefined, 'a.example.com', '*.example.com', 'b.example.com', '*.b.example.com'];
  const prefixes = ['/', '/api', '/api/', '/api/v2', '/static/', '/s'];
  const requestHosts = ['a.example.com', 'b.example.com', 'x.b.example.com', 'c.example.com', 'other.test'];
  const requestPaths = ['/', '/api', '/api/v2/x', '/apix', '/static/a.css', '/s', '/nothing'];

  it('on 500 random rule lists', () => {
    const next = random(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    for (let round = 0; round < 500; round++) {
      const count = 1 + Math.floor(next() * 6);
      const rules: CheckedRule[] = Array.from({ length: count }, (_, index) => {
        const host = pick(hosts);
        return { index, ...(host !== undefined ? { host } : {}), pathPrefix: pick(prefixes), upstreams: ['u'], requestHeaders: [], responseHeaders: [] };
      });
      for (const host of requestHosts) {
        for (const path of requestPaths) {
          expect(nginxMatch(rules, host, path), JSON.stringify({ rules, host, path })).toBe(firstMatch(rules, host, path));
        }
      }
    }
  });
});
