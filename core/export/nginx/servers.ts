import { UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { CacheNode, LoadBalancerNode } from '../../model/types.js';
import { commentText } from '../escape.js';
import { formatEndpoint } from '../options.js';
import { reportRoutingGaps } from '../routing-gaps.js';
import type { ConfigWriter } from '../text.js';
import { cachePathLine, CACHE_MAPS, DEBIAN_CACHE_ROOT, writeCacheDirectives } from './cache.js';
import { addPrelude, listenLine, pool, upstreamName, type Context } from './context.js';
import { header, missingAddress, openServer, writeForward } from './forward.js';
import { duration } from './syntax.js';
import { stickyMaps, writeUpstream } from './upstream.js';

/** A layer-7 balancer: one upstream with the design's algorithm, one server forwarding everything to it. */
export function writeBalancer(w: ConfigWriter, node: LoadBalancerNode, ctx: Context): void {
  header(w, node);
  const listen = listenLine(node, ctx, false);
  if (!listen) return missingAddress(w, node, ctx);
  const targets = ctx.view.edgeTargets(node.id).map((t) => t.id);
  reportRoutingGaps(ctx.view, node.id, targets, 'nginx', ctx.report);
  let sticky: ReturnType<typeof stickyMaps> | undefined;
  if (node.sticky) {
    sticky = stickyMaps(upstreamName(ctx, `sticky:${node.id}`, node.id), node);
    addPrelude(ctx, [`# Sticky cookie of ${commentText(node.id)}: its value (or a new request id) is hashed over the servers.`, ...sticky.maps]);
    ctx.report.approximated(
      node.id,
      'sticky',
      `cookie stickiness without NGINX Plus: nginx gives a new client a cookie with a random id and hashes it consistently over the servers, so each client stays on one server as in the lab; new clients are spread by that hash instead of by ${node.algorithm}, and a client whose server fails moves to the next server on the hash ring (the lab re-pins it with a new cookie)`,
      'nothing to do for stickiness itself; use the HAProxy export for the exact algorithm for new clients and re-pinning',
    );
  }
  if (node.healthCheck) {
    w.comment(`Active health checks (${commentText(node.healthCheck.type ?? 'http')} ${commentText(node.healthCheck.path ?? '/health')}) need NGINX Plus;`);
    w.comment('here failures seen on live traffic take a server out (max_fails / fail_timeout).');
  }
  const upstream = pool(w, ctx, node.id, node.id, ctx.view.endpointsOfAll(targets), node, { balancer: node, ...(sticky ? { stickyKey: sticky.key } : {}) });
  openServer(w, node, listen, '_', ctx);
  w.open('location /');
  writeForward(w, node, upstream, undefined, [], [], ctx);
  if (sticky) w.line(`add_header Set-Cookie ${sticky.setCookie} always;`);
  w.close();
  w.close();
  ctx.report.expressed(node.id, 'keepalive', 'keep-alive to upstreams (keepalive, HTTP/1.1, empty Connection)');
}

/** A cache: its zone, an upstream to its origins, and one server with the lab's cache rules. */
export function writeCache(w: ConfigWriter, node: CacheNode, ctx: Context): void {
  header(w, node);
  const listen = listenLine(node, ctx, false);
  if (!listen) return missingAddress(w, node, ctx);
  const zone = upstreamName(ctx, `cache:${node.id}`, `cache_${node.id}`);
  const root = ctx.options.runDir ?? ctx.options.cacheRoot ?? DEBIAN_CACHE_ROOT;
  if (ctx.options.runDir === undefined) ctx.needs.add(`write access to ${root} (cache files)`);
  addPrelude(ctx, CACHE_MAPS);
  addPrelude(ctx, [cachePathLine(node, zone, root, ctx.report)]);
  // Its edges, then the nodes its `origins` name.
  const targets = ctx.view.cacheOrigins(node);
  reportRoutingGaps(ctx.view, node.id, targets, 'nginx', ctx.report);
  const upstream = pool(w, ctx, node.id, node.id, ctx.view.endpointsOfAll(targets), node);
  openServer(w, node, listen, '_', ctx);
  w.open('location /');
  writeCacheDirectives(w, node, zone, ctx.report);
  writeForward(w, node, upstream, undefined, [], [], ctx);
  w.close();
  w.close();
}

/** A layer-4 balancer: a `stream` upstream and server. */
export function writeTcpBalancer(w: ConfigWriter, node: LoadBalancerNode, ctx: Context): void {
  header(w, node);
  const address = ctx.view.addresses.get(node.id);
  if (!address) return missingAddress(w, node, ctx);
  const targets = ctx.view.edgeTargets(node.id).map((t) => t.id);
  const endpoints = ctx.view.endpointsOfAll(targets);
  if (endpoints.length === 0) {
    w.comment('not written: no target with an address');
    ctx.report.notExpressible(node.id, 'targets', 'a TCP balancer without targets cannot be written (stream has no "return 503")', 'connect the balancer to at least one target with an address, then export again');
    return;
  }
  reportRoutingGaps(ctx.view, node.id, targets, 'nginx', ctx.report);
  const name = upstreamName(ctx, node.id, node.id);
  writeUpstream(w, { name, ownerId: node.id, endpoints, http: false, balancer: node }, ctx.addressing, ctx.report);
  w.blank();
  if (node.sticky) ctx.report.notExpressible(node.id, 'sticky', 'cookies do not exist at layer 4', 'turn sticky off on this layer-4 balancer, or make it a layer-7 balancer');
  if (node.maxBodyBytes !== undefined) ctx.report.notExpressible(node.id, 'max-body', 'a body limit does not exist at layer 4', 'remove maxBodyBytes from this layer-4 balancer, or put a layer-7 node in front of it');
  const target = ctx.addressing.listenOn(node.id, address.ip, address.port);
  w.open('server');
  w.line(`listen ${formatEndpoint(target.host, target.port)};`);
  w.line(`proxy_pass ${name};`);
  w.line(`proxy_connect_timeout ${duration(UPSTREAM_DEFAULTS.connectTimeoutMs)};`);
  if (node.timeoutMs !== undefined) w.line(`proxy_timeout ${duration(node.timeoutMs)};`);
  w.line('proxy_next_upstream on;');
  w.line('proxy_next_upstream_tries 2;');
  w.close();
  ctx.report.expressed(node.id, 'layer-4', 'TCP balancing in the stream module');
}
