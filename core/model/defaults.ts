/**
 * The defaults a design means when it leaves a setting out: what the live lab enforces and
 * what every export writes out explicitly, so nginx, HAProxy and the lab never fall back to
 * three different built-in values. One table, read by core/runtime and core/export.
 */

/** Limits and timeouts of every HTTP front end (docs/services.md, "Timeouts and limits"). */
export const HTTP_DEFAULTS = {
  /** Largest request body, bytes: 413 above (a node's `maxBodyBytes` replaces it). */
  maxBodyBytes: 10 * 1024 * 1024,
  /** Largest request line (method, target, version), bytes: 414 above. */
  maxRequestLineBytes: 8 * 1024,
  /** Largest single header field line (`name: value`), bytes: 431 above. */
  maxHeaderFieldBytes: 8 * 1024,
  /** Largest header block, bytes: 431 above. */
  maxHeaderBytes: 16 * 1024,
  /** The header block must be complete this long after the request's first byte: 408 after. */
  headerTimeoutMs: 30_000,
  /** Longest silence while a request body arrives: 408 after. */
  bodyIdleTimeoutMs: 5_000,
  /** The whole request, body included, from its first byte: 408 after. */
  requestTimeoutMs: 60_000,
  /** An idle client keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: 5_000,
} as const;

/** Upstream timeouts of every forwarding node (a node's `timeoutMs` replaces the response timeout). */
export const UPSTREAM_DEFAULTS = {
  /** Response headers must arrive within this long: 504 after. */
  timeoutMs: 30_000,
  /** A connection must be established within this long (counts as a connect failure). */
  connectTimeoutMs: 5_000,
} as const;

/** An active health check's settings where the design gives none. */
export const HEALTH_CHECK_DEFAULTS = {
  path: '/health',
  intervalMs: 1_000,
  /** Never longer than the interval, so a probe ends before the next starts. */
  timeoutMs: 1_000,
  rise: 2,
  fall: 2,
  expectStatus: '200-399',
} as const;

/** Passive ejection on real traffic: consecutive upstream faults take a server out for a while. */
export const PASSIVE_EJECTION_DEFAULTS = {
  consecutiveFailures: 3,
  ejectMs: 5_000,
  /** Never more than this share of a pool is out at once. */
  maxEjectedShare: 0.5,
} as const;

/** Sticky sessions by cookie. */
export const STICKY_DEFAULTS = { cookie: 'topolab_sticky', ttlSeconds: 3_600 } as const;

/** Caches. */
export const CACHE_DEFAULTS = {
  maxBytes: 64 * 1024 * 1024,
  /** Seconds of freshness for answers without any (0: store only with validators, revalidate every time). */
  defaultTtl: 0,
  /** Statuses a shared cache stores by default (RFC 9110 15.1, the common subset). */
  cacheableStatuses: [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501],
} as const;
