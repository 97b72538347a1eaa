import { edgeTargetKinds, KIND_TRAITS, kindsWhere, kindsReceiving, type EdgeProtocol, type NodeKind, type ReceiveMode } from '../../model/kinds/index.js';
import { aKind, kindWord, nameOf, type ValidationRule } from './rule.js';

/** Why a sender cannot reach a node that takes requests in this mode. */
const REFUSED_BECAUSE: Readonly<Record<ReceiveMode, string>> = {
  http: 'it takes plain HTTP requests',
  proxy: 'it takes proxy requests (absolute-form or CONNECT) from the clients that use it as their proxy, and answers a plain request with 400',
  pool: 'it has no address of its own: put a load balancer, reverse proxy or cache in front of it',
};

/** "a server, a load balancer or a cache". */
function kindList(kinds: readonly NodeKind[]): string {
  const words = kinds.map(kindWord);
  return words.length < 2 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Kinds edges may start at and end at, in palette order (the descriptors' `sends` and `receives`). */
const SENDERS = kindsWhere((d) => d.traits.sends !== false);
const RECEIVERS = kindsReceiving(['http', 'proxy', 'pool']);

/**
 * Why an edge from a `from` node to a `to` node cannot carry traffic, or `undefined` when
 * it can. The descriptors decide (a kind's `sends` and `receives` traits), so the canvas,
 * this rule and the lab agree. With `protocol` (the edge's own), also whether the sender
 * speaks it: a reverse proxy or cache only sends HTTP.
 */
export function edgeProblem(from: NodeKind, to: NodeKind, protocol?: EdgeProtocol): string | undefined {
  const sends = KIND_TRAITS[from].sends;
  if (!sends) return `${aKind(from)} does not send traffic (edges start at a ${kindList(SENDERS)})`;
  const receives = KIND_TRAITS[to].receives;
  if (!receives) return `${aKind(to)} cannot receive traffic (edges end at a ${kindList(RECEIVERS)})`;
  if (!sends.to.includes(receives)) {
    return `${aKind(from)} cannot send to ${aKind(to)}: ${REFUSED_BECAUSE[receives]} (the ${sends.role} of ${aKind(from)} are a ${kindList(edgeTargetKinds(from))})`;
  }
  if (protocol !== undefined && !sends.protocols.includes(protocol)) {
    return `${aKind(from)} speaks only ${sends.protocols.map((p) => p.toUpperCase()).join(' and ')} to its ${sends.role}, so an edge from it cannot carry "protocol": "${protocol}"`;
  }
  return undefined;
}

/**
 * edge-invalid (error): an edge from a node that does not send traffic, to a node that
 * does not take what it sends, carrying a protocol its sender does not speak, to itself,
 * or to an id that is not a node.
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
      else problem = edgeProblem(from.kind, to.kind, edge.protocol);
      if (problem === undefined) return;
      report({
        code: 'edge-invalid',
        severity: 'error',
        message: `Edge "${edge.id}" from ${nameOf(context, edge.from)} to ${nameOf(context, edge.to)} is not valid: ${problem}`,
        nodeIds: [from, to].filter((n) => n !== undefined).map((n) => n.id),
        path: `edges[${i}]`,
      });
    });
    const targets = edgeTargetKinds('load-balancer');
    for (const lb of index.ofKind('load-balancer')) {
      if (index.targetsOf(lb.id).some((n) => targets.includes(n.kind))) continue;
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
