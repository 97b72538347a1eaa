import { edgeFlow, edgePort, edgeProtocol } from '../../model/edges.js';
import { isAddressableKind } from '../../model/kinds.js';
import type { Edge, TopologyNode } from '../../model/types.js';
import { Tracer, type TraceResult } from '../../routing/trace.js';
import type { ValidationContext } from '../context.js';
import { edgeProblem } from './edges.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * connection-blocked (error): a drawn edge whose flow the design does not carry. Every edge
 * (that edge-invalid lets through) is traced from its sender to its target on its port, as
 * a TCP flow (HTTP rides on TCP; a filter decides on the transport protocol), with trace's
 * public API: what blocks it (a route table, a gateway, a peering, a port the target does
 * not listen on, a security group, a network ACL) is what this rule reports, with the
 * edge's id as `path`. One `Tracer`
 * per validation shares walks per source subnet where a walk read nothing of its sender
 * but its subnet (a design without filters: one walk per distinct (source subnet, target)
 * pair inside a VPC); with security groups or ACLs each sender's walks are its own.
 */
export const connectionBlockedRule: ValidationRule = {
  name: 'connection-blocked',
  codes: ['connection-blocked'],
  check(context, report) {
    const { index, topology } = context;
    if (topology.edges.length === 0) return;
    let tracer: Tracer | undefined;
    for (const edge of topology.edges) {
      const from = index.node(edge.from);
      const to = index.node(edge.to);
      if (!from || !to || from.id === to.id || edgeProblem(from.kind, to.kind, edge.protocol) !== undefined) continue;
      if (!placed(context, from) || !placed(context, to)) continue;
      tracer ??= new Tracer(topology, { index, addresses: context.addresses, associations: context.associations });
      const result = traceEdge(context, tracer, edge);
      const blocker = result?.verdict === 'blocked' ? result.blockedBy : undefined;
      if (!blocker) continue;
      report({
        code: 'connection-blocked',
        severity: 'error',
        message: `Edge "${edge.id}" from ${nameOf(context, from.id)} to ${nameOf(context, to.id)} (${describeFlow(context, edge)}) is blocked by ${nameOf(context, blocker.nodeId)}: ${blocker.reason}`,
        // The blocker first: it is the node to select and edit (a fix applies to it).
        nodeIds: [...new Set([blocker.nodeId, from.id, to.id])],
        // The edge's id (issue 16's contract), which survives edits that reorder the edges.
        path: edge.id,
        ...(blocker.fix ? { fix: blocker.fix } : {}),
      });
    }
  },
};

/** The trace of one edge (its ends as the lab runs them, its port, TCP); `undefined` when trace cannot place an end (other rules explain why). */
function traceEdge(context: ValidationContext, tracer: Tracer, edge: Edge): TraceResult | undefined {
  try {
    return tracer.trace({ ...edgeFlow(context.index, context.addresses, edge), protocol: 'tcp' });
  } catch {
    return undefined;
  }
}

/** `port 5432, tcp`: how the edge is traced. */
function describeFlow(context: ValidationContext, edge: Edge): string {
  const port = edgePort(context.index, context.addresses, edge);
  return `${port !== undefined ? `port ${port}, ` : ''}${edgeProtocol(context.index, edge)}`;
}

/**
 * Whether a node has the address its traffic is traced from: an addressable node inside a
 * subnet without one (an invalid or unassignable `ip`) is left to the address rules, whose
 * diagnostics say why; tracing it from its subnet's network address would blame routing.
 */
function placed(context: ValidationContext, node: TopologyNode): boolean {
  if (!isAddressableKind(node.kind) || node.parent === undefined) return true;
  return context.addresses.has(node.id);
}
