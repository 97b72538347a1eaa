import type { ReverseProxyNode } from '../model/types.js';
import { commentText, hasControlChars, hostPatternCovers, isHeaderName, isSafePathPrefix, normaliseHostPattern } from './escape.js';
import type { ReportBuilder } from './report.js';

/** A reverse-proxy rule after checking: host lower-cased, prefix defaulted to `/`, safe headers only. */
export interface CheckedRule {
  /** Position in the design's rule list (first match wins there). */
  index: number;
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
        report.notExpressible(node.id, 'routing-rule', `${where} skipped: host "${commentText(rule.host)}" is not a DNS name or *.domain wildcard`);
        return;
      }
    }
    const pathPrefix = rule.pathPrefix ?? '/';
    if (!isSafePathPrefix(pathPrefix)) {
      report.notExpressible(node.id, 'routing-rule', `${where} skipped: path prefix "${commentText(pathPrefix)}" has characters a request path cannot carry literally`);
      return;
    }
    if (rule.rewritePrefix !== undefined && !isSafePathPrefix(rule.rewritePrefix)) {
      report.notExpressible(node.id, 'routing-rule', `${where} skipped: rewrite prefix "${commentText(rule.rewritePrefix)}" has characters a request path cannot carry literally`);
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
    if (!isHeaderName(name) || hasControlChars(value)) {
      report.notExpressible(nodeId, 'header-rewrite', `${where}: ${direction} header "${commentText(name)}" skipped: not a valid header name or value`);
      continue;
    }
    out.push([name, value]);
  }
  return out;
}

/** The rules one virtual host answers with: `host` undefined is the default server. */
export interface VirtualHost {
  host?: string;
  rules: CheckedRule[];
}

/**
 * Turns first-match-wins rules into virtual hosts with longest-prefix locations, the model
 * of nginx and of a Kubernetes Ingress. Each host gets every rule that can match it, in
 * order; a rule behind an earlier rule whose prefix already covers it can never match and
 * is dropped. What is left routes exactly as first match: a longer prefix that survives
 * came first, so longest-prefix picks the same rule.
 */
export function virtualHosts(rules: readonly CheckedRule[]): VirtualHost[] {
  const hosts: (string | undefined)[] = [undefined];
  for (const rule of rules) if (rule.host !== undefined && !hosts.includes(rule.host)) hosts.push(rule.host);
  return hosts.map((host) => {
    const applicable = rules.filter((rule) => rule.host === undefined || (host !== undefined && hostPatternCovers(rule.host, host)));
    const kept: CheckedRule[] = [];
    for (const rule of applicable) {
      if (!kept.some((earlier) => rule.pathPrefix.startsWith(earlier.pathPrefix))) kept.push(rule);
    }
    return host === undefined ? { rules: kept } : { host, rules: kept };
  });
}
