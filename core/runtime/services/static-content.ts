import { fnv1a } from '../balancing/algorithms.js';
import { headerListItems } from '../http/headers.js';

/** `Last-Modified` of all static content: the module's load time, whole seconds (HTTP dates have no fraction). */
export const STATIC_LAST_MODIFIED = new Date(Math.floor(Date.now() / 1000) * 1000);

/** A static resource of the built-in backend: same bytes and validators on every backend. */
export interface StaticResource {
  body: Buffer;
  etag: string;
  lastModified: Date;
  maxAgeSeconds: number;
}

const MAX_STATIC_BYTES = 1024 * 1024;

/**
 * The resource for `/static/...`: deterministic content named after the path, `?bytes=N`
 * (at most 1 MiB) pads it to a size, `?max-age=N` sets its freshness (default 60 s), so
 * cache behaviour can be shown without a custom origin.
 */
export function staticResource(pathname: string, query: URLSearchParams): StaticResource {
  const wanted = Number(query.get('bytes') ?? '');
  const maxAge = Number(query.get('max-age') ?? '60');
  const head = `static content of ${pathname}\n`;
  let text = head;
  if (Number.isInteger(wanted) && wanted > head.length) text = head + '.'.repeat(Math.min(wanted, MAX_STATIC_BYTES) - head.length);
  const body = Buffer.from(text);
  return {
    body,
    etag: `"${fnv1a(text).toString(16)}-${body.length.toString(16)}"`,
    lastModified: STATIC_LAST_MODIFIED,
    maxAgeSeconds: Number.isInteger(maxAge) && maxAge >= 0 ? maxAge : 60,
  };
}

/** Whether an `If-None-Match` list names `etag` (weak comparison, `*` matches anything). */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return headerListItems(ifNoneMatch).some((candidate) => candidate === '*' || candidate.replace(/^W\//, '') === bare);
}

/**
 * RFC 9110 13.2.2: `If-None-Match` decides when present; otherwise `If-Modified-Since`
 * holds when the resource has not changed since that date.
 */
export function isNotModified(ifNoneMatch: string | undefined, ifModifiedSince: string | undefined, etag: string, lastModified: Date): boolean {
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, etag);
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    return Number.isFinite(since) && lastModified.getTime() <= since;
  }
  return false;
}
