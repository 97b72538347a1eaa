import { CACHE_DEFAULTS } from '../../model/defaults.js';
import type { CacheNode } from '../../model/types.js';
import { toIdentifier } from '../escape.js';
import { reportRoutingGaps } from '../routing-gaps.js';
import type { ConfigWriter } from '../text.js';
import { writeServers } from './balancer.js';
import { frontendName, NAME_CHARS, openHttpFrontend, type Context } from './context.js';
import { writeStatusMapping } from './guards.js';

/** The longest freshness HAProxy's cache grants (its `max-age` caps every answer's; the lab has no cap). */
const MAX_AGE_CAP_SECONDS = 86_400;

/**
 * A cache: HAProxy's in-memory cache with the lab's rules around it.
 * - A request with `Cache-Control: no-store` neither uses nor fills it; `no-cache`,
 *   `max-age=0` or `Pragma: no-cache` (without `Cache-Control`) skip the stored answer.
 * - The host part of the key is the lab's (case and a trailing dot ignored): the Host sent
 *   on is lower-cased without its trailing dot.
 * - HAProxy stores only answers with freshness or a validator; the design's default TTL is
 *   given to a plain 200 for the store (`Cache-Control: max-age=TTL`, marked) and taken off
 *   again in the frontend, so clients see the origin's headers, hit or miss.
 */
