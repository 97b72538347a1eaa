import { compileRoutes, type CompiledRoute } from '../../model/gateway-order.js';
import type { PathPattern } from '../../model/gateway-patterns.js';
import type { GatewayRoute } from '../../model/kinds/gateway-fields.js';
import type { ReverseProxyNode } from '../../model/types.js';
import { commentText } from '../escape.js';
import type { ConfigWriter } from '../text.js';
import { addPrelude, listenLine, literal, pool, upstreamName, type Context } from './context.js';
import { header, missingAddress, writeProxyPass } from './forward.js';
import { writeServerBlocks } from './tls.js';

/**
 * A reverse proxy's API gateway in nginx: one regex `location` per route, written in the
 * lab's match order (priority, then specificity), since nginx tries regex locations in
 * file order; `limit_req` for rate limits, `map` for API keys (from an include file the
 * report names), `auth_basic` for basic auth, `add_header ... always` for
 * `x-topolab-route` and the request id. JWT verification has no open-source nginx
 * directive: those routes fail closed (401) and the report says how to add a verifier.
 * Every difference from the lab goes into the report.
 */
export function writeGatewayProxy(w: ConfigWriter, node: ReverseProxyNode, ctx: Context): void {
  const gateway = node.gateway;
  if (gateway === undefined) return;
  header(w, node);
  const listen = listenLine(node, ctx, true);
  if (!listen) return missingAddress(w, node, ctx);
  const routes = compileRoutes(gateway.routes);
  const upstreams = new Map<number, string | undefined>();
  for (const compiled of routes) {
    upstreams.set(compiled.index, pool(w, ctx, `${node.id}|route|${compiled.route.id}`, `${node.id}__${compiled.route.id}`, ctx.view.endpointsOfAll(compiled.route.upstreams), node));
  }
  const idHeader = (gateway.requestIdHeader ?? 'x-request-id').toLowerCase();
  const requestId = upstreamName(ctx, `${node.id}|request-id`, `${node.id}__request_id`);
  addPrelude(ctx, [`map $http_${idHeader.replace(/-/g, '_')} $${requestId} {`, '    "" $request_id;', `    default $http_${idHeader.replace(/-/g, '_')};`, '}']);
  // Through writeServerBlocks, so a gateway with `tls` gets its HTTPS twins (and redirect) as a plain proxy does.
  const blocks = serverHosts(routes).map((host) => ({
    serverName: host ?? '_',
    body: () => {
      const here = routes.filter((c) => c.route.host === undefined || c.route.host === host || (host !== undefined && hostCovers(c.route.host, host)));
      for (const compiled of here) writeRoute(w, node, compiled, upstreams.get(compiled.index), { idHeader, requestId }, ctx);
      if (!here.some((c) => c.pattern.source === '/*')) {
        w.comment('no route matches: 404, as in the lab');
        w.open('location /');
        w.line('add_header x-topolab-route none always;');
        if (ctx.hsts !== undefined) w.line(`add_header Strict-Transport-Security ${literal(ctx, ctx.hsts)} always;`);
        w.line('return 404;');
        w.close();
      }
    },
  }));
  writeServerBlocks(w, node, (first) => (first ? listen : (listenLine(node, ctx, false) as string)), blocks, ctx);
  reportGateway(node, routes, ctx);
}

/** The server blocks: the default one, then one per host a route names. */
function serverHosts(routes: readonly CompiledRoute[]): (string | undefined)[] {
  return [undefined, ...new Set(routes.flatMap((c) => (c.route.host === undefined ? [] : [c.route.host.toLowerCase()])))];
}

/** Whether a route's `*.domain` host also matches a server's exact host. */
function hostCovers(routeHost: string, serverHost: string): boolean {
  return routeHost.startsWith('*.') && !serverHost.startsWith('*.') && serverHost.endsWith(routeHost.slice(1).toLowerCase());
}

/** A PCRE for a pattern, in a double-quoted nginx string; captures: each `{param}` in order, then the `*` rest. */
export function patternRegex(pattern: PathPattern): string {
  let out = '^';
  for (const segment of pattern.segments) {
    if (segment.kind === 'literal') out += `/${segment.text.replace(/[.^$|?*+()[\]{}\\]/g, '\\$&')}`;
    else if (segment.kind === 'param') out += '/([^/]+)';
    else out += '(?:/(.*))?';
  }
  return `"${out === '^' ? '^/' : out}$"`;
}

