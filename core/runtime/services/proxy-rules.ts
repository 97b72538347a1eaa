import { normalizePathPrefix, prefixMatches, rewritePath } from '../../model/request-path.js';
import type { ProxyRoute, UpstreamTarget } from './types.js';

export { prefixMatches, rewritePath };

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

const prefixes = new WeakMap<ProxyRoute, string | undefined | null>();

/** A rule's prefix normalised (`undefined`: every path; `null`: no path can match), worked out once per rule. */
export function rulePrefix(rule: ProxyRoute): string | undefined | null {
  if (rule.pathPrefix === undefined) return undefined;
  let prefix = prefixes.get(rule);
  if (prefix === undefined) {
    prefix = normalizePathPrefix(rule.pathPrefix) ?? null;
    prefixes.set(rule, prefix);
  }
  return prefix;
}

/**
 * The first rule matching host and path, with its index. `path` is normalised already (the
 * front end applies core/model/request-path.ts to every request); rule prefixes are
 * normalised by the same rule, so `/./api/` in a design means `/api/`.
 */
export function matchRule(rules: readonly ProxyRoute[], hostHeader: string, path: string): { rule: ProxyRoute; index: number } | undefined {
  const host = normalizeHost(hostHeader);
  for (let index = 0; index < rules.length; index += 1) {
    const rule = rules[index] as ProxyRoute;
    if (!hostMatches(rule.host, host)) continue;
    const prefix = rulePrefix(rule);
    // A prefix no request path can have (it would be refused first) matches nothing.
    if (prefix !== null && prefixMatches(prefix, path)) return { rule, index };
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
