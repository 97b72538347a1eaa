import { HTTP_DEFAULTS } from '../../model/defaults.js';
import type { TopologyNode } from '../../model/types.js';
import { commentText, describeNode } from '../escape.js';
import type { ConfigWriter } from '../text.js';
import { caCertPath } from '../tls.js';
import { literal, type Context, type HttpNode } from './context.js';
import { writeServerGuards } from './guards.js';
import { duration, size } from './syntax.js';

/** The standard proxy settings, written into every location (nginx does not merge them). */
function writeProxySettings(w: ConfigWriter, node: HttpNode, extraHeaders: readonly [string, string][], ctx: Context): void {
  w.line('proxy_http_version 1.1;');
  w.line('proxy_set_header Connection "";');
  w.line('proxy_set_header Host $host;');
  w.line('proxy_set_header X-Real-IP $remote_addr;');
  // At the edge the client's own X-Forwarded-For is not trusted: start the chain afresh.
  const edge = 'internetFacing' in node && node.internetFacing === true;
  w.line(`proxy_set_header X-Forwarded-For ${edge ? '$remote_addr' : '$proxy_add_x_forwarded_for'};`);
  w.line('proxy_set_header X-Forwarded-Proto $scheme;');
  w.line('proxy_set_header X-Forwarded-Port $server_port;');
  for (const [name, value] of extraHeaders) w.line(`proxy_set_header ${name} ${literal(ctx, value)};`);
  // Retry a failed connect once on another server; nginx never retries non-idempotent requests.
  w.line('proxy_next_upstream error timeout;');
  w.line('proxy_next_upstream_tries 2;');
  if ('timeoutMs' in node && node.timeoutMs !== undefined) {
    w.line(`proxy_read_timeout ${duration(node.timeoutMs)};`);
    w.line(`proxy_send_timeout ${duration(node.timeoutMs)};`);
  }
}

/**
 * HTTPS to the upstream (`tls.upstream`), as the lab does it: the certificate verified
 * against the project's CA only, for the upstream's name, sent as SNI; TLS 1.2+. nginx keeps
 * these connections alive through the upstream's `keepalive` as it does plain ones.
 */
/** `proxy_pass` to an upstream block: `https://` with the verification settings when the pool is reached over TLS. */
export function writeProxyPass(w: ConfigWriter, node: HttpNode, upstream: string, uri: string, ctx: Context): void {
  const servername = ctx.tlsUpstreams?.get(upstream);
  w.line(`proxy_pass ${servername === undefined ? 'http' : 'https'}://${upstream}${uri};`);
  if (servername !== undefined) writeUpstreamTls(w, node, servername, ctx);
}

function writeUpstreamTls(w: ConfigWriter, node: HttpNode, servername: string, ctx: Context): void {
  const ca = caCertPath(ctx.options.certDir);
  w.line('proxy_ssl_verify on;');
  w.line(`proxy_ssl_trusted_certificate ${ca};`);
  w.line('proxy_ssl_verify_depth 2;');
  w.line('proxy_ssl_server_name on;');
  w.line(`proxy_ssl_name ${servername};`);
  w.line('proxy_ssl_protocols TLSv1.2 TLSv1.3;');
  w.line('proxy_ssl_session_reuse on;');
  ctx.report.expressed(node.id, 'tls-upstream', `HTTPS to upstreams: proxy_pass https:// with proxy_ssl_verify on against ${ca}, SNI ${servername}, TLS 1.2+`);
  ctx.needs.add(`the project's CA certificate at ${ca}`);
}

/** The body of a location that forwards to an upstream (or answers 503 without one). */
export function writeForward(
  w: ConfigWriter,
  node: HttpNode,
  upstream: string | undefined,
  rewriteUri: string | undefined,
  requestHeaders: readonly [string, string][],
  responseHeaders: readonly [string, string][],
  ctx: Context,
): void {
  if (upstream === undefined) {
    w.line('return 503;');
    return;
  }
  // With a URI part, nginx replaces the matched location by it in the normalised path: the rule's rewrite.
  writeProxyPass(w, node, upstream, rewriteUri === undefined ? '' : literal(ctx, rewriteUri), ctx);
  writeProxySettings(w, node, requestHeaders, ctx);
  for (const [name, value] of responseHeaders) w.line(`add_header ${name} ${literal(ctx, value)} always;`);
  // A location's own add_header hides the server's: HSTS is repeated where that happens.
  if (ctx.hsts !== undefined && responseHeaders.length > 0) w.line(`add_header Strict-Transport-Security ${literal(ctx, ctx.hsts)} always;`);
}

/** The node's body limit in a server (the http block carries the lab's default). */
export function writeLimits(w: ConfigWriter, node: HttpNode, ctx: Context): void {
  if (!('maxBodyBytes' in node) || node.maxBodyBytes === undefined) {
    ctx.report.expressed(node.id, 'max-body', `the lab's default body limit, client_max_body_size ${size(HTTP_DEFAULTS.maxBodyBytes)}`);
    return;
  }
  if (node.maxBodyBytes === 0) {
    // 0 means "no limit" to nginx; the nearest to "no body at all" is one byte.
    w.line('client_max_body_size 1;');
    ctx.report.approximated(node.id, 'max-body', 'a body limit of 0 bytes is written as 1 byte (0 disables the check in nginx)', 'nothing to do: a request with a body is refused either way');
  } else {
    w.line(`client_max_body_size ${size(node.maxBodyBytes)};`);
    ctx.report.expressed(node.id, 'max-body', `client_max_body_size ${size(node.maxBodyBytes)}`);
  }
}

/** Opens a server block: listen, name, the guards and the node's limits. */
export function openServer(w: ConfigWriter, node: HttpNode, listen: string, serverName: string, ctx: Context): void {
  w.open('server');
  w.line(listen);
  w.line(`server_name ${serverName};`);
  writeServerGuards(w);
  writeLimits(w, node, ctx);
}

/** The comment naming a node above its blocks. */
export function header(w: ConfigWriter, node: TopologyNode): void {
  w.comment(`${node.kind} ${describeNode(node)}`);
  if (node.description) w.comment(commentText(node.description));
}

/** A node without an address cannot get a `listen`; say so rather than guess one. */
export function missingAddress(w: ConfigWriter, node: TopologyNode, ctx: Context): void {
  w.comment(`not written: ${describeNode(node)} has no designed address (no valid ip and no subnet to take one from)`);
  ctx.report.notExpressible(node.id, 'address', 'no designed address: fix the node ip or its subnet, then export again', 'give the node an ip inside its subnet (topolab validate says what is wrong), then export again');
}
