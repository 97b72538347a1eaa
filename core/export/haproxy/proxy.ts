import { UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { ReverseProxyNode } from '../../model/types.js';
import type { Endpoint } from '../design.js';
import { toIdentifier } from '../escape.js';
import { reportRoutingGaps } from '../routing-gaps.js';
import { checkRules, ruleLabel, withDefaultPool, type CheckedRule } from '../rules.js';
import type { ConfigWriter } from '../text.js';
import { writeServers } from './balancer.js';
import { writeGatewayProxy } from './gateway.js';
import { frontendName, NAME_CHARS, openHttpFrontend, type Context } from './context.js';
import { writeStatusMapping } from './guards.js';
import { duration, quoteLogFormat, quoteWord, regexLiteral } from './syntax.js';

interface RuleBackend {
  rule: CheckedRule | undefined;
  name: string;
  endpoints: Endpoint[];
  notFound?: true;
}

/**
 * A reverse proxy: ACLs on the normalised host (`txn.topolab_host`) and the normalised path,
 * tried in the design's order with `use_backend` (first match wins exactly); prefixes on
 * segment boundaries (`/admin` is `path -m str /admin` or `path -m beg /admin/`); the drawn
 * edges as the default pool; 404 when nothing matches and there are no edges.
 */
export function writeReverseProxy(w: ConfigWriter, node: ReverseProxyNode, ctx: Context): void {
  if (node.gateway !== undefined) return writeGatewayProxy(w, node, ctx);
  const fe = frontendName(ctx, node);
  const edges = ctx.view.edgeTargets(node.id).map((t) => t.id);
  const designRules = node.rules ?? [];
  reportRoutingGaps(ctx.view, node.id, [...edges, ...designRules.flatMap((r) => r.upstreams)], 'HAProxy', ctx.report);
  openHttpFrontend(w, fe, node, ctx);
  const timeout = node.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs;
  if (node.timeoutMs !== undefined) ctx.report.expressed(node.id, 'timeout', `timeout server ${duration(timeout)} in each backend`);
  const backendName = (key: string, suffix: string): string => ctx.backends.name(key, `be_${toIdentifier(node.id, NAME_CHARS)}${suffix}`);
  const backends: RuleBackend[] = [];
  if (designRules.length === 0) {
    const name = backendName(node.id, '');
    backends.push({ rule: undefined, name, endpoints: ctx.view.endpointsOfAll(edges) });
    w.line(`default_backend ${name}`);
  } else {
    const checked = checkRules(node, ctx.report);
    // The drawn edges only take what no rule catches: after a rule for every host and path they are never used.
    const catchAll = checked.some((rule) => rule.host === undefined && rule.pathPrefix === '/');
    const rules = catchAll ? checked : withDefaultPool(checked, designRules.length, edges);
    for (const rule of rules) {
      const name = rule.defaultPool ? backendName(`${node.id}#default`, '_default') : backendName(`${node.id}#${rule.index}`, `_r${rule.index + 1}`);
      backends.push({ rule, name, endpoints: ctx.view.endpointsOfAll(rule.upstreams) });
      if (rule.defaultPool) continue;
      const conditions = ruleAcls(w, rule);
      w.line(conditions.length > 0 ? `use_backend ${name} if ${conditions.join(' ')}` : `use_backend ${name}`);
    }
    const fallback = rules.find((r) => r.defaultPool);
    if (fallback) w.line(`default_backend ${backends.find((b) => b.rule === fallback)?.name ?? ''}`);
    else if (!rules.some((rule) => rule.host === undefined && rule.pathPrefix === '/')) {
      const name = backendName(`${node.id}#none`, '_nomatch');
      w.line(`default_backend ${name}`);
      backends.push({ rule: undefined, name, endpoints: [], notFound: true });
    }
    ctx.report.expressed(node.id, 'routing-rules', `${designRules.length} rule(s) as ACLs on the normalised host and path with use_backend, prefixes on segment boundaries, first match wins, unmatched requests ${edges.length > 0 ? 'go to the drawn edges' : 'get 404'}, as in the lab`);
  }
  w.dedent();
  for (const backend of backends) writeRuleBackend(w, node, backend, timeout, ctx);
}

/** The ACLs of one rule; returns the names its `use_backend` requires. */
function ruleAcls(w: ConfigWriter, rule: CheckedRule): string[] {
  const conditions: string[] = [];
  const n = rule.index + 1;
  if (rule.host !== undefined) {
    const match = rule.host.startsWith('*.') ? `-m end ${rule.host.slice(1)}` : `-m str ${rule.host}`;
    w.line(`acl r${n}_host var(txn.topolab_host) ${match}`);
    conditions.push(`r${n}_host`);
  }
  const prefix = rule.pathPrefix;
  if (prefix !== '/') {
    // Segment boundaries: `/admin` is `/admin` or below `/admin/`; `/static/` is below `/static/`.
    if (prefix.endsWith('/')) w.line(`acl r${n}_path path -m beg ${quoteWord(prefix)}`);
    else {
      w.line(`acl r${n}_path path -m str ${quoteWord(prefix)}`);
      w.line(`acl r${n}_path path -m beg ${quoteWord(`${prefix}/`)}`);
    }
    conditions.push(`r${n}_path`);
  }
  return conditions;
}

function writeRuleBackend(w: ConfigWriter, node: ReverseProxyNode, backend: RuleBackend, timeout: number, ctx: Context): void {
  w.blank();
  w.line(`backend ${backend.name}`).indent();
  w.line('mode http');
  if (backend.notFound) {
    w.comment('No rule matches: the design answers 404.');
    w.line('http-request return status 404');
    w.dedent();
    return;
  }
  if (backend.rule) w.comment(ruleLabel(backend.rule));
  w.line('balance roundrobin');
  w.line('http-reuse safe');
  writeStatusMapping(w);
  w.line(`timeout server ${duration(timeout)}`);
  const rule = backend.rule;
  if (rule?.rewritePrefix !== undefined) writeRewrite(w, rule.pathPrefix, rule.rewritePrefix);
  for (const [name, value] of rule?.requestHeaders ?? []) w.line(`http-request set-header ${quoteWord(name)} ${quoteLogFormat(value)}`);
  for (const [name, value] of rule?.responseHeaders ?? []) w.line(`http-response set-header ${quoteWord(name)} ${quoteLogFormat(value)}`);
  writeServers(w, backend.endpoints, ctx, node, false, false);
  w.dedent();
}

/**
 * The lab's rewrite (core/model/request-path.ts `rewritePath`): the matched prefix is
 * replaced, and where the prefix met the rest there is exactly one `/`. The path equal to
 * the prefix itself is rewritten to the replacement; below it, to the replacement without
 * its trailing slash plus the rest. A variable marks the first case, so the second never
 * rewrites an already rewritten path.
 */
function writeRewrite(w: ConfigWriter, prefix: string, replacement: string): void {
  const exact = prefix;
  const under = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const base = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement;
  w.line(`http-request set-var(txn.topolab_rewrite_exact) bool(1) if { path -m str ${quoteWord(exact)} }`);
  w.line(`http-request replace-path ${quoteWord(`^${regexLiteral(exact)}$`)} ${quoteLogFormat(replacement)} if { var(txn.topolab_rewrite_exact) -m bool }`);
  w.line(`http-request replace-path ${quoteWord(`^${regexLiteral(under)}(.*)$`)} ${quoteLogFormat(`${base}/`)}'\\1' if !{ var(txn.topolab_rewrite_exact) -m bool }`);
}
