import { HTTP_DEFAULTS } from '../../model/defaults.js';
import type { TopologyNode } from '../../model/types.js';
import type { DesignView, Endpoint } from '../design.js';
import { type NameAllocator, toIdentifier } from '../escape.js';
import type { Addressing } from '../listen.js';
import { formatEndpoint, type ExportOptions } from '../options.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { writeFrontendGuards } from './guards.js';
import { caCertPath, exportTls, upstreamTlsHop, usesUpstreamTls } from '../tls.js';
import { quoteWord } from './syntax.js';
import { writeTlsBind, writeTlsPolicy } from './tls.js';

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

/**
 * A `server` line for an endpoint. An owner with `tls.upstream` reaches it on its HTTPS
 * port with `ssl verify required` against the project's CA and the upstream's name as SNI
 * (HAProxy then verifies the certificate names it), as the lab does; checks go over TLS too.
 */
export function serverLine(endpoint: Endpoint, ctx: Context, ownerId: string, params: string): string {
  const owner = ctx.view.index.node(ownerId);
  const secure = owner !== undefined && usesUpstreamTls(owner) ? secureServer(endpoint, ctx, ownerId, params) : undefined;
  const target = ctx.addressing.connectTo(endpoint.ip, secure?.port ?? endpoint.port, ctx.report, ownerId);
  const name = toIdentifier(endpoint.nodeId, NAME_CHARS, 's');
  return `server ${name} ${formatEndpoint(target.host, target.port)}${params}${secure?.params ?? ''}`;
}

function secureServer(endpoint: Endpoint, ctx: Context, ownerId: string, params: string): { port: number; params: string } | undefined {
  const hop = upstreamTlsHop(ctx.view.topology, endpoint.nodeId);
  if (hop === undefined) {
    ctx.report.notExpressible(ownerId, 'tls-upstream', `${endpoint.nodeId} serves no HTTPS, so HAProxy cannot reach it over TLS: written plain at its HTTP port`, 'give the upstream a "tls" block, or set tls.upstream to false (topolab validate: tls-upstream-plain)');
    return undefined;
  }
  const ca = caCertPath(ctx.options.certDir);
  ctx.report.expressed(ownerId, 'tls-upstream', `HTTPS to upstreams: server ... ssl verify required ca-file ${ca} sni str(<name>), TLS 1.2+${params.includes(' check') ? ', checks over TLS with the same name' : ''}`);
  const check = params.includes(' check') ? ` check-ssl check-sni ${hop.servername}` : '';
  return { port: hop.port, params: ` ssl verify required ca-file ${quoteWord(ca)} sni str(${hop.servername}) ssl-min-ver TLSv1.2 alpn http/1.1${check}` };
}

/** The request headers every HTTP frontend adds, as the design's proxies do. */
export function forwardedHeaders(w: ConfigWriter, edge: boolean, tls = false): void {
  // At the edge the client's own X-Forwarded-For is not trusted: start the chain afresh.
  if (edge) w.line('http-request del-header X-Forwarded-For');
  w.line('option forwardfor');
  w.line('http-request set-header X-Real-IP %[src]');
  if (tls) {
    w.line('http-request set-header X-Forwarded-Proto https if { ssl_fc }');
    w.line('http-request set-header X-Forwarded-Proto http unless { ssl_fc }');
  } else w.line('http-request set-header X-Forwarded-Proto http');
  w.line('http-request set-header X-Forwarded-Port %[dst_port]');
}

/** The opening of every HTTP frontend: bind, mode, the lab's request rules, forwarded headers. */
export function openHttpFrontend(w: ConfigWriter, name: string, node: TopologyNode, ctx: Context): void {
  w.line(`frontend ${name}`).indent();
  w.line(bindLine(node, ctx));
  const tls = exportTls(ctx.view.topology, node);
  if (tls !== undefined) writeTlsBind(w, node, tls, ctx);
  w.line('mode http');
  const maxBody = 'maxBodyBytes' in node && node.maxBodyBytes !== undefined ? node.maxBodyBytes : HTTP_DEFAULTS.maxBodyBytes;
  writeFrontendGuards(w, maxBody);
  if (tls !== undefined) writeTlsPolicy(w, node, tls, ctx);
  forwardedHeaders(w, 'internetFacing' in node && node.internetFacing === true, tls !== undefined);
  ctx.report.approximated(node.id, 'max-body', `the body limit (${maxBody} bytes) is checked against Content-Length; a chunked body is not counted (the lab counts it)`, 'have clients send Content-Length, or put the limit on the origin too');
}

/** A frontend or backend name for a node. */
export function frontendName(ctx: Context, node: TopologyNode): string {
  return ctx.frontends.name(node.id, `fe_${toIdentifier(node.id, NAME_CHARS)}`);
}
