import { compileRoutes, type CompiledRoute } from '../../model/gateway-order.js';
import type { PathPattern } from '../../model/gateway-patterns.js';
import type { ReverseProxyNode } from '../../model/types.js';
import { toIdentifier } from '../escape.js';
import type { ConfigWriter } from '../text.js';
import { writeServers } from './balancer.js';
import { frontendName, NAME_CHARS, openHttpFrontend, type Context } from './context.js';
import { writeStatusMapping } from './guards.js';
import { duration, quoteLogFormat, quoteWord } from './syntax.js';

/**
 * A reverse proxy's API gateway in HAProxy. Routes are tried in the lab's order: the first
 * whose host, path regex and method match sets `txn.gw_route`, so a method mismatch falls
 * through to the next route exactly as in the lab; `use_backend` then picks its pool. Rate
 * limits are stick tables (`http_req_rate` over the time the bucket takes to refill, deny
 * 429 above the burst); API keys are looked up in a map file; basic and JWT routes fail
 * closed (401). `x-topolab-route` and the request id go on every answer.
 */
export function writeGatewayProxy(w: ConfigWriter, node: ReverseProxyNode, ctx: Context): void {
  const gateway = node.gateway;
  if (gateway === undefined) return;
  const routes = compileRoutes(gateway.routes);
  const base = toIdentifier(node.id, NAME_CHARS);
  const backendOf = (c: CompiledRoute): string => ctx.backends.name(`${node.id}#gw#${c.route.id}`, `be_${base}_${toIdentifier(c.route.id, NAME_CHARS)}`);
  const tableOf = (c: CompiledRoute): string => ctx.backends.name(`${node.id}#gwst#${c.route.id}`, `st_${base}_${toIdentifier(c.route.id, NAME_CHARS)}`);
  const idHeader = (gateway.requestIdHeader ?? 'x-request-id').toLowerCase();
  const secrets = `${ctx.options.runDir ?? '.'}/gateway-secrets/${node.id}`;
  openHttpFrontend(w, frontendName(ctx, node), node, ctx);
  w.line(`http-request set-header ${idHeader} %[uuid] unless { req.hdr(${idHeader}) -m found }`);
  w.line(`http-request set-var(txn.gw_rid) req.hdr(${idHeader})`);
  routes.forEach((c, i) => {
    const n = i + 1;
    const conditions = [`g${n}_path`];
    w.line(`acl g${n}_path path -m reg ${quoteWord(patternRegex(c.pattern))}`);
    if (c.route.host !== undefined) {
      const host = c.route.host.toLowerCase();
      w.line(`acl g${n}_host var(txn.topolab_host) ${host.startsWith('*.') ? `-m end ${host.slice(1)}` : `-m str ${host}`}`);
      conditions.unshift(`g${n}_host`);
    }
    if (c.methods !== undefined) {
      w.line(`acl g${n}_method method ${[...c.methods].sort().join(' ')}`);
      w.line(`http-request set-var(txn.gw_allow) str(1) if ${conditions.join(' ')}`);
      conditions.push(`g${n}_method`);
    }
    w.line(`http-request set-var(txn.gw_route) str(${c.route.id}) if !{ var(txn.gw_route) -m found } ${conditions.join(' ')}`);
  });
  w.line(`http-request return status 405 hdr x-topolab-route none hdr ${idHeader} %[var(txn.gw_rid)] if !{ var(txn.gw_route) -m found } { var(txn.gw_allow) -m found }`);
  w.line(`http-request return status 404 hdr x-topolab-route none hdr ${idHeader} %[var(txn.gw_rid)] if !{ var(txn.gw_route) -m found }`);
  for (const c of routes) {
    const { route } = c;
    const is = `{ var(txn.gw_route) -m str ${route.id} }`;
    const answered = `hdr x-topolab-route ${route.id} hdr ${idHeader} %[var(txn.gw_rid)]`;
    const limit = route.rateLimit;
    const per = limit?.per ?? 'client';
    if (limit !== undefined && per !== 'key') {
      w.line(`http-request track-sc0 ${per === 'route' ? 'str(route)' : 'src'} table ${tableOf(c)} if ${is}`);
      w.line(`http-request deny deny_status 429 ${answered} hdr Retry-After ${retryAfter(limit)} if ${is} { sc_http_req_rate(0,${tableOf(c)}) gt ${limit.burst} }`);
    }
    const auth = route.auth;
    if (auth?.type === 'api-key') {
      const fetch = auth.header !== undefined || auth.query === undefined ? `req.hdr(${(auth.header ?? 'x-api-key').toLowerCase()})` : `url_param(${auth.query})`;
      w.line(`http-request set-var(txn.gw_id) ${fetch},map(${quoteWord(`${secrets}/${route.id}.keys.map`)}) if ${is}`);
      w.line(`http-request return status 401 ${answered} hdr WWW-Authenticate 'ApiKey realm="topolab"' if ${is} !{ var(txn.gw_id) -m found }`);
      if (route.scopes?.length) w.line(`http-request return status 403 ${answered} if ${is} !{ var(txn.gw_id),map(${quoteWord(`${secrets}/${route.id}.scoped.map`)}) -m found }`);
    } else if (auth !== undefined) {
      w.line(`http-request return status 401 ${answered} hdr WWW-Authenticate '${auth.type === 'basic' ? `Basic realm="${(auth.realm ?? 'topolab').replace(/['"]/g, '')}"` : 'Bearer realm="topolab", error="invalid_token"'}' if ${is}`);
    }
    if (limit !== undefined && per === 'key') {
      w.line(`http-request track-sc1 var(txn.gw_id) table ${tableOf(c)} if ${is} { var(txn.gw_id) -m found }`);
      w.line(`http-request track-sc1 src table ${tableOf(c)} if ${is} !{ var(txn.gw_id) -m found }`);
      w.line(`http-request deny deny_status 429 ${answered} hdr Retry-After ${retryAfter(limit)} if ${is} { sc_http_req_rate(1,${tableOf(c)}) gt ${limit.burst} }`);
    }
  }
  w.line('http-response set-header x-topolab-route %[var(txn.gw_route)] if { var(txn.gw_route) -m found }');
  w.line(`http-response set-header ${idHeader} %[var(txn.gw_rid)]`);
  // use_backend runs after every http-request rule whatever its place: written last, as HAProxy reads them.
  for (const c of routes) w.line(`use_backend ${backendOf(c)} if { var(txn.gw_route) -m str ${c.route.id} }`);
  w.dedent();
  for (const c of routes) writeRouteBackend(w, node, c, backendOf(c), c.route.rateLimit ? tableOf(c) : undefined, ctx);
  report(node, routes, secrets, ctx);
}

