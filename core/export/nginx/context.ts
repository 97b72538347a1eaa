import type { LoadBalancerNode, ReverseProxyNode, CacheNode, TopologyNode } from '../../model/types.js';
import type { DesignView, Endpoint } from '../design.js';
import { commentText, type NameAllocator, toIdentifier } from '../escape.js';
import type { Addressing } from '../listen.js';
import type { ExportOptions } from '../options.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { quote, type QuoteState } from './syntax.js';
import { writeUpstream } from './upstream.js';

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
  writeUpstream(w, { name, ownerId: owner.id, endpoints, http: true, ...extra }, ctx.addressing, ctx.report);
  w.blank();
  return name;
}

/** A value quoted for nginx, `$` kept literal. */
export function literal(ctx: Context, value: string): string {
  return quote(value, true, ctx.quoteState);
}
