import { Pool } from 'undici';
import type { Endpoint, UpstreamTarget } from '../services/types.js';
import { requireLabEndpoint } from './lab-endpoint.js';
import { targetTls, upstreamTlsConnector, type UpstreamTlsOptions } from './upstream-tls.js';

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
 * the endpoint leaves the target list or the service stops. With `tls` (a forwarder with
 * `tls.upstream`) every pool connects to its target's HTTPS listener instead, over a
 * connector of its own that trusts only the given CA and sends the target's name as SNI;
 * without it the plain path is exactly what it was (one key, one map lookup).
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  /**
   * The last pool handed out for an endpoint object (targets keep theirs), so the hot path
   * skips building a key string per request; a pool that was since closed or destroyed
   * (`replace`, `retain`, `closeAll`) is never returned from here.
   */
  private readonly byEndpoint = new WeakMap<Endpoint, Pool>();
  /** Pools taken out by `replace`, still finishing their requests. */
  private readonly retired = new Map<Pool, NodeJS.Timeout>();

  constructor(
    private readonly settings: PoolSettings,
    private readonly tls?: UpstreamTlsOptions,
  ) {}

  /**
   * The pool for a target (created lazily); throws `OutsideLabError` for anything but a lab
   * endpoint, and, over TLS, `NoTlsListenerError` for a target without an HTTPS listener.
   */
  get(target: UpstreamTarget): Pool {
    return this.tls !== undefined ? this.secureGet(target, this.tls) : this.plain(target.endpoint);
  }

  /** The plain HTTP pool of an endpoint (the forward proxy's and servers' calls, which never use TLS). */
  plain(endpoint: Endpoint): Pool {
    const cached = this.byEndpoint.get(endpoint);
    if (cached !== undefined && !cached.closed && !cached.destroyed) return cached;
    const key = `${endpoint.host}:${endpoint.port}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      requireLabEndpoint(endpoint);
      pool = new Pool(`http://${hostPart(endpoint)}:${endpoint.port}`, { ...this.poolOptions(), connect: { timeout: this.settings.connectTimeoutMs } });
      this.pools.set(key, pool);
    }
    this.byEndpoint.set(endpoint, pool);
    return pool;
  }

  private secureGet(target: UpstreamTarget, tls: UpstreamTlsOptions): Pool {
    const { endpoint, servername } = targetTls(target);
    const key = `${endpoint.host}:${endpoint.port}/${servername}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      requireLabEndpoint(endpoint);
      pool = new Pool(`https://${hostPart(endpoint)}:${endpoint.port}`, { ...this.poolOptions(), connect: upstreamTlsConnector(tls, servername, this.settings.connectTimeoutMs) });
      this.pools.set(key, pool);
    }
    return pool;
  }

  private poolOptions(): Pool.Options {
    return {
      connections: this.settings.connections,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 30_000,
      headersTimeout: this.settings.timeoutMs,
      bodyTimeout: this.settings.timeoutMs,
    };
  }

  /** The pool key of a target (undefined over TLS for a target without a listener: it has no pool). */
  private keyOf(target: UpstreamTarget | Endpoint): string | undefined {
    if (!('nodeId' in target)) return `${target.host}:${target.port}`;
    if (this.tls === undefined) return `${target.endpoint.host}:${target.endpoint.port}`;
    const tls = target.tls;
    return tls === undefined ? undefined : `${tls.endpoint.host}:${tls.endpoint.port}/${tls.servername}`;
  }

  /**
   * Swaps a target's (or a plain endpoint's) pool for a fresh one. For a pool undici refused a request in:
   * undici then leaves that client marked busy, so the pool would lose a slot for good.
   * Requests still running on the old pool finish; it is destroyed after the timeout.
   */
  replace(target: UpstreamTarget | Endpoint): void {
    const key = this.keyOf(target);
    if (key === undefined) return;
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

  /** Closes pools whose target is not in `keep` (targets that left or moved). */
  retain(keep: readonly UpstreamTarget[]): void {
    const wanted = new Set(keep.map((t) => this.keyOf(t)));
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

function hostPart(endpoint: Endpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
}
