import { trace, type TraceResult } from '../../routing/trace.js';
import type { Topology } from '../../model/types.js';
import type { ConnectGate, GateVerdict } from '../services/types.js';

/** What to trace to for a lab node: its id (an auto-scaling instance is `group#n`, which `trace` places in its own subnet). */
export type TraceTarget = { to: string; port?: number };

/**
 * The design's routing as a `ConnectGate`: a service may open an upstream connection only
 * when `trace` says the flow is reachable in the (possibly faulted) design. Verdicts are
 * cached per pair, since the gate sits on every upstream connection; `setTopology` (a
 * route dropped or restored) clears the cache so the next connection obeys the change.
 */
export class RoutingGate {
  private topology: Topology;
  private readonly cache = new Map<string, GateVerdict>();

  /**
   * @param locate maps a lab node id to what to trace to; by default the id itself, which
   *   `trace` understands for design nodes and auto-scaling instances (`group#n`) alike.
   */
  constructor(
    topology: Topology,
    private readonly locate: (nodeId: string) => TraceTarget = (nodeId) => ({ to: nodeId }),
  ) {
    this.topology = topology;
  }

  /** Replaces the design the gate traces against and forgets every cached verdict. */
  setTopology(topology: Topology): void {
    this.topology = topology;
    this.cache.clear();
  }

  /** The full trace of one flow (for messages and the request inspector). */
  trace(fromNodeId: string, toNodeId: string): TraceResult {
    const from = this.locate(fromNodeId);
    const target = this.locate(toNodeId);
    return trace(this.topology, { from: from.to, to: target.to, ...(target.port !== undefined ? { port: target.port } : {}) });
  }

  /** The gate function handed to services. */
  readonly gate: ConnectGate = (fromNodeId, toNodeId) => {
    const key = `${fromNodeId}\u0000${toNodeId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const verdict = this.evaluate(fromNodeId, toNodeId);
    this.cache.set(key, verdict);
    return verdict;
  };

  private evaluate(fromNodeId: string, toNodeId: string): GateVerdict {
    let result: TraceResult;
    try {
      result = this.trace(fromNodeId, toNodeId);
    } catch (error) {
      // A flow the tracer cannot even place is not one the design allows.
      return { allowed: false, blockedBy: fromNodeId, reason: error instanceof Error ? error.message : String(error) };
    }
    if (result.verdict === 'reachable') return { allowed: true };
    return { allowed: false, blockedBy: result.blockedBy?.nodeId ?? fromNodeId, reason: result.blockedBy?.reason ?? 'the design does not route this flow' };
  }
}
