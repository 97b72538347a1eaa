import { Tracer, type TraceResult } from '../../routing/trace.js';
import type { Topology } from '../../model/types.js';
import type { ConnectGate, GateFlow, GateVerdict } from '../services/types.js';

/** Verdicts kept at most; past it the oldest goes (a flow traced again costs one trace). */
export const MAX_CACHED_FLOWS = 4096;

/** What to trace to for a lab node: its id (an auto-scaling instance is `group#n`, which `trace` places in its own subnet). */
export type TraceTarget = { to: string; port?: number };

/**
 * The design's routing and filters as a `ConnectGate`: a service may open a connection
 * (an upstream request, a tunnel, a health probe) only when `trace` says the flow is
 * reachable in the (possibly faulted or live-edited) design, for its protocol and port:
 * route tables, gateways, security groups and network ACLs, the reply included. Verdicts
 * are cached per flow, since the gate sits on every connection; `setTopology` (a route
 * dropped or restored, a filter edited) clears the cache so the next connection obeys.
 */
export class RoutingGate {
  private topology: Topology;
  private tracer: Tracer;
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
    this.tracer = new Tracer(topology);
  }

  /** How many verdicts are cached (at most `MAX_CACHED_FLOWS`). */
  get cachedFlows(): number {
    return this.cache.size;
  }

  /** The design the gate traces against now. */
  get current(): Topology {
    return this.topology;
  }

  /** Replaces the design the gate traces against and forgets every cached verdict. */
  setTopology(topology: Topology): void {
    this.topology = topology;
    this.tracer = new Tracer(topology);
    this.cache.clear();
  }

  /**
   * The full trace of one flow (for messages and the request inspector). Without a port,
   * the target's designed port (the one the lab connects to); a server's call passes its
   * edge's port. tcp unless told otherwise.
   */
  trace(fromNodeId: string, toNodeId: string, flow: GateFlow = {}): TraceResult {
    const from = this.locate(fromNodeId);
    const target = this.locate(toNodeId);
    const port = flow.port ?? target.port;
    return this.tracer.trace({ from: from.to, to: target.to, ...(port !== undefined ? { port } : {}), protocol: flow.protocol ?? 'tcp' });
  }

  /** The gate function handed to services. */
  readonly gate: ConnectGate = (fromNodeId, toNodeId, flow) => {
    const key = `${fromNodeId}\u0000${toNodeId}\u0000${flow?.port ?? ''}\u0000${flow?.protocol ?? 'tcp'}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const verdict = this.evaluate(fromNodeId, toNodeId, flow);
    // Bounded: a forward proxy's clients choose the address and port, so the flows are theirs to multiply.
    if (this.cache.size >= MAX_CACHED_FLOWS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, verdict);
    return verdict;
  };

  private evaluate(fromNodeId: string, toNodeId: string, flow: GateFlow | undefined): GateVerdict {
    let result: TraceResult;
    try {
      result = this.trace(fromNodeId, toNodeId, flow);
    } catch (error) {
      // A flow the tracer cannot even place is not one the design allows.
      return { allowed: false, blockedBy: fromNodeId, reason: error instanceof Error ? error.message : String(error), code: 'untraceable' };
    }
    if (result.verdict === 'reachable') return { allowed: true };
    const blocked = result.blockedBy;
    if (!blocked) return { allowed: false, blockedBy: fromNodeId, reason: 'the design does not route this flow', code: 'untraceable' };
    return { allowed: false, blockedBy: blocked.nodeId, reason: blocked.reason, code: blocked.code };
  }
}
