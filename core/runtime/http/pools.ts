import { Pool } from 'undici';
import type { Endpoint } from '../services/types.js';

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

  constructor(private readonly settings: PoolSettings) {}

  /** The pool for an endpoint (created lazily). */
  get(endpoint: Endpoint): Pool {
    const key = `${endpoint.host}:${endpoint.port}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
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
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((pool) => pool.destroy().catch(() => undefined)));
  }
}
