import { type CompiledRoute } from '../../../model/gateway-order.js';
import { matchPathPattern, type PatternMatch } from '../../../model/gateway-patterns.js';
import { hostMatches, normalizeHost } from '../proxy-rules.js';

export { compileRoutes, type CompiledRoute } from '../../../model/gateway-order.js';

/** What matching found: a route with its captures, only routes of other methods (405), or nothing (404). */
export type RouteMatch = { kind: 'route'; compiled: CompiledRoute; captures: PatternMatch } | { kind: 'method'; allow: string[] } | { kind: 'none' };

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
