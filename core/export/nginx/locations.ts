import { prefixMatches, rewritePath } from '../../model/request-path.js';
import type { CheckedRule } from '../rules.js';

/** One nginx `location` of a virtual host. */
export interface Location {
  /** `exact` is `location = PATH`, `prefix` is `location ^~ PATH` (or `location /`). */
  match: 'exact' | 'prefix';
  path: string;
  /** The rule that answers; undefined answers 404 (the design has no rule for the path). */
  rule: CheckedRule | undefined;
  /** The URI part of `proxy_pass` that performs the rule's rewrite, when it rewrites. */
  rewriteUri?: string;
}

/** The first rule (in design order) whose prefix matches a path: the lab's semantics. */
function firstMatch(rules: readonly CheckedRule[], path: string): CheckedRule | undefined {
  return rules.find((rule) => prefixMatches(rule.pathPrefix, path));
}

/**
 * The locations that make nginx route a virtual host's rules exactly as the lab: prefixes
 * on segment boundaries and first match wins. nginx tries `=` locations first, then the
 * longest `^~` prefix, on the normalised path; so a prefix `/admin` becomes `= /admin`
 * plus `^~ /admin/` (never matching `/adminx`), and a prefix `/static/` becomes
 * `^~ /static/` plus `= /static` routed like the lab routes `/static` (otherwise nginx
 * answers it with a 301 to `/static/`). `rules` are the host's rules with covered ones
 * dropped (`virtualHosts`), so the longest prefix left is the first match.
 */
export function planLocations(rules: readonly CheckedRule[]): Location[] {
  const out = new Map<string, Location>();
  const add = (match: Location['match'], path: string, rule: CheckedRule | undefined): void => {
    const key = `${match} ${path}`;
    if (out.has(key)) return;
    out.set(key, { match, path, rule, ...(rule ? rewriteOf(rule, match, path) : {}) });
  };
  const exacts: string[] = [];
  for (const rule of rules) {
    const prefix = rule.pathPrefix;
    if (prefix === '/') add('prefix', '/', rule);
    else if (prefix.endsWith('/')) {
      add('prefix', prefix, rule);
      exacts.push(prefix.slice(0, -1));
    } else {
      exacts.push(prefix);
      add('prefix', `${prefix}/`, rule);
    }
  }
  // A prefix location whose rewrite cannot be one URI replacement for the location itself
  // (`/api/` -> `/v1` gives `/v1` for `/api/` but `/v1/x` for `/api/x`) gets an exact twin.
  for (const location of [...out.values()]) {
    if (location.rule?.rewritePrefix !== undefined && location.rewriteUri !== rewritePath(location.path, location.rule.pathPrefix, location.rule.rewritePrefix)) {
      exacts.push(location.path);
    }
  }
  for (const path of exacts) add('exact', path, firstMatch(rules, path));
  if (!out.has('prefix /')) add('prefix', '/', undefined);
  return [...out.values()];
}

/** The `proxy_pass` URI of a rewriting rule for one location: nginx replaces the matched location by it. */
function rewriteOf(rule: CheckedRule, match: Location['match'], path: string): { rewriteUri?: string } {
  const replacement = rule.rewritePrefix;
  if (replacement === undefined) return {};
  if (match === 'exact') return { rewriteUri: rewritePath(path, rule.pathPrefix, replacement) };
  // What the location is replaced by for every path below it: the rewrite of `path + x` minus `x`.
  return { rewriteUri: rewritePath(`${path}x`, rule.pathPrefix, replacement).slice(0, -1) };
}

/** nginx's choice among locations for a normalised path: an exact match, else the longest prefix. */
export function nginxLocationFor(locations: readonly Location[], path: string): Location | undefined {
  const bare = path.split('?')[0] ?? path;
  const exact = locations.find((l) => l.match === 'exact' && l.path === bare);
  if (exact) return exact;
  return locations.filter((l) => l.match === 'prefix' && bare.startsWith(l.path)).sort((a, b) => b.path.length - a.path.length)[0];
}
