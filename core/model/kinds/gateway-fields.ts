import { z } from 'zod';
import { IdSchema } from './fields.js';

/**
 * The reverse proxy's optional `gateway` block: API-gateway routes (method, host, path
 * pattern, priority), per-route authentication, rate limits, CORS and rewrites. Shape only;
 * what cannot be checked by shape (duplicate ids, unknown secrets, impossible patterns) is
 * the `gateway-config` validation rule's job (core/validate/rules/gateway-config.ts), and
 * the pattern grammar lives in core/model/gateway-patterns.ts.
 */

/** A route id: what `x-topolab-route` answers and the lab's log names. */
export const GatewayRouteIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'route ids use letters, digits, ".", "_" and "-", start with a letter or digit, at most 64 characters');

/** The name of a secret file declared in `gateway.secrets`. */
export const SecretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'secret names use letters, digits, ".", "_" and "-", at most 64 characters');

/** HTTP methods a route may name. */
export const GATEWAY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MethodSchema = z.enum(GATEWAY_METHODS);

const HeaderName = z.string().min(1).max(128);
const HeaderEditsSchema = z.strictObject({
  /** Set these headers (replacing any of the same name). */
  add: z.record(HeaderName, z.string().max(1024)).optional(),
  /** Remove these headers. */
  remove: z.array(HeaderName).max(64).optional(),
});

/** The JWT algorithms the gateway verifies (never `none`). */
export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;

export const GatewayAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('api-key'),
    /** Secret (JSON `{ "keys": [{ "key", "id", "scopes"? }] }`) holding the accepted keys. */
    keys: SecretNameSchema,
    /** Header carrying the key (default `x-api-key` unless `query` is given). */
    header: HeaderName.optional(),
    /** Query parameter carrying the key. */
    query: z.string().min(1).max(64).optional(),
  }),
  z.strictObject({
    type: z.literal('basic'),
    /** Secret (JSON `{ "users": [{ "name", "password", "scopes"? }] }`) holding the accounts. */
    users: SecretNameSchema,
    realm: z.string().max(128).optional(),
  }),
  z.strictObject({
    type: z.literal('jwt'),
    /** Accepted algorithms (default: every one the key material allows). */
    algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).optional(),
    /** HS256: secret holding the shared key (the file's text, trimmed). */
    secret: SecretNameSchema.optional(),
    /** RS256/ES256: secret holding a JWKS (`{ "keys": [...] }`, a `.json` file). */
    jwks: SecretNameSchema.optional(),
    issuer: z.string().min(1).max(512).optional(),
    audience: z.string().min(1).max(512).optional(),
    /** Tolerated clock difference for `exp`/`nbf`/`iat`, seconds (default 30, at most 300). */
    clockSkewSeconds: z.number().int().min(0).max(300).optional(),
  }),
]);

export const GatewayRateLimitSchema = z.strictObject({
  /** Tokens added per second. */
  rate: z.number().positive().max(1_000_000),
  /** Bucket size: requests allowed at once. */
  burst: z.number().int().min(1).max(1_000_000),
  /** One bucket for the route, per authenticated identity (else per client address), or per client address (default). */
  per: z.enum(['route', 'key', 'client']).optional(),
});

export const GatewayCorsSchema = z.strictObject({
  /** Allowed origins (`https://app.example`) or `*`. */
  origins: z.array(z.string().min(1).max(256)).min(1).max(64),
  methods: z.array(MethodSchema).max(7).optional(),
  /** Request headers a preflight may ask for. */
  headers: z.array(HeaderName).max(64).optional(),
  /** Response headers scripts may read. */
  exposeHeaders: z.array(HeaderName).max(64).optional(),
  credentials: z.boolean().optional(),
  maxAgeSeconds: z.number().int().min(0).max(86_400).optional(),
});

export const GatewayRouteSchema = z.strictObject({
  id: GatewayRouteIdSchema,
  /** Higher first (default 0); equal priorities go by specificity, then order. */
  priority: z.number().int().min(-1000).max(1000).optional(),
  /** Methods matched (default: all); `GET` also matches `HEAD`. */
  methods: z.array(MethodSchema).min(1).max(7).optional(),
  /** Exact host or `*.domain` (default: any). */
  host: z.string().min(1).max(255).optional(),
  /** Path pattern: `/users/{id}`, `/files/*` (default `/*`). */
  path: z.string().startsWith('/').max(2048).optional(),
  /** Node ids the matching requests go to (a pool when more than one). */
  upstreams: z.array(IdSchema).min(1),
  /** A literal leading part of the pattern removed before forwarding (`/api`). */
  stripPrefix: z.string().startsWith('/').max(2048).optional(),
  /** The upstream path, with the pattern's `{params}` and `*` filled in (`/v2/users/{id}`). */
  rewrite: z.string().startsWith('/').max(2048).optional(),
  requestHeaders: HeaderEditsSchema.optional(),
  responseHeaders: HeaderEditsSchema.optional(),
  auth: GatewayAuthSchema.optional(),
  /** Scopes the identity must hold (all of them): 403 without. Needs `auth`. */
  scopes: z.array(z.string().min(1).max(128)).max(32).optional(),
  rateLimit: GatewayRateLimitSchema.optional(),
  cors: GatewayCorsSchema.optional(),
});

export const GatewaySchema = z.strictObject({
  /** Secret files by name, paths relative to the design's folder. */
  secrets: z.record(SecretNameSchema, z.string().min(1).max(1024)).optional(),
  /** The request id header added (when absent) and forwarded (default `x-request-id`). */
  requestIdHeader: HeaderName.optional(),
  routes: z.array(GatewayRouteSchema).min(1).max(1000),
});

export type GatewayConfig = z.output<typeof GatewaySchema>;
export type GatewayRoute = z.output<typeof GatewayRouteSchema>;
export type GatewayAuth = z.output<typeof GatewayAuthSchema>;
export type GatewayRateLimit = z.output<typeof GatewayRateLimitSchema>;
export type GatewayCors = z.output<typeof GatewayCorsSchema>;
