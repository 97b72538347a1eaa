import { canSendTo, KIND_TRAITS } from './kinds/index.js';
import type { TopologyIndex } from './queries.js';
import type { TopologyNode } from './types.js';

/** One place a forwarding node sends requests: an edge, or a reverse proxy's rule. */
export interface ForwardingStep {
  to: string;
  /** Where it is written: `edge "e1"`, `rule 2`. */
  via: string;
  /** Whether the node's descriptor lets it send there (and it is not itself). */
  ok: boolean;
}

/**
 * Every place a node forwards requests to: its edges, then a reverse proxy's rule
 * upstreams or a cache's `origins`. The one derivation the lab plans upstreams from and the request inspector
 * predicts answering servers from. Pure.
 */
export function forwardingSteps(index: TopologyIndex, node: TopologyNode): ForwardingStep[] {
  if (!KIND_TRAITS[node.kind].forwards) return [];
  const step = (to: string, via: string): ForwardingStep => {
    const target = index.node(to);
    return { to, via, ok: target !== undefined && to !== node.id && canSendTo(node.kind, target.kind) };
  };
  const out = index.edgesFrom(node.id).map((edge) => step(edge.to, `edge "${edge.id}"`));
  if (node.kind === 'reverse-proxy') {
    node.rules?.forEach((rule, r) => rule.upstreams.forEach((id) => out.push(step(id, `rule ${r + 1}`))));
    node.gateway?.routes.forEach((route) => route.upstreams.forEach((id) => out.push(step(id, `route "${route.id}"`))));
  }
  if (node.kind === 'cache') node.origins?.forEach((id, o) => out.push(step(id, `origins[${o}]`)));
  return out;
}

/** The distinct nodes a forwarding node sends to (edges first, then rule upstreams), leaving out what it cannot send to. */
export function forwardingTargets(index: TopologyIndex, node: TopologyNode): string[] {
  return [...new Set(forwardingSteps(index, node).filter((s) => s.ok).map((s) => s.to))];
}

/**
 * The nodes that answer a request sent to `to` by the design: down the forwarding chain to
 * the nodes that do not forward (servers, groups), sorted. A node that does not forward
 * answers itself.
 */
export function answeringNodes(index: TopologyIndex, to: string): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = index.node(id);
    if (!node) return;
    if (!KIND_TRAITS[node.kind].forwards) {
      out.add(id);
      return;
    }
    for (const next of forwardingTargets(index, node)) visit(next);
  };
  visit(to);
  return [...out].sort();
}
