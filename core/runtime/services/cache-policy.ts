import type { IncomingHttpHeaders } from 'node:http';
import { CACHE_DEFAULTS } from '../../model/defaults.js';
import { headerListItems } from '../http/headers.js';

/** Cache-Control directives: name -> argument (`true` for bare directives). Names are lower case. */
export type Directives = Map<string, string | true>;

/** Parses a Cache-Control value (or several); unknown directives are kept, malformed ones skipped. */
export function parseCacheControl(value: string | readonly string[] | undefined): Directives {
  const out: Directives = new Map();
  if (value === undefined) return out;
  const text = typeof value === 'string' ? value : value.join(',');
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq === -1) {
      out.set(trimmed.toLowerCase(), true);
    } else {
      const arg = trimmed.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      out.set(trimmed.slice(0, eq).trim().toLowerCase(), arg);
    }
  }
  return out;
}

/** A delta-seconds directive as a number, or undefined when absent or malformed. */
export function seconds(directives: Directives, name: string): number | undefined {
  const value = directives.get(name);
  if (value === undefined || value === true || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Statuses a shared cache may store by default (RFC 9110 15.1, the common subset; core/model/defaults.ts). */
const CACHEABLE_STATUS = new Set<number>(CACHE_DEFAULTS.cacheableStatuses);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Whether a shared cache may store this response (RFC 9111 3): GET only, a cacheable
 * status, no `no-store` on either side, not `private`, no `Set-Cookie`, not `Vary: *`,
 * and a request with `Authorization` only when the response says `public` or `s-maxage`.
 */
export function isStorable(method: string, requestHeaders: IncomingHttpHeaders, status: number, responseHeaders: IncomingHttpHeaders): boolean {
  if (method !== 'GET' || !CACHEABLE_STATUS.has(status)) return false;
  const req = parseCacheControl(requestHeaders['cache-control']);
  const res = parseCacheControl(responseHeaders['cache-control']);
  if (req.has('no-store') || res.has('no-store') || res.has('private')) return false;
  if (responseHeaders['set-cookie'] !== undefined) return false;
  if (headerListItems(responseHeaders['vary']).includes('*')) return false;
  if (requestHeaders['authorization'] !== undefined && !res.has('public') && !res.has('s-maxage')) return false;
  return true;
}

/**
 * Freshness lifetime in seconds (RFC 9111 4.2.1): `s-maxage`, then `max-age`, then
 * `Expires` minus `Date`, else `defaultTtl`. `no-cache` makes it 0 (always revalidate).
 */
export function freshnessLifetime(responseHeaders: IncomingHttpHeaders, storedAt: number, defaultTtl: number): number {
  const cc = parseCacheControl(responseHeaders['cache-control']);
  if (cc.has('no-cache')) return 0;
  const shared = seconds(cc, 's-maxage');
  if (shared !== undefined) return shared;
  const maxAge = seconds(cc, 'max-age');
  if (maxAge !== undefined) return maxAge;
  const expires = header(responseHeaders, 'expires');
  if (expires !== undefined) {
    const at = Date.parse(expires);
    if (!Number.isFinite(at)) return 0; // An invalid Expires means "already expired".
    const date = Date.parse(header(responseHeaders, 'date') ?? '');
    return Math.max(0, Math.floor((at - (Number.isFinite(date) ? date : storedAt)) / 1000));
  }
  return defaultTtl;
}

/** Current age in whole seconds: the origin's `Age` plus the time the entry has been stored. */
export function currentAge(initialAge: number, storedAt: number, now: number): number {
  return Math.max(0, Math.floor(initialAge + (now - storedAt) / 1000));
}

/** Whether the request forbids a stored answer without revalidation (`no-cache`, `max-age=0`, `Pragma: no-cache`). */
export function requestWantsRevalidation(requestHeaders: IncomingHttpHeaders): boolean {
  const cc = parseCacheControl(requestHeaders['cache-control']);
  if (cc.has('no-cache')) return true;
  if (seconds(cc, 'max-age') === 0) return true;
  return requestHeaders['cache-control'] === undefined && /no-cache/i.test(header(requestHeaders, 'pragma') ?? '');
}

/** The request header values a response's `Vary` names, normalized, as a comparable record. */
export function varyKey(varyHeader: string | undefined, requestHeaders: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of headerListItems(varyHeader)) {
    const name = item.toLowerCase();
    out[name] = (header(requestHeaders, name) ?? '').trim().replace(/\s+/g, ' ');
  }
  return out;
}

/** Whether a request carries the same values for every header a stored variant varies on. */
export function varyMatches(stored: Record<string, string>, requestHeaders: IncomingHttpHeaders): boolean {
  for (const [name, value] of Object.entries(stored)) {
    if ((header(requestHeaders, name) ?? '').trim().replace(/\s+/g, ' ') !== value) return false;
  }
  return true;
}

/** Headers a 304 must not overwrite in the stored response (RFC 9111 3.2 keeps framing). */
const NOT_UPDATED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'content-range']);

/** Applies a 304's headers to a stored response's headers (RFC 9111 4.3.4). */
export function mergeNotModified(stored: IncomingHttpHeaders, fresh: IncomingHttpHeaders): IncomingHttpHeaders {
  const merged: IncomingHttpHeaders = { ...stored };
  for (const [name, value] of Object.entries(fresh)) {
    if (value !== undefined && !NOT_UPDATED.has(name)) merged[name] = value;
  }
  return merged;
}
