import type { LoadBalancerNode, ReverseProxyNode, CacheNode, TopologyNode } from '../../model/types.js';
import type { DesignView, Endpoint } from '../design.js';
import { commentText, type NameAllocator, toIdentifier } from '../escape.js';
import type { Addressing } from '../listen.js';
import type { ExportOptions } from '../options.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { quote, type QuoteState } from './syntax.js';
import { writeUpstream } from './upstream.js';
import { tlsHostNames } from '../../model/tls-hosts.js';
import { upstreamTlsHop, usesUpstreamTls } from '../tls.js';

/** What the nginx target needs besides the shared options. */
export interface NginxRenderOptions extends ExportOptions {
  /** Write only these nodes (a per-container config for Compose); all proxy nodes by default. */
  onlyNodes?: ReadonlySet<string>;
  /** Where caches keep their files without `runDir` (default Debian's /var/lib/nginx; the official image has /var/cache/nginx). */
  cacheRoot?: string;
}

/** The state of one nginx render. */
export interface Context {
  view: DesignView;
  options: NginxRenderOptions;
  report: ReportBuilder;
  names: NameAllocator;
  quoteState: QuoteState;
  addressing: Addressing;
  /** Lines for the `http` block before the servers (maps, cache paths), each block once. */
  httpPrelude: string[];
  /** What the config needs to run, for its header comment. */
  needs: Set<string>;
  /** While an HTTPS server block is written: the HSTS value each location with headers of its own repeats (nginx does not merge add_header). */
  hsts?: string | undefined;
  /** Upstream blocks reached over HTTPS (`tls.upstream`): name -> the SNI name `proxy_ssl_name` sends and verifies. */
  tlsUpstreams?: Map<string, string>;
}

/** A forwarding node nginx writes as an HTTP server. */
export type HttpNode = LoadBalancerNode | ReverseProxyNode | CacheNode;

/** Adds lines to the http prelude unless the same first line is there already. */
export function addPrelude(ctx: Context, lines: readonly string[]): void {
  if (lines.length > 0 && ctx.httpPrelude.includes(lines[0] as string)) return;
  ctx.httpPrelude.push(...lines);
}

/** An nginx identifier for a design key, unique within the config. */
export function upstreamName(ctx: Context, key: string, base: string): string {
  return ctx.names.name(key, toIdentifier(base, /[A-Za-z0-9_]/));
}

/** The `listen` line of a node, or undefined when it has no designed address. */
export function listenLine(node: TopologyNode, ctx: Context, defaultServer: boolean): string | undefined {
  const address = ctx.view.addresses.get(node.id);
  if (!address) return undefined;
  const target = ctx.addressing.listenOn(node.id, address.ip, address.port);
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `listen ${host}:${target.port}${defaultServer ? ' default_server' : ''};`;
}

/** Writes `upstream` for the endpoints and returns its name, or undefined when there are none. */
export function pool(
  w: ConfigWriter,
  ctx: Context,
  key: string,
  base: string,
  endpoints: Endpoint[],
  owner: TopologyNode,
  extra: { balancer?: LoadBalancerNode; stickyKey?: string } = {},
): string | undefined {
  if (endpoints.length === 0) {
    ctx.report.notExpressible(owner.id, 'targets', 'no target with an address: requests answer 503', 'connect the node to a target that has an address (topolab validate names the ones without), then export again');
    return undefined;
  }
  if (endpoints.every((e) => e.weight === 0)) {
    // nginx would answer 502 with every server down; the lab answers 503 when no target is in rotation.
    w.comment(`every target of ${commentText(owner.id)} (${commentText(key)}) has weight 0: nothing is in rotation, 503 as in the lab`);
    ctx.report.expressed(owner.id, 'weight', 'every target of a pool has weight 0 (drained): requests answer 503, as in the lab');
    return undefined;
  }
  const name = upstreamName(ctx, key, base);
  const secure = usesUpstreamTls(owner) ? tlsEndpoints(ctx, owner, endpoints) : undefined;
  writeUpstream(w, { name, ownerId: owner.id, endpoints: secure?.endpoints ?? endpoints, http: true, ...extra }, ctx.addressing, ctx.report);
  w.blank();
  if (secure !== undefined) (ctx.tlsUpstreams ??= new Map()).set(name, secure.servername);
  return name;
}

/**
 * The endpoints of a pool reached over HTTPS: each at its node's HTTPS port, and the one
 * name `proxy_ssl_name` sends. nginx sends one name per location, the lab one per upstream:
 * the same when the upstreams share their first name; otherwise a name every upstream
 * certifies, if there is one (another SNI than the lab's, the same verdict), else the first
 * upstream's (the others then fail verification: reported).
 */
function tlsEndpoints(ctx: Context, owner: TopologyNode, endpoints: Endpoint[]): { endpoints: Endpoint[]; servername: string } {
  const topology = ctx.view.topology;
  const names: string[] = [];
  const out = endpoints.map((endpoint) => {
    const hop = upstreamTlsHop(topology, endpoint.nodeId);
    if (hop === undefined) {
      ctx.report.notExpressible(owner.id, 'tls-upstream', `${endpoint.nodeId} serves no HTTPS, so nginx cannot reach it over TLS: written at its plain port, where the handshake fails`, 'give the upstream a "tls" block, or set tls.upstream to false (topolab validate: tls-upstream-plain)');
      return endpoint;
    }
    if (!names.includes(hop.servername)) names.push(hop.servername);
    return { ...endpoint, port: hop.port };
  });
  const first = names[0] ?? '';
  if (names.length > 1) {
    const certified = endpoints.map((e) => {
      const node = topology.nodes.find((n) => n.id === e.nodeId);
      return node === undefined ? [] : tlsHostNames(topology, node);
    });
    const common = certified[0]?.find((name) => !name.startsWith('*.') && certified.every((list) => list.includes(name)));
    if (common !== undefined) {
      ctx.report.approximated(owner.id, 'tls-upstream', `nginx sends one SNI name per location: ${common}, which every upstream certifies (the lab sends each upstream its own: ${names.join(', ')})`, 'nothing to do: every certificate verifies as in the lab');
      return { endpoints: out, servername: common };
    }
    ctx.report.approximated(owner.id, 'tls-upstream', `nginx sends and verifies one SNI name per location: ${first}; the upstreams certify different names (${names.join(', ')}), so the others fail verification in nginx while the lab reaches them`, 'give the upstreams a common name in tls.hosts (then nginx verifies every one), or use the HAProxy export (sni per server)');
  }
  return { endpoints: out, servername: first };
}

/** A value quoted for nginx, `$` kept literal. */
export function literal(ctx: Context, value: string): string {
  return quote(value, true, ctx.quoteState);
}
