import { UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import net, { type Socket } from 'node:net';
import type { HealthCheck } from '../../model/index.js';
import { fnv1a } from '../balancing/algorithms.js';
import { HealthChecker, resolveHealthCheck } from '../balancing/health.js';
import { TargetPool, type TargetState } from '../balancing/pool.js';
import { closeServer, listenOn } from '../http/front-end.js';
import { stripV4Mapped } from '../http/headers.js';
import { requireLabEndpoint } from '../http/lab-endpoint.js';
import { SocketRegistry } from '../http/sockets.js';
import { ServiceStats } from '../metrics/stats.js';
import {
  allowAll,
  type BalancerOptions,
  type BalancerService,
  type BalancingAlgorithm,
  type ConnectGate,
  type Endpoint,
  type NodeMetrics,
  type ServiceEvent,
  type UpstreamTarget,
} from './types.js';

/**
 * The layer-4 (TCP) balancer: each accepted connection is paused until an upstream picked
 * by the algorithm accepts, then both directions are piped with backpressure. A failed
 * connect is retried once on another target (nothing was sent yet); after that, an error
 * or close on either side closes both. Metrics count connections and their lifetimes.
 */
export class L4Balancer implements BalancerService {
  readonly kind = 'l4-balancer' as const;
  readonly nodeId: string;
  private readonly stats = new ServiceStats();
  private readonly sockets = new SocketRegistry();
  private readonly upstreamSockets = new Set<Socket>();
  private readonly pool: TargetPool;
  private readonly gate: ConnectGate;
  private readonly connectTimeoutMs: number;
  private readonly server: net.Server;
  private checker: HealthChecker | undefined;
  private healthCheck: HealthCheck | undefined;
  private bound: Endpoint | undefined;
  private lastPort: number | undefined;
  /** Shared by every upstream socket's reads; safe because each read is copied out synchronously. */
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);

  constructor(private readonly options: BalancerOptions) {
    this.nodeId = options.nodeId;
    this.gate = options.gate ?? allowAll;
    this.connectTimeoutMs = options.connectTimeoutMs ?? UPSTREAM_DEFAULTS.connectTimeoutMs;
    this.pool = new TargetPool(this.nodeId, options.algorithm ?? 'round-robin', options.passive, (e) => this.emit(e), { gate: this.gate });
    this.pool.setTargets(options.targets ?? []);
    this.server = net.createServer({ pauseOnConnect: true, noDelay: true }, (client) => this.accept(client));
    // An error after listening (EMFILE on accept, ...) must be reported, not crash the lab.
    this.server.on('error', (err: NodeJS.ErrnoException) => {
      if (this.bound !== undefined) this.emit({ type: 'log', nodeId: this.nodeId, level: 'error', message: `listener error: ${err.code ?? err.message}` });
    });
    if (options.healthCheck) this.setHealthCheck(options.healthCheck);
  }

  private accept(client: Socket): void {
    const started = performance.now();
    this.sockets.add(client);
    this.stats.requests += 1;
    client.once('close', () => this.stats.latency.record(performance.now() - started));
    client.on('error', () => client.destroy());
    const keyHash = this.pool.algorithm === 'source-hash' ? fnv1a(stripV4Mapped(client.remoteAddress ?? '')) : 0;
    const target = this.pool.pick(keyHash);
    if (target === undefined) {
      client.destroy();
      return;
    }
    this.connect(client, target, keyHash, 0);
  }

  private connect(client: Socket, target: TargetState, keyHash: number, tries: number): void {
    const verdict = this.gate(this.nodeId, target.nodeId);
    if (!verdict.allowed || client.destroyed) {
      client.destroy();
      return;
    }
    let endpoint: Endpoint;
    try {
      endpoint = requireLabEndpoint(target.target.endpoint);
    } catch {
      client.destroy();
      return;
    }
    target.active += 1;
    const { host, port } = endpoint;
    // Upstream reads land in one shared buffer and are copied out at their real size:
    // cheaper than Node's default of a fresh 64 KiB allocation per read, shrunk afterwards.
    const resumeUpstream = (): void => {
      upstream.resume();
    };
    const upstream = net.connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: this.readBuffer,
        callback: (bytes: number, buffer: Uint8Array): boolean => {
          const chunk = Buffer.allocUnsafe(bytes);
          chunk.set(buffer.subarray(0, bytes));
          if (client.write(chunk)) return true;
          client.once('drain', resumeUpstream);
          return false;
        },
      },
    });
    this.upstreamSockets.add(upstream);
    let connected = false;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      target.active -= 1;
    };
    const timer = setTimeout(() => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), this.connectTimeoutMs);
    upstream.once('connect', () => {
      clearTimeout(timer);
      connected = true;
      this.pool.reportSuccess(target);
      // A direct data handler instead of pipe(): the same backpressure with less
      // per-chunk stream machinery on the hottest path of the layer-4 balancer.
      client.on('data', (chunk: Buffer) => {
        if (!upstream.write(chunk)) client.pause();
      });
      upstream.on('drain', () => client.resume());
      client.once('end', () => upstream.end());
      upstream.once('end', () => client.end());
      client.resume();
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (connected) {
        client.destroy();
        return;
      }
      this.pool.reportFailure(target, `tcp connect failed (${err.code ?? err.message})`);
      release();
      if (tries === 0 && !client.destroyed) {
        const other = this.pool.pick(keyHash, target);
        if (other !== undefined && other !== target) {
          this.connect(client, other, keyHash, 1);
          return;
        }
      }
      client.destroy();
    });
    upstream.once('close', () => {
      clearTimeout(timer);
      this.upstreamSockets.delete(upstream);
      release();
      if (connected) client.destroy();
    });
    client.once('close', () => upstream.destroy());
  }

  async start(): Promise<Endpoint> {
    if (this.bound !== undefined) return this.bound;
    const endpoint = await listenOn(this.server, this.options.host ?? '127.0.0.1', this.options.port ?? this.lastPort ?? 0, this.nodeId);
    this.bound = endpoint;
    this.lastPort = endpoint.port;
    this.checker?.start();
    this.emit({ type: 'listening', nodeId: this.nodeId, endpoint });
    return endpoint;
  }

  async stop(): Promise<void> {
    const wasBound = this.bound !== undefined;
    this.bound = undefined;
    this.checker?.stop();
    this.pool.dispose();
    for (const socket of this.upstreamSockets) socket.destroy();
    await closeServer(this.server, this.sockets);
    if (wasBound) this.emit({ type: 'stopped', nodeId: this.nodeId });
  }

  endpoint(): Endpoint | undefined {
    return this.bound;
  }

  setTargets(targets: readonly UpstreamTarget[]): void {
    const before = new Set(this.pool.all().map((s) => s.nodeId));
    this.pool.setTargets(targets, this.healthCheck === undefined);
    for (const t of targets) if (!before.has(t.nodeId)) this.checker?.probeNow(t.nodeId);
  }

  setAlgorithm(algorithm: BalancingAlgorithm): void {
    this.pool.algorithm = algorithm;
  }

  setHealthCheck(check: HealthCheck | undefined): void {
    this.healthCheck = check;
    this.checker?.stop();
    this.checker = undefined;
    if (check === undefined) {
      this.pool.markAllHealthy();
      return;
    }
    this.checker = new HealthChecker(this.pool, resolveHealthCheck(check, 'tcp'));
    if (this.bound !== undefined) this.checker.start();
  }

  setWeight(nodeId: string, weight: number): void {
    this.pool.setWeight(nodeId, weight);
  }

  metrics(): NodeMetrics {
    return this.stats.snapshot(this.nodeId, this.kind, this.bound !== undefined, {
      activeConnections: this.sockets.size,
      bytesIn: this.sockets.bytesRead(),
      bytesOut: this.sockets.bytesWritten(),
      upstreams: this.pool.metrics(),
    });
  }

  private emit(event: ServiceEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // Never let a listener break the balancer.
    }
  }
}
