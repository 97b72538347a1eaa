import { normalizePathPrefix, prefixMatches } from '../model/request-path.js';
import type { ReverseProxyNode } from '../model/types.js';
import { isHeaderFieldName, isHeaderFieldValue } from '../model/header-fields.js';
import { commentText, hostPatternCovers, isSafePathPrefix, normaliseHostPattern } from './escape.js';
import type { ReportBuilder } from './report.js';

/** A reverse-proxy rule after checking: host lower-cased, prefix defaulted to `/` and normalised, safe headers only. */
export interface CheckedRule {
  /** Position in the design's rule list (first match wins there); the default pool comes after the last rule. */
  index: number;
  /** The node's drawn edges: where a request no rule matches goes (the lab's default pool). */
  defaultPool?: true;
  host?: string;
  pathPrefix: string;
  upstreams: string[];
  rewritePrefix?: string;
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
}

/**
 * The proxy's rules that every target can write literally. A rule whose host or path could
 * never appear in a real request (control characters, `;`, spaces) is dropped and reported,
 * and so is a header that is not a valid name or value: such text must never reach a config.
 */
export function checkRules(node: ReverseProxyNode, report: ReportBuilder): CheckedRule[] {
  const out: CheckedRule[] = [];
  (node.rules ?? []).forEach((rule, index) => {
    const where = `rule ${index + 1}`;
    let host: string | undefined;
    if (rule.host !== undefined) {
      host = normaliseHostPattern(rule.host);
      if (host === undefined) {
        report.notExpressible(node.id, 'routing-rule', `${where} skipped: host "${commentText(rule.host)}" is not a DNS name or *.domain wildcard`, 'write the host as a DNS name (api.example.com) or *.domain wildcard, then export again');
        return;
      }
    }
    const written = rule.pathPrefix ?? '/';
    if (!isSafePathPrefix(written)) {
      report.notExpressible(node.id, 'routing-rule', `${where} skipped: path prefix "${commentText(written)}" has characters a request path cannot carry literally`, 'write the prefix with plain path characters (letters, digits, -._~/ and escapes), then export again');
      return;
    }
    // The prefix under the one path rule (core/model/request-path.ts), as the lab matches it.
    const pathPrefix = normalizePathPrefix(written);
    if (pathPrefix === undefined) {
      report.notExpressible(node.id, 'routing-rule', `${where} skipped: no request can have the path prefix "${commentText(written)}" (the path rule refuses it), so the rule never matches`, 'remove the rule or fix its prefix (no encoded /, \\ or NUL, no .. above the root)');
      return;
    }
    if (pathPrefix.includes('%')) {
      report.notExpressible(node.id, 'routing-rule', `${where} skipped: nginx matches decoded paths, so the escaped prefix "${commentText(pathPrefix)}" cannot be written literally; write the character itself`, 'write the character itself instead of its escape in the rule, then export again');
      return;
    }
    if (rule.rewritePrefix !== undefined && !isSafePathPrefix(rule.rewritePrefix)) {
      report.notExpressible(node.id, 'routing-rule', `${where} skipped: rewrite prefix "${commentText(rule.rewritePrefix)}" has characters a request path cannot carry literally`, 'write the prefix with plain path characters (letters, digits, -._~/ and escapes), then export again');
      return;
    }
    out.push({
      index,
      ...(host !== undefined ? { host } : {}),
      pathPrefix,
      upstreams: [...rule.upstreams],
      ...(rule.rewritePrefix !== undefined ? { rewritePrefix: rule.rewritePrefix } : {}),
      requestHeaders: checkHeaders(node.id, where, 'request', rule.requestHeaders, report),
      responseHeaders: checkHeaders(node.id, where, 'response', rule.responseHeaders, report),
    });
  });
  return out;
}

function checkHeaders(
  nodeId: string,
  where: string,
  direction: string,
  headers: Record<string, string> | undefined,
  report: ReportBuilder,
): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isHeaderFieldName(name) || !isHeaderFieldValue(value)) {
      report.notExpressible(nodeId, 'header-rewrite', `${where}: ${direction} header "${commentText(name)}" skipped: not a valid header name or value`, 'fix the header (topolab validate reports it as header-invalid): a name of token characters, a value of visible ASCII and spaces, then export again');
      continue;
    }
    out.push([name, value]);
  }
  return out;
}

/**
 * The rules with the node's default pool after them: a request no rule matches goes to the
 * drawn edges (round robin), as the lab plans it; without edges it gets 404.
 */
export function withDefaultPool(rules: readonly CheckedRule[], designRuleCount: number, edgeTargets: readonly string[]): CheckedRule[] {
  if (edgeTargets.length === 0) return [...rules];
  return [...rules, { index: designRuleCount, defaultPool: true, pathPrefix: '/', upstreams: [...edgeTargets], requestHeaders: [], responseHeaders: [] }];
}

/** How a rule is named in comments and reports. */
export function ruleLabel(rule: CheckedRule): string {
  return rule.defaultPool ? 'default pool (the drawn edges)' : `rule ${rule.index + 1}`;
}

/** The rules one virtual host answers with: `host` undefined is the default server. */
export interface VirtualHost {
  host?: string;
  rules: CheckedRule[];
}

/**
 * Turns first-match-wins rules into virtual hosts with longest-prefix locations, the model
 * of nginx and of a Kubernetes Ingress. Each host gets every rule that can match it, in
 * order; a rule behind an earlier rule that matches every path it matches (prefixes match
 * on segment boundaries, so `/api` covers `/api/` and `/api/v2` but not `/apix`) can never
 * match and is dropped. What is left routes exactly as first match: a longer prefix that
 * survives came first, so longest-prefix picks the same rule.
 */
export function virtualHosts(rules: readonly CheckedRule[]): VirtualHost[] {
  const hosts: (string | undefined)[] = [undefined];
  for (const rule of rules) if (rule.host !== undefined && !hosts.includes(rule.host)) hosts.push(rule.host);
  return hosts.map((host) => {
    const applicable = rules.filter((rule) => rule.host === undefined || (host !== undefined && hostPatternCovers(rule.host, host)));
    const kept: CheckedRule[] = [];
    for (const rule of applicable) {
      if (!kept.some((earlier) => prefixMatches(earlier.pathPrefix, rule.pathPrefix))) kept.push(rule);
    }
    return host === undefined ? { rules: kept } : { host, rules: kept };
  });
}
