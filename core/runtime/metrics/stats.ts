import type { NodeMetrics, ServiceKind } from '../services/types.js';
import { LatencyHistogram } from './histogram.js';

/**
 * The counters every service keeps: plain fields and a typed array for status codes, so
 * the hot path only increments numbers. `snapshot()` builds the `NodeMetrics` object.
 */
export class ServiceStats {
  requests = 0;
  activeConnections = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly latency = new LatencyHistogram();
  private readonly statusCounts = new Float64Array(600);

  /** Counts one finished request: its status and how long it took. */
  finish(status: number, ms: number): void {
    this.requests += 1;
    if (status >= 100 && status < 600) this.statusCounts[status] = (this.statusCounts[status] ?? 0) + 1;
    this.latency.record(ms);
  }

  /** Status code counts as `{ "200": n }` (codes never seen are left out). */
  statusCodes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let code = 100; code < 600; code += 1) {
      const n = this.statusCounts[code] ?? 0;
      if (n > 0) out[String(code)] = n;
    }
    return out;
  }

  /** The metrics snapshot; `extra` adds the cache or upstream sections. */
  snapshot(nodeId: string, kind: ServiceKind, listening: boolean, extra: Partial<NodeMetrics> = {}): NodeMetrics {
    return {
      nodeId,
      kind,
      at: Date.now(),
      listening,
      requests: this.requests,
      statusCodes: this.statusCodes(),
      activeConnections: this.activeConnections,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      latencyMs: this.latency.summary(),
      ...extra,
    };
  }
}
