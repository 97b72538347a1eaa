import type { IncomingHttpHeaders } from 'node:http';
import { varyMatches } from './cache-policy.js';

/** One stored response variant. */
export interface CacheEntry {
  /** `host` + request target. */
  key: string;
  /** The request target's path without query, for purge by path. */
  path: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Request header values the response varies on. */
  vary: Record<string, string>;
  storedAt: number;
  /** The origin's `Age` when stored. */
  initialAge: number;
  /** Freshness lifetime in seconds. */
  lifetime: number;
  size: number;
}

/** Rough stored size: body plus header text plus a fixed overhead per entry. */
export function entrySize(headers: IncomingHttpHeaders, body: Buffer): number {
  let size = body.length + 256;
  for (const [name, value] of Object.entries(headers)) size += name.length + String(value).length + 4;
  return size;
}

/**
 * The cache's storage: variants grouped by key, least recently used keys evicted first
 * until the total size fits `maxBytes` (a Map keeps insertion order, so re-inserting on
 * access is the LRU update).
 */
export class CacheStore {
  private readonly byKey = new Map<string, CacheEntry[]>();
  private total = 0;
  private count = 0;

  constructor(private readonly maxBytes: number) {}

  /** Responses larger than this are passed through unstored (an eighth of the cache). */
  get maxEntryBytes(): number {
    return Math.floor(this.maxBytes / 8);
  }

  /** The variant matching the request's headers, marked as recently used. */
  lookup(key: string, requestHeaders: IncomingHttpHeaders): CacheEntry | undefined {
    const variants = this.byKey.get(key);
    if (variants === undefined) return undefined;
    this.byKey.delete(key);
    this.byKey.set(key, variants);
    return variants.find((v) => varyMatches(v.vary, requestHeaders));
  }

  /** Stores (or replaces the same-vary variant of) an entry; entries larger than the whole cache are refused. */
  put(entry: CacheEntry): boolean {
    if (entry.size > this.maxBytes) return false;
    const variants = this.byKey.get(entry.key) ?? [];
    const same = variants.findIndex((v) => JSON.stringify(v.vary) === JSON.stringify(entry.vary));
    if (same !== -1) {
      const old = variants[same] as CacheEntry;
      this.total -= old.size;
      this.count -= 1;
      variants.splice(same, 1);
    }
    variants.push(entry);
    this.total += entry.size;
    this.count += 1;
    this.byKey.delete(entry.key);
    this.byKey.set(entry.key, variants);
    this.evict();
    return true;
  }

  /** Re-accounts an entry whose headers changed in place (revalidation). */
  resize(entry: CacheEntry, newSize: number): void {
    this.total += newSize - entry.size;
    entry.size = newSize;
    this.evict();
  }

  /** Removes every variant of a key (after an unsafe method on it); returns how many went. */
  invalidate(key: string): number {
    const variants = this.byKey.get(key);
    if (variants === undefined) return 0;
    this.byKey.delete(key);
    for (const v of variants) this.total -= v.size;
    this.count -= variants.length;
    return variants.length;
  }

  /** Drops every entry, or those whose path equals `path`. */
  purge(path?: string): number {
    if (path === undefined) {
      const n = this.count;
      this.byKey.clear();
      this.total = 0;
      this.count = 0;
      return n;
    }
    let removed = 0;
    for (const [key, variants] of this.byKey) {
      if (variants.some((v) => v.path === path)) removed += this.invalidate(key);
    }
    return removed;
  }

  get bytes(): number {
    return this.total;
  }

  get entries(): number {
    return this.count;
  }

  private evict(): void {
    for (const [key] of this.byKey) {
      if (this.total <= this.maxBytes) break;
      this.invalidate(key);
    }
  }
}