/** Seconds until a client that stops sending is under the limit again: the whole window (refused requests count too). */
function retryAfter(limit: { rate: number; burst: number }): number {
  return Math.max(1, Math.ceil(limit.burst / limit.rate));
}

/** The path regex of a pattern; captures: each `{param}`, then the `*` rest. */
function patternRegex(pattern: PathPattern): string {
  let out = '^';
  for (const segment of pattern.segments) {
    if (segment.kind === 'literal') out += `/${segment.text.replace(/[.^$|?*+()[\]{}\\]/g, '\\$&')}`;
    else if (segment.kind === 'param') out += '/([^/]+)';
    else out += '(/(.*))?';
  }
  return `${out === '^' ? '^/' : out}$`;
}

function writeRouteBackend(w: ConfigWriter, node: ReverseProxyNode, c: CompiledRoute, name: string, table: string | undefined, ctx: Context): void {
  const { route, pattern } = c;
  w.blank();
  w.line(`backend ${name}`).indent();
  w.line('mode http');
  w.comment(`route ${route.id}: ${route.methods?.join(',') ?? 'any method'} ${route.host ?? 'any host'} ${pattern.source}`);
  w.line('balance roundrobin');
  w.line('http-reuse safe');
  writeStatusMapping(w);
  w.line(`timeout server ${duration(node.timeoutMs ?? 60_000)}`);
  if (route.rewrite !== undefined) {
    // Captures: \1.. for params in order, the rest after the `*` group's inner capture.
    const rest = pattern.params.length + 2;
    const parts = route.rewrite.split(/(\{[A-Za-z_][A-Za-z0-9_]*\}|(?<=\/)\*(?=\/|$))/).filter((p) => p !== '');
    const format = parts.map((p) => (p === '*' ? `'\\${rest}'` : /^\{.*\}$/.test(p) ? `'\\${pattern.params.indexOf(p.slice(1, -1)) + 1}'` : quoteLogFormat(p))).join('');
    w.line(`http-request replace-path ${quoteWord(patternRegex(pattern))} ${format}`);
  } else if (route.stripPrefix !== undefined && route.stripPrefix !== '/') {
    const prefix = route.stripPrefix.replace(/\/$/, '').replace(/[.^$|?*+()[\]{}\\]/g, '\\$&');
    w.line(`http-request replace-path ${quoteWord(`^${prefix}$`)} /`);
    w.line(`http-request replace-path ${quoteWord(`^${prefix}(/.*)$`)} '\\1'`);
  }
  w.line('http-request set-header x-topolab-identity %[var(txn.gw_id)] if { var(txn.gw_id) -m found }');
  w.line('http-request del-header x-topolab-identity unless { var(txn.gw_id) -m found }');
  for (const removed of route.requestHeaders?.remove ?? []) w.line(`http-request del-header ${quoteWord(removed)}`);
  for (const [field, value] of Object.entries(route.requestHeaders?.add ?? {})) w.line(`http-request set-header ${quoteWord(field)} ${quoteLogFormat(value)}`);
  for (const removed of route.responseHeaders?.remove ?? []) w.line(`http-response del-header ${quoteWord(removed)}`);
  for (const [field, value] of Object.entries(route.responseHeaders?.add ?? {})) w.line(`http-response set-header ${quoteWord(field)} ${quoteLogFormat(value)}`);
  writeServers(w, ctx.view.endpointsOfAll(route.upstreams), ctx, node, false, false);
  w.dedent();
  if (table !== undefined && route.rateLimit !== undefined) {
    // The rate is counted over the time an empty bucket takes to fill.
    const period = Math.max(1, Math.ceil((route.rateLimit.burst / route.rateLimit.rate) * 1000));
    w.blank();
    w.line(`backend ${table}`).indent();
    w.line(`stick-table type string len 128 size 100k expire ${duration(Math.max(period * 2, 10_000))} store http_req_rate(${duration(period)})`);
    w.dedent();
  }
}

