import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayConfig, GatewayRoute } from '../../../model/kinds/gateway-fields.js';
import { sendError } from '../../http/errors.js';
import { createApiKeyAuth } from './auth-apikey.js';
import { createBasicAuth } from './auth-basic.js';
import { createJwtAuth } from './auth-jwt.js';
import { answerPreflight, corsResponseHeaders, isPreflight } from './cors.js';
import type { AuthResult, Authenticator, Identity } from './identity.js';
import { compileRoutes, matchRoute, type CompiledRoute } from './match.js';
import { rateLimitHeaders, TokenBucketLimiter } from './ratelimit.js';
import { headerOverrides, upstreamTarget } from './rewrite.js';
import { secretNamed, type SecretFile } from './secrets.js';

/** The response header naming the route that answered (`none` when no route matched). */
export const ROUTE_HEADER = 'x-topolab-route';
/** The request header carrying the authenticated identity upstream (a client's own is always replaced). */
export const IDENTITY_HEADER = 'x-topolab-identity';

/** Where an accepted request goes: the route's position (its pool), the upstream target and the header overrides. */
export interface GatewayForward {
  routeIndex: number;
  path: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
}

/** One request as the lab's log records it. */
export interface GatewayRequestRecord {
  route: string;
  identity: string | undefined;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  requestId: string;
}

interface RouteRuntime {
  auth: Authenticator | undefined;
  limiter: TokenBucketLimiter | undefined;
  requestEdits: Record<string, string>;
  responseEdits: Record<string, string>;
}

/** A request id a client may choose: visible ASCII, at most 128 characters. */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The API gateway in front of the reverse proxy's pools, as one middleware per file:
 * match (method, host, path pattern) -> CORS preflight -> rate limit by route or client ->
 * authentication -> scopes -> rate limit by identity -> rewrite. Answers 404/405, the
 * preflight, 401/403/429 itself, always with `x-topolab-route` and the request id; records
 * every request (route, identity, status, latency) through `onRequest` when it ends.
 */
