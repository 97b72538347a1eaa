import { HTTP_DEFAULTS } from '../../model/defaults.js';
import type { TopologyNode } from '../../model/types.js';
import type { DesignView, Endpoint } from '../design.js';
import { type NameAllocator, toIdentifier } from '../escape.js';
import type { Addressing } from '../listen.js';
import { formatEndpoint, type ExportOptions } from '../options.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { writeFrontendGuards } from './guards.js';

/** What the HAProxy target needs besides the shared options. */
export interface HaproxyRenderOptions extends ExportOptions {
  /** Write only these nodes (a per-container config for Compose); all proxy nodes by default. */
  onlyNodes?: ReadonlySet<string>;
}

/** The state of one HAProxy render. */
export interface Context {
  view: DesignView;
  options: HaproxyRenderOptions;
  report: ReportBuilder;
  frontends: NameAllocator;
  backends: NameAllocator;
  addressing: Addressing;
}

/** HAProxy names allow letters, digits, `-`, `_`, `.` and `:`; anything else becomes `_`. */
export const NAME_CHARS = /[A-Za-z0-9_.:-]/;

/** The `bind` line of a node. */
export function bindLine(node: TopologyNode, ctx: Context): string {
  const address = ctx.view.addresses.get(node.id);
  if (!address) throw new Error(`no address for ${node.id}`);
  const target = ctx.addressing.listenOn(node.id, address.ip, address.port);
  return `bind ${formatEndpoint(target.host, target.port)}`;
}

/** A `server` line for an endpoint. */
export function serverLine(endpoint: Endpoint, ctx: Context, ownerId: string, params: string): string {
  const target = ctx.addressing.connectTo(endpoint.ip, endpoint.port, ctx.report, ownerId);
  const name = toIdentifier(endpoint.nodeId, NAME_CHARS, 's');
  return `server ${name} ${formatEndpoint(target.host, target.port)}${params}`;
}

/** The request headers every HTTP frontend adds, as the design's proxies do. */
export function forwardedHeaders(w: ConfigWriter, edge: boolean): void {
  // At the edge the client's own X-Forwarded-For is not trusted: start the chain afresh.
  if (edge) w.line('http-request del-header X-Forwarded-For');
  w.line('option forwardfor');
  w.line('http-request set-header X-Real-IP %[src]');
  w.line('http-request set-header X-Forwarded-Proto http');
  w.line('http-request set-header X-Forwarded-Port %[dst_port]');
}

/** The opening of every HTTP frontend: bind, mode, the lab's request rules, forwarded headers. */
export function openHttpFrontend(w: ConfigWriter, name: string, node: TopologyNode, ctx: Context): void {
  w.line(`frontend ${name}`).indent();
  w.line(bindLine(node, ctx));
  w.line('mode http');
  const maxBody = 'maxBodyBytes' in node && node.maxBodyBytes !== undefined ? node.maxBodyBytes : HTTP_DEFAULTS.maxBodyBytes;
  writeFrontendGuards(w, maxBody);
  forwardedHeaders(w, 'internetFacing' in node && node.internetFacing === true);
  ctx.report.approximated(node.id, 'max-body', `the body limit (${maxBody} bytes) is checked against Content-Length; a chunked body is not counted (the lab counts it)`, 'have clients send Content-Length, or put the limit on the origin too');
}

/** A frontend or backend name for a node. */
export function frontendName(ctx: Context, node: TopologyNode): string {
  return ctx.frontends.name(node.id, `fe_${toIdentifier(node.id, NAME_CHARS)}`);
}
