import { HEALTH_CHECK_DEFAULTS, STICKY_DEFAULTS, UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { LoadBalancerNode, TopologyNode } from '../../model/types.js';
import type { Endpoint } from '../design.js';
import { commentText, isSafePathPrefix, toIdentifier } from '../escape.js';
import { reportRoutingGaps } from '../routing-gaps.js';
import type { ConfigWriter } from '../text.js';
import { bindLine, frontendName, NAME_CHARS, openHttpFrontend, serverLine, type Context } from './context.js';
import { writeStatusMapping } from './guards.js';
import { duration, quoteWord, statusRangeRegex } from './syntax.js';

/** A balancer: a frontend and a backend with the design's algorithm, checks and stickiness. */
export function writeBalancer(w: ConfigWriter, node: LoadBalancerNode, ctx: Context): void {
  const tcp = node.layer === 4;
  const fe = frontendName(ctx, node);
  const be = ctx.backends.name(node.id, `be_${toIdentifier(node.id, NAME_CHARS)}`);
  const targets = ctx.view.edgeTargets(node.id).map((t) => t.id);
  const endpoints = ctx.view.endpointsOfAll(targets);
  reportRoutingGaps(ctx.view, node.id, targets, 'HAProxy', ctx.report);
  if (tcp) {
    w.line(`frontend ${fe}`).indent();
    w.line(bindLine(node, ctx));
    w.line('mode tcp');
    w.line('option tcplog');
    if (node.maxBodyBytes !== undefined) ctx.report.notExpressible(node.id, 'max-body', 'a body limit does not exist at layer 4', 'remove maxBodyBytes from this layer-4 balancer, or put a layer-7 node in front of it');
  } else {
    openHttpFrontend(w, fe, node, ctx);
  }
  w.line(`default_backend ${be}`);
  w.dedent().blank();

  w.line(`backend ${be}`).indent();
  w.line(`mode ${tcp ? 'tcp' : 'http'}`);
  w.line(balanceLine(node, ctx));
  if (node.algorithm === 'source-hash') w.line('hash-type consistent');
  w.line(`timeout server ${duration(node.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs)}`);
  const check = healthCheck(w, node, tcp, ctx);
  let cookie = false;
  if (node.sticky && !tcp) {
    const name = node.sticky.cookie ?? STICKY_DEFAULTS.cookie;
    const ttl = node.sticky.ttlSeconds ?? STICKY_DEFAULTS.ttlSeconds;
    w.line(`cookie ${name} insert indirect nocache httponly attr "Max-Age=${ttl}" attr "SameSite=Lax"`);
    cookie = true;
    ctx.report.expressed(node.id, 'sticky', `cookie ${name} (Max-Age ${ttl}) inserted by HAProxy; option redispatch re-pins a client whose server is down`);
  } else if (node.sticky) ctx.report.notExpressible(node.id, 'sticky', 'cookies do not exist at layer 4', 'turn sticky off on this layer-4 balancer, or make it a layer-7 balancer');
  if (!tcp) {
    w.line('http-reuse safe');
    writeStatusMapping(w);
  }
  writeServers(w, endpoints, ctx, node, check, cookie);
  w.dedent();
  ctx.report.expressed(node.id, 'layer', tcp ? 'layer 4 as mode tcp' : 'layer 7 as mode http with keep-alive reuse (http-reuse safe)');
}

/** The `server` lines of a backend. */
export function writeServers(w: ConfigWriter, endpoints: Endpoint[], ctx: Context, node: TopologyNode, check: boolean, cookie: boolean): void {
  if (endpoints.length === 0) {
    w.comment('no target with an address: HAProxy answers 503');
    ctx.report.notExpressible(node.id, 'targets', 'no target with an address: requests answer 503', 'connect the node to a target that has an address (topolab validate names the ones without), then export again');
    return;
  }
  // The lab weighs smooth weighted round robin and least connections (as HAProxy's
  // roundrobin and leastconn do); weight 0, which the lab never picks in any pool, is
  // HAProxy's `weight 0`: no new traffic, and not counted by nbsrv (so 503 when all are).
  const weighted = node.kind === 'load-balancer' && (node.algorithm === 'weighted-round-robin' || node.algorithm === 'least-connections');
  for (const endpoint of endpoints) {
    let params = check ? ' check' : '';
    const weight = endpoint.weight ?? 1;
    if (weight === 0 || (weighted && weight !== 1)) params += ` weight ${weight}`;
    // No cookie value for a weight-0 server: HAProxy would still send a client whose cookie names it
    // there (drain), the lab re-pins such a client to a server in rotation.
    if (cookie && weight !== 0) params += ` cookie ${toIdentifier(endpoint.nodeId, NAME_CHARS, 's')}`;
    w.line(serverLine(endpoint, ctx, node.id, params));
  }
  const groups = [...new Set(endpoints.filter((e) => e.synthetic).map((e) => e.groupId ?? ''))];
  for (const group of groups) {
    ctx.report.approximated(group, 'autoscaling', 'instances written at their planned addresses; use server-template with DNS discovery when the group scales', 'use server-template with a resolvers section when the group scales, or re-export and reload');
  }
}

function balanceLine(node: LoadBalancerNode, ctx: Context): string {
  switch (node.algorithm) {
    case 'round-robin':
      ctx.report.expressed(node.id, 'algorithm', 'balance roundrobin');
      return 'balance roundrobin';
    case 'weighted-round-robin':
      ctx.report.expressed(node.id, 'algorithm', 'balance roundrobin with server weights');
      return 'balance roundrobin';
    case 'least-connections':
      ctx.report.expressed(node.id, 'algorithm', 'balance leastconn');
      return 'balance leastconn';
    case 'source-hash':
      ctx.report.expressed(node.id, 'algorithm', 'balance source with consistent hashing; which server a client lands on differs from the lab, that it stays there does not');
      return 'balance source';
    case 'random-two':
      ctx.report.expressed(node.id, 'algorithm', 'balance random(2): the better of two random draws');
      return 'balance random(2)';
  }
}

/**
 * Writes the active check settings with every default written out (the lab's: HTTP GET
 * /health for layer 7, TCP for layer 4, every 1 s, 1 s timeout, rise 2, fall 2, 200-399);
 * returns whether servers get `check`. Without a check, HAProxy retries a failed connection
 * on another server (`option redispatch`), which is what the lab's passive ejection shows.
 */
function healthCheck(w: ConfigWriter, node: LoadBalancerNode, tcp: boolean, ctx: Context): boolean {
  const hc = node.healthCheck;
  if (!hc) {
    ctx.report.approximated(node.id, 'passive-ejection', 'without a health check the lab takes a server out for 5 s after 3 consecutive failed requests; HAProxy keeps it in rotation and retries each failed connection on another server (retries 2, option redispatch): clients see the same answers', 'nothing to do; add a health check to the design to have HAProxy take a failed server out as the lab does');
    return false;
  }
  let http = !tcp && hc.type !== 'tcp';
  const path = hc.path ?? HEALTH_CHECK_DEFAULTS.path;
  if (http && !isSafePathPrefix(path)) {
    ctx.report.notExpressible(node.id, 'health-check', `check path "${commentText(path)}" cannot be written literally; a TCP connect check is used`, 'use a check path made of plain path characters (letters, digits, -._~/), then export again');
    http = false;
  }
  if (http) {
    w.line(`option httpchk GET ${path}`);
    w.line(`http-check expect rstatus ${quoteWord(statusRangeRegex(hc.expectStatus ?? HEALTH_CHECK_DEFAULTS.expectStatus))}`);
  }
  const interval = hc.intervalMs ?? HEALTH_CHECK_DEFAULTS.intervalMs;
  w.line(`timeout check ${duration(Math.min(hc.timeoutMs ?? HEALTH_CHECK_DEFAULTS.timeoutMs, interval))}`);
  w.line(`default-server inter ${duration(interval)} rise ${hc.rise ?? HEALTH_CHECK_DEFAULTS.rise} fall ${hc.fall ?? HEALTH_CHECK_DEFAULTS.fall}`);
  ctx.report.expressed(node.id, 'health-check', `active ${http ? `HTTP GET ${commentText(path)}` : 'TCP'} check every ${duration(interval)}, rise ${hc.rise ?? HEALTH_CHECK_DEFAULTS.rise}, fall ${hc.fall ?? HEALTH_CHECK_DEFAULTS.fall}`);
  return true;
}
