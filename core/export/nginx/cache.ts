import { CACHE_DEFAULTS } from '../../model/defaults.js';
import type { CacheNode } from '../../model/types.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { size } from './syntax.js';

/**
 * Maps every cache location uses: the lab's request and response rules in nginx's terms.
 * - a request with `Cache-Control: no-store` neither uses nor fills the cache;
 * - `no-cache`, `max-age=0`, or `Pragma: no-cache` without any `Cache-Control`, go to the
 *   origin (the lab revalidates, nginx fetches afresh) and may store the new answer;
 * - an answer to a request with `Authorization` is stored only when it says `public` or
 *   `s-maxage` (RFC 9111 3.5), so one user's answer never reaches another;
 * - `X-Cache` speaks the lab's words: HIT, REVALIDATED, else MISS (nginx's BYPASS,
 *   EXPIRED, STALE, UPDATING all went to the origin or are not used here).
 */
export const CACHE_MAPS: readonly string[] = [
  '# The lab\'s cache rules (docs/services.md, "Cache"): request directives, Authorization, X-Cache.',
  'map $http_cache_control $topolab_req_no_store {',
  '    default 0;',
  '    "~*no-store" 1;',
  '}',
  'map $http_cache_control $topolab_req_no_cache {',
  '    default 0;',
  '    "~*(?:^|,)\\s*no-cache\\s*(?:$|[,=])" 1;',
  '    "~*(?:^|,)\\s*max-age\\s*=\\s*\\"?0+\\"?\\s*(?:$|,)" 1;',
  '}',
  'map "$http_cache_control|$http_pragma" $topolab_req_pragma {',
  '    default 0;',
  '    "~*^\\|.*no-cache" 1;',
  '}',
  'map $http_authorization $topolab_req_auth {',
  '    default 1;',
  '    "" 0;',
  '}',
  'map $upstream_http_cache_control $topolab_res_shared {',
  '    default 0;',
  '    "~*(?:^|,)\\s*(?:public|s-maxage)" 1;',
  '}',
  'map "$topolab_req_auth$topolab_res_shared" $topolab_auth_no_store {',
  '    default 0;',
  '    10 1;',
  '}',
  'map $upstream_cache_status $topolab_x_cache {',
  '    default MISS;',
  '    HIT HIT;',
  '    REVALIDATED REVALIDATED;',
  '}',
];

/** Cache zone size: 10 MB of keys holds about 80,000 entries. */
const KEYS_ZONE = '10m';

/**
 * Where caches keep their files without a run folder. Debian's nginx has no
 * /var/cache/nginx; /var/lib/nginx is its state folder (its temp paths live there), and
 * nginx creates the last level itself. The official image (Compose, Kubernetes) passes
 * /var/cache/nginx.
 */
export const DEBIAN_CACHE_ROOT = '/var/lib/nginx';

/** The `proxy_cache_path` line (for the `http` block). */
export function cachePathLine(node: CacheNode, zone: string, root: string, report: ReportBuilder): string {
  let line = `proxy_cache_path ${root}/topolab-${zone} levels=1:2 keys_zone=${zone}:${KEYS_ZONE} inactive=60m use_temp_path=off`;
  const maxBytes = node.maxBytes ?? CACHE_DEFAULTS.maxBytes;
  if (maxBytes > 0) line += ` max_size=${size(maxBytes)}`;
  report.approximated(node.id, 'max-bytes', `the size bound (${size(maxBytes)}) applies to nginx's on-disk cache (max_size), not memory; a single answer over an eighth of it is still stored (the lab passes it through unstored)`, 'nothing to do for typical answers; set maxBodyBytes-sized answers aside with proxy_no_cache if the bound matters');
  return `${line};`;
}

/** The cache directives of the cache's location. */
export function writeCacheDirectives(w: ConfigWriter, node: CacheNode, zone: string, report: ReportBuilder): void {
  w.line(`proxy_cache ${zone};`);
  // The lab's key: the normalised host (lower case, no port, no trailing dot: nginx's $host) and the normalised path.
  w.line('proxy_cache_key $scheme$host$uri$is_args$args;');
  const ttl = node.defaultTtl ?? CACHE_DEFAULTS.defaultTtl;
  if (ttl > 0) {
    w.line(`proxy_cache_valid ${CACHE_DEFAULTS.cacheableStatuses.join(' ')} ${ttl}s;`);
    report.expressed(node.id, 'default-ttl', `answers without freshness information (statuses ${CACHE_DEFAULTS.cacheableStatuses.join(', ')}) are kept ${ttl}s`);
  } else {
    report.approximated(node.id, 'default-ttl', 'without a default TTL the lab stores answers that carry validators and revalidates them on every request (REVALIDATED); nginx does not store them (MISS): both go to the origin every time', 'set defaultTtl on the cache to have nginx store answers without freshness information');
  }
  w.line('proxy_cache_revalidate on;');
  // nginx commits an entry only after the answer went out; the lock makes a request that
  // arrives in that instant wait for the entry instead of going to the origin again.
  w.line('proxy_cache_lock on;');
  w.line('proxy_cache_lock_timeout 5s;');
  w.line('proxy_cache_bypass $topolab_req_no_store $topolab_req_no_cache $topolab_req_pragma;');
  w.line('proxy_no_cache $topolab_req_no_store $topolab_auth_no_store;');
  w.line('add_header X-Cache $topolab_x_cache always;');
  report.expressed(node.id, 'cache', 'proxy_cache keyed on host and normalised path, with revalidation (If-Modified-Since / If-None-Match) and X-Cache HIT / REVALIDATED / MISS');
  report.expressed(node.id, 'request-directives', 'Cache-Control: no-store bypasses the cache; no-cache, max-age=0 and Pragma: no-cache go to the origin (proxy_cache_bypass)');
  report.expressed(node.id, 'authorization', 'an answer to a request with Authorization is stored only when it says public or s-maxage (proxy_no_cache)');
  report.approximated(node.id, 'revalidation', 'a request with no-cache / max-age=0 / Pragma: no-cache fetches the whole answer (the lab sends a conditional request and may answer REVALIDATED); an answer with Cache-Control: no-cache is not stored at all (the lab stores and revalidates it): both go to the origin', 'nothing to do: clients get the same answers, only the X-Cache word differs (MISS instead of REVALIDATED)');
  report.approximated(node.id, 'collapsing', 'requests for an answer nginx is fetching wait for it (proxy_cache_lock) and get it from the cache; the lab sends each of them to the origin. With several workers, a request arriving in the instant nginx commits an entry can still go to the origin (a MISS where the lab answers HIT)', 'nothing to do: fewer origin requests than in the lab; remove proxy_cache_lock to match the lab exactly');
  report.notExpressible(node.id, 'invalidation', 'POST, PUT, DELETE and PATCH do not drop the stored answer for their URL (the lab does, RFC 9111 4.4): nginx open source has no invalidation; use short TTLs or purge', 'keep TTLs short for URLs that change through POST/PUT/DELETE/PATCH, or use the HAProxy export, whose cache drops the entry');
  report.notExpressible(node.id, 'purge', 'purge on demand needs NGINX Plus (proxy_cache_purge); delete the cache folder instead', 'delete the cache folder (or restart nginx with an empty one) to purge');
}
