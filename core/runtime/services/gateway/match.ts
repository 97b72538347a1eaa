import { matchPathPattern, parsePathPattern, patternSpecificity, type PathPattern, type PatternMatch } from '../../../model/gateway-patterns.js';
import type { GatewayRoute } from '../../../model/kinds/gateway-fields.js';
import { hostMatches, normalizeHost } from '../proxy-rules.js';

/** A route ready to match: its parsed pattern and where it sits in the design's list. */
export interface CompiledRoute {
  route: GatewayRoute;
  /** Position in `gateway.routes` (the rule's pool index). */
  index: number;
  pattern: PathPattern;
  methods: ReadonlySet<string> | undefined;
}

/** What matching found: a route with its captures, only routes of other methods (405), or nothing (404). */
export type RouteMatch = { kind: 'route'; compiled: CompiledRoute; captures: PatternMatch } | { kind: 'method'; allow: string[] } | { kind: 'none' };

/** Host specificity: exact beats `*.domain`, which beats any host. */
function hostRank(host: string | undefined): number {
  if (host === undefined) return 0;
  return host.startsWith('*.') ? 1 : 2;
}

/** Lexicographic comparison of two number tuples, larger first. */
function compareDesc(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (b[i] as number) - (a[i] as number);
  return 0;
}

/**
 * Orders routes for first-match: priority (higher first), then path specificity (literal
 * segments, no wildcard, segment count), then a host over none, a method list over all
 * methods, then the design's order. Throws on an impossible pattern (validation names it first).
 */
export function compileRoutes(routes: readonly GatewayRoute[]): CompiledRoute[] {
  const compiled = routes.map((route, index) => ({
    route,
    index,
    pattern: parsePathPattern(route.path ?? '/*'),
    methods: route.methods === undefined ? undefined : new Set(route.methods.includes('GET') ? [...route.methods, 'HEAD'] : route.methods),
  }));
  const key = (c: CompiledRoute): number[] => [c.route.priority ?? 0, ...patternSpecificity(c.pattern), hostRank(c.route.host), c.methods === undefined ? 0 : 1, -c.index];
  return compiled.sort((a, b) => compareDesc(key(a), key(b)));
}

/** The first route (in `compileRoutes` order) for this method, host and normalised path (no query). */
export function matchRoute(routes: readonly CompiledRoute[], method: string, hostHeader: string, path: string): RouteMatch {
  const host = normalizeHost(hostHeader);
  const allow = new Set<string>();
  for (const compiled of routes) {
    if (!hostMatches(compiled.route.host, host)) continue;
    const captures = matchPathPattern(compiled.pattern, path);
    if (captures === undefined) continue;
    if (compiled.methods === undefined || compiled.methods.has(method)) return { kind: 'route', compiled, captures };
    for (const m of compiled.methods) allow.add(m);
  }
  return allow.size > 0 ? { kind: 'method', allow: [...allow].sort() } : { kind: 'none' };
}
