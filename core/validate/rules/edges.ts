import type { NodeKind } from '../../model/kinds.js';
import { aKind, nameOf, type ValidationRule } from './rule.js';

/** Kinds that send requests along an edge (to upstreams, or as a caller). */
export const EDGE_SOURCE_KINDS: readonly NodeKind[] = ['load-balancer', 'reverse-proxy', 'cache', 'forward-proxy', 'client'];
/** Kinds that can receive requests along an edge. */
export const EDGE_TARGET_KINDS: readonly NodeKind[] = ['server', 'load-balancer', 'reverse-proxy', 'forward-proxy', 'cache', 'autoscaling-group'];

/**
 * edge-invalid (error): an edge from a node that does not send traffic, to a node that
 * does not serve it, to itself, or to an id that is not a node.
 * lb-no-targets (warning): a load balancer with no outgoing edge has nothing to balance.
 */
export const edgesRule: ValidationRule = {
  name: 'edges',
  codes: ['edge-invalid', 'lb-no-targets'],
  check(context, report) {
    const { index } = context;
    context.topology.edges.forEach((edge, i) => {
      const from = index.node(edge.from);
      const to = index.node(edge.to);
      let problem: string | undefined;
      if (!from || !to) problem = `"${!from ? edge.from : edge.to}" is not a node of this topology`;
      else if (edge.from === edge.to) problem = `it connects ${nameOf(context, from.id)} to itself`;
      else if (!EDGE_SOURCE_KINDS.includes(from.kind)) problem = `${aKind(from.kind)} does not send traffic to upstreams (edges start at a load balancer, proxy, cache or client)`;
      else if (!EDGE_TARGET_KINDS.includes(to.kind)) problem = `${aKind(to.kind)} cannot receive traffic (edges end at a server, balancer, proxy, cache or auto-scaling group)`;
      if (problem === undefined) return;
      report({
        code: 'edge-invalid',
        severity: 'error',
        message: `Edge "${edge.id}" from ${nameOf(context, edge.from)} to ${nameOf(context, edge.to)} is not valid: ${problem}`,
        nodeIds: [from, to].filter((n) => n !== undefined).map((n) => n.id),
        path: `edges[${i}]`,
      });
    });
    for (const lb of index.ofKind('load-balancer')) {
      if (index.targetsOf(lb.id).some((n) => EDGE_TARGET_KINDS.includes(n.kind))) continue;
      report({
        code: 'lb-no-targets',
        severity: 'warning',
        message: `Load balancer ${nameOf(context, lb.id)} has no targets: connect it to servers or an auto-scaling group with edges`,
        nodeIds: [lb.id],
        path: index.pathOf(lb.id),
      });
    }
  },
};
