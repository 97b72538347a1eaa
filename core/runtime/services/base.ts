import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ServiceStats } from '../metrics/stats.js';
import { createHttpFrontEnd, type HttpFrontEnd } from '../http/front-end.js';
import type { TargetMode } from '../http/hygiene.js';
import type { Endpoint, HttpLimits, NodeMetrics, ServiceEvent, ServiceKind, ServiceOptions } from './types.js';

/**
 * What every HTTP service shares: the front end with request hygiene, start/stop with a
 * stable port across restarts, stats and events. Subclasses implement `handle` and may
 * hook `onStart`/`onStop` for timers and pools.
 */
export abstract class HttpServiceBase {
  readonly nodeId: string;
  abstract readonly kind: ServiceKind;
  protected readonly stats = new ServiceStats();
  protected readonly host: string;
  protected readonly front: HttpFrontEnd;
  private readonly pinnedPort: number | undefined;
  private lastPort: number | undefined;
  private bound: Endpoint | undefined;
  private starting: Promise<Endpoint> | undefined;
  private readonly listener: ((event: ServiceEvent) => void) | undefined;

  /** `mode`: how the front end reads request targets (`proxy` only for the forward proxy), per client socket when a function. */
  protected constructor(options: ServiceOptions, limits?: HttpLimits, mode: TargetMode | ((socket: Socket) => TargetMode) = 'server') {
    this.nodeId = options.nodeId;
    this.host = options.host ?? '127.0.0.1';
    this.pinnedPort = options.port;
    this.listener = options.onEvent;
    this.front = createHttpFrontEnd(this.nodeId, (req, res) => this.handle(req, res), this.stats, limits, mode);
    // An error after listening (EMFILE on accept, ...) must be reported, not crash the lab.
    this.front.server.on('error', (err: NodeJS.ErrnoException) => {
      if (this.bound !== undefined) this.emit({ type: 'log', nodeId: this.nodeId, level: 'error', message: `listener error: ${err.code ?? err.message}` });
    });
  }

  /** Serves one request that passed the hygiene checks. */
  protected abstract handle(req: IncomingMessage, res: ServerResponse): void;

  /** Called before listening (start timers, health checks). */
  protected onStart(): void {}

  /** Called after the listener closed (stop timers, close pools). */
  protected async onStop(): Promise<void> {}

  /** Reports an event; a throwing listener never breaks the service. */
  protected emit(event: ServiceEvent): void {
    try {
      this.listener?.(event);
    } catch {
      // The lab's listener is not ours to crash on.
    }
  }

  start(): Promise<Endpoint> {
    if (this.bound !== undefined) return Promise.resolve(this.bound);
    this.starting ??= (async () => {
      try {
        const endpoint = await this.front.listen(this.host, this.pinnedPort ?? this.lastPort ?? 0);
        this.bound = endpoint;
        this.lastPort = endpoint.port;
        this.onStart();
        this.emit({ type: 'listening', nodeId: this.nodeId, endpoint });
        return endpoint;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  async stop(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined);
    const wasBound = this.bound !== undefined;
    this.bound = undefined;
    await this.front.close();
    try {
      await this.onStop();
    } catch {
      // stop() never rejects: a pool that fails to close is already unusable.
    }
    if (wasBound) this.emit({ type: 'stopped', nodeId: this.nodeId });
  }

  endpoint(): Endpoint | undefined {
    return this.bound;
  }

  /** The stats snapshot; subclasses add their sections through `extra`. */
  protected snapshot(extra: Partial<NodeMetrics> = {}): NodeMetrics {
    return this.stats.snapshot(this.nodeId, this.kind, this.bound !== undefined, {
      activeConnections: this.front.sockets.size,
      bytesIn: this.front.sockets.bytesRead(),
      bytesOut: this.front.sockets.bytesWritten(),
      ...extra,
    });
  }

  metrics(): NodeMetrics {
    return this.snapshot();
  }
}