/** A rewrite template as an nginx replacement: `{name}` and `*` as the pattern's captures, literal text escaped. */
function replacement(template: string, pattern: PathPattern): string {
  const rest = pattern.params.length + 1;
  let out = '';
  for (const part of template.split(/(\{[A-Za-z_][A-Za-z0-9_]*\}|(?<=\/)\*(?=\/|$))/)) {
    if (part === '*') out += `$${rest}`;
    else if (/^\{.*\}$/.test(part)) out += `$${pattern.params.indexOf(part.slice(1, -1)) + 1}`;
    else out += part.replace(/[\\"]/g, '\\$&').replace(/\$/g, '${dollar}');
  }
  return `"${out}"`;
}

interface Shared {
  idHeader: string;
  requestId: string;
}

function writeRoute(w: ConfigWriter, node: ReverseProxyNode, compiled: CompiledRoute, upstream: string | undefined, shared: Shared, ctx: Context): void {
  const { route, pattern } = compiled;
  const name = (suffix: string): string => upstreamName(ctx, `${node.id}|${route.id}|${suffix}`, `${node.id}__${route.id}__${suffix}`);
  w.comment(`route ${commentText(route.id)}: ${commentText([route.methods?.join(',') ?? 'any method', route.host ?? 'any host', pattern.source].join(' '))}`);
  const always: string[] = [`add_header x-topolab-route ${literal(ctx, route.id)} always;`, `add_header ${shared.idHeader} $${shared.requestId} always;`];
  // A location's own add_header hides the server's: on an HTTPS block, HSTS goes here too.
  if (ctx.hsts !== undefined) always.push(`add_header Strict-Transport-Security ${literal(ctx, ctx.hsts)} always;`);
  let limitZone: string | undefined;
  if (route.rateLimit !== undefined) {
    limitZone = name('limit');
    const key = rateKey(route, name, ctx);
    const rate = route.rateLimit.rate >= 1 && Number.isInteger(route.rateLimit.rate) ? `${route.rateLimit.rate}r/s` : `${Math.max(1, Math.round(route.rateLimit.rate * 60))}r/m`;
    addPrelude(ctx, [`limit_req_zone ${key} zone=${limitZone}:1m rate=${rate};`]);
    const retry = name('retry');
    addPrelude(ctx, [`map $status $${retry} {`, `    429 ${Math.max(1, Math.ceil(1 / route.rateLimit.rate))};`, '    default "";', '}']);
    always.push(`add_header Retry-After $${retry} always;`);
  }
  if (route.cors !== undefined) {
    const origin = name('cors_origin');
    const any = route.cors.origins.includes('*') && route.cors.credentials !== true;
    addPrelude(ctx, [`map $http_origin $${origin} {`, '    default "";', ...(any ? ['    "~." "*";'] : route.cors.origins.map((o) => `    ${literal(ctx, o)} $http_origin;`)), '}']);
    always.push(`add_header Access-Control-Allow-Origin $${origin} always;`);
    if (route.cors.credentials === true) always.push('add_header Access-Control-Allow-Credentials true always;');
    if (!any) always.push('add_header Vary Origin always;');
    if (route.cors.exposeHeaders?.length) always.push(`add_header Access-Control-Expose-Headers ${literal(ctx, route.cors.exposeHeaders.join(', '))} always;`);
  }
  for (const [field, value] of Object.entries(route.responseHeaders?.add ?? {})) always.push(`add_header ${field} ${literal(ctx, value)} always;`);
  w.open(`location ~ ${patternRegex(pattern)}`);
  for (const line of always) w.line(line);
  for (const hidden of [...(route.responseHeaders?.remove ?? []), ...Object.keys(route.responseHeaders?.add ?? {})]) w.line(`proxy_hide_header ${hidden};`);
  const inIf = (lines: string[]): void => {
    w.open(lines[0] as string);
    for (const line of [...always, ...lines.slice(1)]) w.line(line);
    w.close();
  };
  if (route.cors !== undefined) {
    const methods = route.cors.methods ?? route.methods ?? ['GET', 'HEAD', 'POST'];
    inIf([
      'if ($request_method = OPTIONS)',
      `add_header Access-Control-Allow-Methods ${literal(ctx, methods.join(', '))} always;`,
      ...(route.cors.headers?.length ? [`add_header Access-Control-Allow-Headers ${literal(ctx, route.cors.headers.join(', '))} always;`] : []),
      `add_header Access-Control-Max-Age ${route.cors.maxAgeSeconds ?? 600} always;`,
      'return 204;',
    ]);
  }
  if (route.methods !== undefined) inIf([`if ($request_method !~ ^(${[...compiled.methods!].sort().join('|')})$)`, 'return 405;']);
  let identity = '""';
  const { auth } = route;
  if (auth?.type === 'api-key') {
    const id = name('key_id');
    const source = auth.header !== undefined || auth.query === undefined ? `$http_${(auth.header ?? 'x-api-key').toLowerCase().replace(/-/g, '_')}` : `$arg_${auth.query}`;
    addPrelude(ctx, [`map ${source} $${id} {`, '    default "";', `    include ${literal(ctx, keyMapPath(node, route))};`, '}']);
    inIf([`if ($${id} = "")`, 'add_header WWW-Authenticate \'ApiKey realm="topolab"\' always;', 'return 401;']);
    identity = `$${id}`;
  } else if (auth?.type === 'basic') {
    w.line(`auth_basic ${literal(ctx, auth.realm ?? 'topolab')};`);
    w.line(`auth_basic_user_file ${literal(ctx, `${secretsBase(node)}/${route.id}.htpasswd`)};`);
    identity = '$remote_user';
  } else if (auth?.type === 'jwt') {
    inIf(['if ($request_method != OPTIONS)', 'add_header WWW-Authenticate \'Bearer realm="topolab", error="invalid_token", error_description="JWT verification is not part of the nginx export"\' always;', 'return 401;']);
  }
  if (route.scopes?.length && (auth?.type === 'api-key' || auth?.type === 'basic')) {
    const scoped = name('scoped');
    addPrelude(ctx, [`map ${identity} $${scoped} {`, '    default 0;', `    include ${literal(ctx, `${secretsBase(node)}/${route.id}.scoped.map`)};`, '}']);
    inIf([`if ($${scoped} = 0)`, 'return 403;']);
  }
  if (limitZone !== undefined) {
    w.line(`limit_req zone=${limitZone}${route.rateLimit!.burst > 1 ? ` burst=${route.rateLimit!.burst - 1}` : ''} nodelay;`);
    w.line('limit_req_status 429;');
  }
  if (route.rewrite !== undefined) w.line(`rewrite ${patternRegex(pattern)} ${replacement(route.rewrite, pattern)} break;`);
  else if (route.stripPrefix !== undefined && route.stripPrefix !== '/') {
    const prefix = route.stripPrefix.replace(/\/$/, '').replace(/[.^$|?*+()[\]{}\\]/g, '\\$&');
    w.line(`rewrite "^${prefix}$" / break;`);
    w.line(`rewrite "^${prefix}(/.*)$" $1 break;`);
  }
  if (upstream === undefined) w.line('return 503;');
  else {
    writeProxyPass(w, node, upstream, '', ctx);
    w.line('proxy_http_version 1.1;');
    w.line('proxy_set_header Connection "";');
    w.line('proxy_set_header Host $host;');
    w.line('proxy_set_header X-Real-IP $remote_addr;');
    w.line(`proxy_set_header X-Forwarded-For ${node.internetFacing === true ? '$remote_addr' : '$proxy_add_x_forwarded_for'};`);
    w.line('proxy_set_header X-Forwarded-Proto $scheme;');
    w.line(`proxy_set_header ${shared.idHeader} $${shared.requestId};`);
    w.line(`proxy_set_header x-topolab-identity ${identity};`);
    for (const removed of route.requestHeaders?.remove ?? []) w.line(`proxy_set_header ${removed} "";`);
    for (const [field, value] of Object.entries(route.requestHeaders?.add ?? {})) w.line(`proxy_set_header ${field} ${literal(ctx, value)};`);
    if (node.timeoutMs !== undefined) w.line(`proxy_read_timeout ${Math.ceil(node.timeoutMs / 1000)}s;`);
  }
  w.close();
}

/** The `limit_req_zone` key: the client address, one bucket, or the identity nginx knows (an API key, a basic user). */
function rateKey(route: GatewayRoute, name: (suffix: string) => string, ctx: Context): string {
  const per = route.rateLimit?.per ?? 'client';
  if (per === 'client') return '$binary_remote_addr';
  if (per === 'route') {
    const one = name('one');
    addPrelude(ctx, [`map $server_port $${one} {`, '    default 1;', '}']);
    return `$${one}`;
  }
  const auth = route.auth;
  const source = auth?.type === 'basic' ? '$remote_user' : auth?.type === 'api-key' ? (auth.header !== undefined || auth.query === undefined ? `$http_${(auth.header ?? 'x-api-key').toLowerCase().replace(/-/g, '_')}` : `$arg_${auth.query}`) : undefined;
  if (source === undefined) return '$binary_remote_addr';
  const key = name('limit_key');
  addPrelude(ctx, [`map ${source} $${key} {`, '    "" $binary_remote_addr;', `    default ${source};`, '}']);
  return `$${key}`;
}

/** Where the export expects the converted secret files (relative to nginx's prefix unless runDir says otherwise). */
function secretsBase(node: ReverseProxyNode): string {
  return `gateway-secrets/${node.id}`;
}

function keyMapPath(node: ReverseProxyNode, route: GatewayRoute): string {
  return `${secretsBase(node)}/${route.id}.keys.map`;
}

function reportGateway(node: ReverseProxyNode, routes: readonly CompiledRoute[], ctx: Context): void {
  const r = ctx.report;
  r.expressed(node.id, 'gateway-routes', `${routes.length} route(s) as regex locations in the lab's match order (priority, then specificity); x-topolab-route and the request id on every answer (add_header ... always)`);
  const base = secretsBase(node);
  for (const { route } of routes) {
    const at = `route ${route.id}`;
    if (route.methods !== undefined) r.approximated(node.id, 'gateway-methods', `${at}: a method outside ${route.methods.join(', ')} gets 405 from this location; the lab tries the next route that matches the path`, 'give routes of the same path distinct patterns, or merge their methods');
    if (route.rateLimit !== undefined) {
      r.approximated(node.id, 'gateway-rate-limit', `${at}: limit_req (burst ${route.rateLimit.burst - 1} nodelay = ${route.rateLimit.burst} at once, ${route.rateLimit.rate}/s) with Retry-After; nginx sends no RateLimit-* headers${route.rateLimit.per === 'key' && route.auth?.type === 'jwt' ? ', and a JWT identity is not known to nginx: the bucket is per client address' : ''}`, 'nothing to do for clients that honour Retry-After; read the limits from the design, not from headers');
    }
    if (route.cors !== undefined) r.approximated(node.id, 'gateway-cors', `${at}: every OPTIONS request is answered 204 with the allowed methods and headers; the lab answers 403 to a preflight asking for a method or header it does not allow (browsers refuse both)`, 'nothing to do for browsers; a non-browser client sending OPTIONS gets 204 from nginx');
    if (route.auth?.type === 'api-key') r.approximated(node.id, 'gateway-api-key', `${at}: keys are looked up in a map include: write ${base}/${route.id}.keys.map with one line "<key>" "<id>"; per key from the secret file`, `convert ${route.auth.keys}'s keys into ${base}/${route.id}.keys.map`);
    if (route.auth?.type === 'basic') r.approximated(node.id, 'gateway-basic', `${at}: auth_basic with ${base}/${route.id}.htpasswd; nginx reads a password only up to its first ":", so a password holding one never matches there`, `choose passwords without ":"; write ${base}/${route.id}.htpasswd from ${route.auth.users}'s users (htpasswd -B, or user:{PLAIN}password for a lab)`);
    if (route.scopes?.length && route.auth?.type !== 'jwt') r.approximated(node.id, 'gateway-scopes', `${at}: scopes are checked with ${base}/${route.id}.scoped.map ("<key id or user>" 1; for each identity holding ${route.scopes.join(', ')})`, `write ${base}/${route.id}.scoped.map`);
    if (route.auth?.type === 'jwt') {
      r.notExpressible(node.id, 'gateway-jwt', `${at}: open-source nginx cannot verify JWTs: the route answers 401 to every request (fails closed)`, 'put a verifier behind auth_request (for example oauth2-proxy) or use NGINX Plus auth_jwt, then remove the 401 block; or export to HAProxy/Terraform');
    }
  }
}
