import type { ProxyRoute, UpstreamTarget } from './types.js';

/** The request host without port, lower case, no trailing dot (`API.example.com.:8080` -> `api.example.com`). */
export function normalizeHost(hostHeader: string): string {
  let host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end === -1 ? host : host.slice(0, end + 1);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && host.indexOf(':') === colon) host = host.slice(0, colon);
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Whether a rule's host (exact or `*.domain`) matches a normalized request host. */
export function hostMatches(ruleHost: string | undefined, host: string): boolean {
  if (ruleHost === undefined || ruleHost === '') return true;
  const wanted = normalizeHost(ruleHost);
  if (wanted.startsWith('*.')) return host.endsWith(wanted.slice(1)) && host.length > wanted.length - 1;
  return host === wanted;
}

/** Whether a path prefix matches on a segment boundary (`/api` matches `/api`, `/api/x`, `/api?q`, not `/apix`). */
export function prefixMatches(prefix: string | undefined, path: string): boolean {
  if (prefix === undefined || prefix === '/') return true;
  if (!path.startsWith(prefix)) return false;
  if (prefix.endsWith('/') || path.length === prefix.length) return true;
  const next = path[prefix.length];
  return next === '/' || next === '?';
}

/** Replaces a matched prefix: `/api/users` with `/api` -> `/v1` is `/v1/users`; never produces `//`. */
export function rewritePath(path: string, prefix: string, replacement: string): string {
  const rest = path.slice(prefix.length);
  if (rest === '' || rest.startsWith('?')) return replacement + rest;
  const base = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement;
  return rest.startsWith('/') ? base + rest : `${base}/${rest}`;
}

/** The first rule matching host and path, with its index. */
export function matchRule(rules: readonly ProxyRoute[], hostHeader: string, path: string): { rule: ProxyRoute; index: number } | undefined {
  const host = normalizeHost(hostHeader);
  for (let index = 0; index < rules.length; index += 1) {
    const rule = rules[index] as ProxyRoute;
    if (hostMatches(rule.host, host) && prefixMatches(rule.pathPrefix, path)) return { rule, index };
  }
  return undefined;
}

/** The targets a rule names: by node id, or every instance of a named group. */
export function targetsOfRule(rule: ProxyRoute, targets: readonly UpstreamTarget[]): UpstreamTarget[] {
  const names = new Set(rule.upstreams);
  return targets.filter((t) => names.has(t.nodeId) || (t.group !== undefined && names.has(t.group)));
}

/** Lower-cases header names of a rewrite map (HTTP names are case-insensitive). */
export function lowerKeys(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (map === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) out[name.toLowerCase()] = value;
  return out;
}
