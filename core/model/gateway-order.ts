import { parsePathPattern, patternSpecificity, type PathPattern } from './gateway-patterns.js';
import type { GatewayRoute } from './kinds/gateway-fields.js';

/**
 * The order a gateway tries its routes in, shared by the lab (core/runtime/services/gateway/
 * match.ts) and the exporters, which write routes in this order. Pure.
 */

/** A route ready to match: its parsed pattern and where it sits in the design's list. */
export interface CompiledRoute {
  route: GatewayRoute;
  /** Position in `gateway.routes` (the rule's pool index). */
  index: number;
  pattern: PathPattern;
  methods: ReadonlySet<string> | undefined;
}

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