export function writeCache(w: ConfigWriter, node: CacheNode, ctx: Context): void {
  const cacheName = ctx.backends.name(`cache:${node.id}`, `cache_${toIdentifier(node.id, NAME_CHARS)}`);
  const fe = frontendName(ctx, node);
  const be = ctx.backends.name(node.id, `be_${toIdentifier(node.id, NAME_CHARS)}`);
  // Its edges, then the nodes its `origins` name.
  const targets = ctx.view.cacheOrigins(node);
  reportRoutingGaps(ctx.view, node.id, targets, 'HAProxy', ctx.report);
  // HAProxy's cache lives in memory, 1 to 4095 MB.
  const megabytes = Math.min(4095, Math.max(1, Math.round((node.maxBytes ?? CACHE_DEFAULTS.maxBytes) / (1024 * 1024))));
  const ttl = node.defaultTtl ?? CACHE_DEFAULTS.defaultTtl;
  w.line(`cache ${cacheName}`).indent();
  w.line(`total-max-size ${megabytes}`);
  w.line(`max-age ${Math.max(MAX_AGE_CAP_SECONDS, ttl)}`);
  w.line('process-vary on');
  w.dedent().blank();
  openHttpFrontend(w, fe, node, ctx);
  w.comment("The lab's request rules for the cache (docs/services.md, \"Cache\").");
  w.line('http-request set-var(txn.topolab_no_store) bool(1) if { req.hdr(cache-control) -m sub -i no-store }');
  w.line('http-request set-var(txn.topolab_skip) bool(1) if { req.hdr(cache-control) -m reg -i \'^\\s*(no-cache(\\s*=.*)?|max-age\\s*=\\s*"?0+"?)\\s*$\' }');
  w.line('http-request set-var(txn.topolab_skip) bool(1) if !{ req.hdr_cnt(cache-control) gt 0 } { req.hdr(pragma) -m sub -i no-cache }');
  w.line('http-request set-var(txn.topolab_cache_host) \'req.hdr(host),lower,regsub("^(.*?)[.]?(:[0-9]+)?$","\\1\\2")\'');
  w.line('http-request set-header Host %[var(txn.topolab_cache_host)] if { req.hdr_cnt(host) gt 0 }');
  if (ttl > 0) {
    w.line('http-response del-header Cache-Control if { res.hdr(x-topolab-default-ttl) -m found }');
    w.line('http-response del-header X-Topolab-Default-TTL');
  }
  w.line('http-after-response set-header X-Cache %[res.cache_hit,iif(HIT,MISS)]');
  w.line(`default_backend ${be}`);
  w.dedent().blank();
  w.line(`backend ${be}`).indent();
  w.line('mode http');
  w.line('balance roundrobin');
  w.line('http-reuse safe');
  writeStatusMapping(w);
  w.line(`http-request cache-use ${cacheName} if !{ var(txn.topolab_no_store) -m bool } !{ var(txn.topolab_skip) -m bool }`);
  if (ttl > 0) {
    w.comment(`The design's default TTL (${ttl}s) for a 200 without freshness, for the store only (the frontend takes it off).`);
    w.line('http-response set-header X-Topolab-Default-TTL 1 if { status 200 } !{ res.hdr_cnt(cache-control) gt 0 } !{ res.hdr_cnt(expires) gt 0 } !{ res.hdr_cnt(set-cookie) gt 0 }');
    w.line(`http-response set-header Cache-Control max-age=${ttl} if { res.hdr_cnt(x-topolab-default-ttl) gt 0 }`);
  }
  // As the lab (RFC 9111 3): never an answer that sets a cookie or varies on everything.
  w.line(`http-response cache-store ${cacheName} if !{ var(txn.topolab_no_store) -m bool } !{ res.hdr_cnt(set-cookie) gt 0 } !{ res.hdr(vary) -m str * }`);
  writeServers(w, ctx.view.endpointsOfAll(targets), ctx, node, false, false);
  w.dedent();
  ctx.report.expressed(node.id, 'cache', `in-memory cache of ${megabytes} MB keyed on host (case and trailing dot ignored) and normalised path, Vary respected`);
  ctx.report.expressed(node.id, 'request-cache-control', 'Cache-Control: no-store neither uses nor fills the cache; no-cache, max-age=0 and Pragma: no-cache (without Cache-Control) skip the stored answer');
  ctx.report.approximated(node.id, 'request-directives', 'HAProxy itself sends every request with Pragma: no-cache to the origin, even when a Cache-Control allows the stored answer (the lab ignores Pragma then, RFC 9111 5.4)', 'nothing to do for clients that send Cache-Control without Pragma; the difference only costs origin requests');
  if (ttl > 0) ctx.report.expressed(node.id, 'default-ttl', `a 200 without freshness information is kept ${ttl}s (the default TTL is added for the store and removed before the client sees it)`);
  ctx.report.approximated(node.id, 'freshness-cap', `HAProxy caps every answer's freshness at its cache max-age (${Math.max(MAX_AGE_CAP_SECONDS, ttl)}s); the lab has no cap`, 'nothing to do unless answers should stay fresh longer than the cap: raise max-age in the cache section');
  ctx.report.approximated(node.id, 'statuses', `HAProxy 2.6 stores 200 answers only; the lab also stores ${CACHE_DEFAULTS.cacheableStatuses.filter((s) => s !== 200).join(', ')} (RFC 9110 15.1)`, 'nothing to do: those answers go to the origin every time; use the nginx export to cache them');
  ctx.report.approximated(node.id, 'authorization', 'HAProxy neither stores an answer to a request with Authorization nor answers one from the cache; the lab stores it when the answer says public or s-maxage (RFC 9111 3.5), and answers it from a stored answer to an anonymous request: such requests go to the origin every time', 'nothing to do: safer than the lab, at the cost of origin requests; use the nginx export to cache public answers to authorised requests');
  ctx.report.approximated(node.id, 'head', 'HAProxy does not store an answer to HEAD; the lab fetches HEAD as GET and stores it for both', 'nothing to do: a HEAD goes to the origin, a GET after it is a MISS once');
  ctx.report.approximated(node.id, 'x-cache', 'X-Cache is HIT or MISS (from res.cache_hit); HAProxy has no REVALIDATED', 'read MISS as "from the origin": a revalidated answer is a MISS here');
  ctx.report.approximated(node.id, 'revalidation', 'HAProxy serves only fresh entries and does not revalidate stale ones with the origin (the lab sends a conditional request): both go to the origin', 'nothing to do: stale entries cost a full fetch instead of a 304');
  ctx.report.approximated(node.id, 'host', 'the Host sent to the origin is lower-cased without a trailing dot, so the cache key matches the lab\'s', 'nothing to do: origins that need the exact Host case see it lower-cased');
  ctx.report.notExpressible(node.id, 'purge', 'purge on demand has no HAProxy directive (clear it from the runtime API or restart)', 'restart HAProxy (or `del cache` entries over the runtime API) to purge');
}
