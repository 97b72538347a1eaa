import type { ReverseProxyNode } from '../../model/types.js';
import { reportRoutingGaps } from '../routing-gaps.js';
import { checkRules, ruleLabel, virtualHosts, withDefaultPool, type CheckedRule } from '../rules.js';
import type { ConfigWriter } from '../text.js';
import { listenLine, literal, pool, type Context } from './context.js';
import { header, missingAddress, openServer, writeForward } from './forward.js';
import { writeGatewayProxy } from './gateway.js';
import { planLocations, type Location } from './locations.js';

/**
 * A reverse proxy: one `server` per host of its rules (the default server first), each with
 * the locations that route exactly as the lab (core/export/nginx/locations.ts). A request
 * no rule matches goes to the drawn edges, or gets 404 without them.
 */
export function writeReverseProxy(w: ConfigWriter, node: ReverseProxyNode, ctx: Context): void {
  if (node.gateway !== undefined) return writeGatewayProxy(w, node, ctx);
  header(w, node);
  const listenFirst = listenLine(node, ctx, true);
  if (!listenFirst) return missingAddress(w, node, ctx);
  const edges = ctx.view.edgeTargets(node.id).map((t) => t.id);
  const designRules = node.rules ?? [];
  const rules = designRules.length === 0 ? [] : withDefaultPool(checkRules(node, ctx.report), designRules.length, edges);
  reportRoutingGaps(ctx.view, node.id, [...edges, ...designRules.flatMap((r) => r.upstreams)], 'nginx', ctx.report);
  if (designRules.length === 0) {
    const upstream = pool(w, ctx, node.id, node.id, ctx.view.endpointsOfAll(edges), node);
    openServer(w, node, listenFirst, '_', ctx);
    w.open('location /');
    writeForward(w, node, upstream, undefined, [], [], ctx);
    w.close();
    w.close();
    return;
  }
  const hosts = virtualHosts(rules).map((vhost) => ({ host: vhost.host, locations: planLocations(vhost.rules) }));
  // One upstream per distinct pool a location uses, named after the proxy.
  const upstreams = new Map<string, string | undefined>();
  const keyOf = (rule: CheckedRule): string => `${node.id}|${rule.upstreams.join(',')}`;
  const used = new Set(hosts.flatMap((h) => h.locations.flatMap((l) => (l.rule ? [l.rule] : []))));
  rules.forEach((rule) => {
    const key = keyOf(rule);
    if (!used.has(rule) || upstreams.has(key)) return;
    const base = rule.defaultPool ? `${node.id}__default` : rule.upstreams.length === 1 ? `${node.id}__${rule.upstreams[0]}` : `${node.id}__pool${upstreams.size + 1}`;
    upstreams.set(key, pool(w, ctx, key, base, ctx.view.endpointsOfAll(rule.upstreams), node));
  });
  hosts.forEach((vhost, i) => {
    if (i > 0) w.blank();
    openServer(w, node, i === 0 ? listenFirst : (listenLine(node, ctx, false) as string), vhost.host ?? '_', ctx);
    for (const location of vhost.locations) writeLocation(w, node, location, location.rule ? upstreams.get(keyOf(location.rule)) : undefined, ctx);
    w.close();
  });
  ctx.report.expressed(
    node.id,
    'routing-rules',
    `${designRules.length} rule(s) as ${hosts.length} server block(s); prefixes on segment boundaries (= PREFIX and ^~ PREFIX/), first match wins, unmatched requests ${edges.length > 0 ? 'go to the drawn edges' : 'get 404'}, as in the lab`,
  );
  if (rules.some((r) => r.rewritePrefix !== undefined)) {
    ctx.report.approximated(node.id, 'rewrite', 'a rewritten path is sent as nginx re-escapes it: reserved characters the client escaped (such as %3B) reach the upstream decoded, where the lab keeps them escaped', 'if an upstream depends on escaped reserved characters, route without a rewrite or use the HAProxy export, which keeps them');
  }
}

function writeLocation(w: ConfigWriter, node: ReverseProxyNode, location: Location, upstream: string | undefined, ctx: Context): void {
  const rule = location.rule;
  w.comment(rule ? ruleLabel(rule) : 'no rule matches: 404, as in the lab');
  const open = location.match === 'exact' ? `location = ${literal(ctx, location.path)}` : location.path === '/' ? 'location /' : `location ^~ ${literal(ctx, location.path)}`;
  w.open(open);
  if (rule === undefined) w.line('return 404;');
  else writeForward(w, node, upstream, location.rewriteUri, rule.requestHeaders, rule.responseHeaders, ctx);
  w.close();
}
