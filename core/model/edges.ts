import { groupInstancePort, type ResolvedAddress } from './addresses.js';
import { descriptorOf, isAddressableKind, KIND_TRAITS, type EdgeProtocol, type KindDescriptor, type NodeKind } from './kinds/index.js';
import type { TopologyIndex } from './queries.js';
import type { Edge, TopologyNode } from './types.js';

/**
 * What an edge means on the wire: its destination port and protocol, with the file's
 * defaults applied (the port its target listens on, the protocol its target takes). The
 * one reading for `validate` (which traces every edge with them), the lab (whose calls go
 * through the routing gate on that port) and the exports.
 */

/** The protocol an edge carries: its own `protocol`, else what its target takes (`tcp` for a layer-4 balancer, else `http`). */
export function edgeProtocol(index: TopologyIndex, edge: Pick<Edge, 'to' | 'protocol'>): EdgeProtocol {
  if (edge.protocol !== undefined) return edge.protocol;
  const target = index.node(edge.to);
  if (!target) return 'http';
  const descriptor = descriptorOf(target.kind) as KindDescriptor<NodeKind>;
  return descriptor.edgeProtocol?.(target) ?? 'http';
}

/**
 * The port a node listens on for what its senders send: an addressable node's designed
 * port, an auto-scaling group's instance port; `undefined` for a node that listens on none
 * (a client, a NAT gateway) or has no address yet.
 */
export function listeningPort(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>, node: TopologyNode): number | undefined {
  if (node.kind === 'autoscaling-group') return groupInstancePort(index, node);
  if (!isAddressableKind(node.kind) || KIND_TRAITS[node.kind].receives === false) return undefined;
  const port = addresses.get(node.id)?.port;
  return port !== undefined && port > 0 ? port : undefined;
}

/** The destination port of an edge: its own `port`, else the port its target listens on. */
export function edgePort(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>, edge: Pick<Edge, 'to' | 'port'>): number | undefined {
  if (edge.port !== undefined) return edge.port;
  const target = index.node(edge.to);
  return target ? listeningPort(index, addresses, target) : undefined;
}

/**
 * The node whose traffic an edge end stands for: a server drawn inside an auto-scaling
 * group describes the group's instances, so its edges are the instances' edges (traced
 * from every instance, called by every instance in the lab); any other node stands for itself.
 */
export function trafficEndOf(index: TopologyIndex, id: string): string {
  const node = index.node(id);
  if (node?.kind === 'server' && node.parent !== undefined && index.nodeOfKind(node.parent, 'autoscaling-group')) return node.parent;
  return id;
}

/**
 * The edges whose calls an auto-scaling group's instances make: the group's own edges,
 * then those of the server drawn inside it (which describes its instances), in file order.
 */
export function groupCallEdges(index: TopologyIndex, groupId: string): Edge[] {
  const child = index.children(groupId).find((c) => c.kind === 'server');
  return [...index.edgesFrom(groupId), ...(child ? index.edgesFrom(child.id) : [])];
}

/**
 * The flow an edge stands for, as `trace` takes it: from its sender to its target, each as
 * the lab runs it (`trafficEndOf`), on its port. What `validate` traces for every edge and
 * `topolab trace --edge` traces for one.
 */
export function edgeFlow(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>, edge: Edge): { from: string; to: string; port?: number } {
  const port = edgePort(index, addresses, edge);
  return { from: trafficEndOf(index, edge.from), to: trafficEndOf(index, edge.to), ...(port !== undefined ? { port } : {}) };
}
