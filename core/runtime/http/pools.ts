import { Pool } from 'undici';
import type { Endpoint } from '../services/types.js';
import { requireLabEndpoint } from './lab-endpoint.js';

/** Keep-alive settings for upstream pools. */
export interface PoolSettings {
  /** Sockets per upstream. */
  connections: number;
  connectTimeoutMs: number;
  /** Response-header and body-gap timeout. */
  timeoutMs: number;
}

/**
 * One undici keep-alive Pool per upstream endpoint, created on first use and closed when
 * the endpoint leaves the target list or the service stops.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  /** Pools taken out by `replace`, still finishing their requests. */
  private readonly retired = new Map<Pool, NodeJS.Timeout>();

  constructor(private readonly settings: PoolSettings) {}

  /** The pool for an endpoint (created lazily); throws `OutsideLabError` for anything but a lab endpoint. */
  get(endpoint: Endpoint): Pool {
    const key = `${endpoint.host}:${endpoint.port}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      requireLabEndpoint(endpoint);
      pool = new Pool(`http://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`, {
        connections: this.settings.connections,
        pipelining: 1,
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 30_000,
        headersTimeout: this.settings.timeoutMs,
        bodyTimeout: this.settings.timeoutMs,
        connect: { timeout: this.settings.connectTimeoutMs },
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Swaps an endpoint's pool for a fresh one. For a pool undici refused a request in:
   * undici then leaves that client marked busy, so the pool would lose a slot for good.
   * Requests still running on the old pool finish; it is destroyed after the timeout.
   */
  replace(endpoint: Endpoint): void {
    const key = `${endpoint.host}:${endpoint.port}`;
    const old = this.pools.get(key);
    if (old === undefined) return;
    this.pools.delete(key);
    const timer = setTimeout(() => void old.destroy().catch(() => undefined), this.settings.timeoutMs);
    timer.unref();
    this.retired.set(old, timer);
    const settled = (): void => {
      clearTimeout(timer);
      this.retired.delete(old);
    };
    void old.close().then(settled, settled);
  }

  /** Closes pools whose endpoint is not in `keep` (targets that left or moved). */
  retain(keep: readonly Endpoint[]): void {
    const wanted = new Set(keep.map((e) => `${e.host}:${e.port}`));
    for (const [key, pool] of this.pools) {
      if (!wanted.has(key)) {
        this.pools.delete(key);
        void pool.destroy().catch(() => undefined);
      }
    }
  }

  /** Destroys every pool and its sockets (in-flight requests fail). */
  async closeAll(): Promise<void> {
    const all = [...this.pools.values(), ...this.retired.keys()];
    for (const timer of this.retired.values()) clearTimeout(timer);
    this.pools.clear();
    this.retired.clear();
    await Promise.all(all.map((pool) => pool.destroy().catch(() => undefined)));
  }
}
