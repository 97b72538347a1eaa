import { fillRewrite, stripPathPrefix, type PatternMatch } from '../../../model/gateway-patterns.js';
import type { GatewayRoute } from '../../../model/kinds/gateway-fields.js';

/** The upstream target of a matched request: prefix stripped or path rewritten, query kept. */
export function upstreamTarget(route: GatewayRoute, path: string, query: string, captures: PatternMatch): string {
  if (route.rewrite !== undefined) return fillRewrite(route.rewrite, captures) + query;
  if (route.stripPrefix !== undefined) return stripPathPrefix(path, route.stripPrefix) + query;
  return path + query;
}

/**
 * A route's header edits as the forwarding layer's override map: lower-case names, `''`
 * removes (core/runtime/http/headers.ts applies it to requests and responses alike).
 */
export function headerOverrides(edits: GatewayRoute['requestHeaders']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of edits?.remove ?? []) out[name.toLowerCase()] = '';
  for (const [name, value] of Object.entries(edits?.add ?? {})) out[name.toLowerCase()] = value;
  return out;
}