function report(node: ReverseProxyNode, routes: readonly CompiledRoute[], secrets: string, ctx: Context): void {
  const r = ctx.report;
  r.expressed(node.id, 'gateway-routes', `${routes.length} route(s) as path-regex, host and method ACLs tried in the lab's order (a method mismatch falls through, 405 with none left, 404 without a match); x-topolab-route and the request id on every answer`);
  for (const { route } of routes) {
    const at = `route ${route.id}`;
    if (route.rateLimit !== undefined) r.approximated(node.id, 'gateway-rate-limit', `${at}: a stick table counts requests over the ${route.rateLimit.burst / route.rateLimit.rate} s a bucket takes to refill and denies above ${route.rateLimit.burst} (429, Retry-After); a sliding window, not a token bucket: refused requests count too, so Retry-After is the whole window (${retryAfter(route.rateLimit)} s); no RateLimit-* headers`, 'nothing to do for clients that honour Retry-After; read the limits from the design, not from headers');
    if (route.auth?.type === 'api-key') r.approximated(node.id, 'gateway-api-key', `${at}: keys are looked up in ${secrets}/${route.id}.keys.map (one "<key> <id>" line per key)${route.scopes?.length ? `; scopes with ${secrets}/${route.id}.scoped.map (one "<id> 1" line per key id holding ${route.scopes.join(', ')})` : ''}`, `convert ${route.auth.keys}'s keys into that map file`);
    if (route.auth?.type === 'basic' || route.auth?.type === 'jwt') {
      r.notExpressible(node.id, `gateway-${route.auth.type}`, `${at}: the export does not carry ${route.auth.type === 'basic' ? 'the users (a userlist would hold their passwords)' : 'JWT verification (HAProxy needs PEM keys, not a JWKS)'}: the route answers 401 to every request (fails closed)`, route.auth.type === 'basic' ? 'add a userlist and http_auth() for the route' : 'add http-request checks with jwt_verify() and the issuer\'s PEM key');
    }
    if (route.cors !== undefined) r.notExpressible(node.id, 'gateway-cors', `${at}: CORS is not exported to HAProxy: preflights go to the upstream`, 'use the nginx export, or answer OPTIONS in the upstream');
  }
}