export class Gateway {
  private readonly routes: CompiledRoute[];
  private readonly runtime: RouteRuntime[];
  private readonly requestIdHeader: string;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly nodeId: string,
    config: GatewayConfig,
    secrets: ReadonlyMap<string, SecretFile>,
    private readonly onRequest: (record: GatewayRequestRecord) => void,
  ) {
    this.routes = compileRoutes(config.routes);
    this.runtime = config.routes.map((route) => ({
      auth: authenticatorOf(route, secrets),
      limiter: route.rateLimit === undefined ? undefined : new TokenBucketLimiter(route.rateLimit),
      requestEdits: headerOverrides(route.requestHeaders),
      responseEdits: headerOverrides(route.responseHeaders),
    }));
    this.requestIdHeader = (config.requestIdHeader ?? 'x-request-id').toLowerCase();
  }

  /** Requests seen per route id since start (`none`: matched no route). */
  routeCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Handles one request: where to forward it, or `undefined` once the gateway answered it. */
  handle(req: IncomingMessage, res: ServerResponse): GatewayForward | undefined | Promise<GatewayForward | undefined> {
    const started = performance.now();
    const offered = req.headers[this.requestIdHeader];
    const requestId = typeof offered === 'string' && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader(this.requestIdHeader, requestId);
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const query = q === -1 ? '' : target.slice(q);
    const method = req.method ?? 'GET';
    const preflight = isPreflight(req);
    let match = matchRoute(this.routes, preflight ? String(req.headers['access-control-request-method']).trim().toUpperCase() : method, req.headers.host ?? '', path);
    if (preflight && (match.kind !== 'route' || match.compiled.route.cors === undefined)) match = matchRoute(this.routes, method, req.headers.host ?? '', path);
    const log = { route: 'none', identity: undefined as string | undefined };
    res.once('close', () => {
      this.onRequest({ ...log, method, path: path.slice(0, 256), status: res.writableFinished ? res.statusCode : 499, latencyMs: performance.now() - started, requestId });
    });
    if (match.kind !== 'route') {
      this.count('none');
      res.setHeader(ROUTE_HEADER, 'none');
      if (match.kind === 'method') sendError(res, 405, 'method-not-allowed', `no route of ${this.nodeId} takes ${method.slice(0, 16)} ${path.slice(0, 200)} (allowed: ${match.allow.join(', ')})`, this.nodeId, { allow: match.allow.join(', ') });
      else sendError(res, 404, 'no-route', `no route of ${this.nodeId} matches ${method.slice(0, 16)} ${(req.headers.host ?? '').slice(0, 200)}${path.slice(0, 200)}`, this.nodeId);
      return undefined;
    }
    const { compiled, captures } = match;
    const { route } = compiled;
    log.route = route.id;
    this.count(route.id);
    res.setHeader(ROUTE_HEADER, route.id);
    if (preflight && route.cors !== undefined) {
      const answer = answerPreflight(route.cors, route.methods, req);
      if (!answer.ok) {
        sendError(res, 403, 'cors-preflight-refused', `route ${route.id} of ${this.nodeId} refuses the preflight: ${answer.reason}`, this.nodeId);
        return undefined;
      }
      res.writeHead(204, { ...answer.headers, 'content-length': '0' });
      res.end();
      return undefined;
    }
    const gatewayHeaders: Record<string, string> = { [ROUTE_HEADER]: route.id, [this.requestIdHeader]: requestId };
    if (route.cors !== undefined) Object.assign(gatewayHeaders, corsResponseHeaders(route.cors, req));
    setAll(res, gatewayHeaders);
    const runtime = this.runtime[compiled.index] as RouteRuntime;
    const limitPer = route.rateLimit?.per ?? 'client';
    if (runtime.limiter !== undefined && limitPer !== 'key' && !this.admit(runtime.limiter, route, limitPer === 'route' ? '' : clientOf(req), res, gatewayHeaders)) return undefined;
    const proceed = (result: AuthResult | undefined): GatewayForward | undefined => {
      if (result !== undefined && !result.ok) {
        sendError(res, 401, 'unauthorized', `route ${route.id} of ${this.nodeId}: ${result.reason}`, this.nodeId, { 'www-authenticate': result.challenge });
        return undefined;
      }
      const identity = result?.identity;
      log.identity = identity?.id;
      if (identity !== undefined && !this.authorized(route, identity, res)) return undefined;
      if (runtime.limiter !== undefined && limitPer === 'key' && !this.admit(runtime.limiter, route, identity ? `id:${identity.id}` : `ip:${clientOf(req)}`, res, gatewayHeaders)) return undefined;
      return {
        routeIndex: compiled.index,
        path: upstreamTarget(route, path, query, captures),
        requestHeaders: { ...runtime.requestEdits, [this.requestIdHeader]: requestId, [IDENTITY_HEADER]: identity?.id ?? '' },
        responseHeaders: { ...runtime.responseEdits, ...gatewayHeaders },
      };
    };
    if (runtime.auth === undefined) return proceed(undefined);
    const result = runtime.auth(req, new URL(target, 'http://gateway.invalid'));
    return result instanceof Promise ? result.then(proceed) : proceed(result);
  }

  /** 403 unless the identity holds every scope the route requires. */
  private authorized(route: GatewayRoute, identity: Identity, res: ServerResponse): boolean {
    const missing = (route.scopes ?? []).filter((s) => !identity.scopes.includes(s));
    if (missing.length === 0) return true;
    const challenge = identity.via === 'jwt' ? { 'www-authenticate': `Bearer realm="topolab", error="insufficient_scope", scope="${(route.scopes ?? []).join(' ')}"` } : undefined;
    sendError(res, 403, 'insufficient-scope', `route ${route.id} of ${this.nodeId}: "${identity.id}" lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, this.nodeId, challenge);
    return false;
  }

  /** Takes a token; answers 429 when there is none. Sets the RateLimit-* headers either way. */
  private admit(limiter: TokenBucketLimiter, route: GatewayRoute, key: string, res: ServerResponse, gatewayHeaders: Record<string, string>): boolean {
    const limit = route.rateLimit!;
    const decision = limiter.take(key);
    const headers = rateLimitHeaders(decision, limit);
    Object.assign(gatewayHeaders, headers);
    setAll(res, headers);
    if (decision.allowed) return true;
    sendError(res, 429, 'rate-limited', `route ${route.id} of ${this.nodeId} allows ${limit.burst} requests at once and ${limit.rate} per second${limit.per === 'route' ? '' : ` per ${limit.per === 'key' ? 'identity' : 'client address'}`}: retry in ${decision.retryAfterSeconds} s`, this.nodeId);
    return false;
  }

  private count(id: string): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }
}

function setAll(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

function clientOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function authenticatorOf(route: GatewayRoute, secrets: ReadonlyMap<string, SecretFile>): Authenticator | undefined {
  const { auth } = route;
  switch (auth?.type) {
    case undefined:
      return undefined;
    case 'api-key':
      return createApiKeyAuth(auth, secretNamed(secrets, auth.keys));
    case 'basic':
      return createBasicAuth(auth, secretNamed(secrets, auth.users));
    case 'jwt':
      return createJwtAuth(auth, auth.secret === undefined ? undefined : secretNamed(secrets, auth.secret), auth.jwks === undefined ? undefined : secretNamed(secrets, auth.jwks));
  }
}
