import { MarkerType, type Edge as FlowEdge, type EdgeMarker, type Node as FlowNode } from '@xyflow/react';
import { dnsRecordName, dnsValueMeaning, KIND_TRAITS, resolveAddresses, TopologyIndex, type Topology, type TopologyNode } from '../../core/model/index.js';
import type { Severity } from '../../core/validate/index.js';
import { flowEdgeId } from '../actions/connect.js';
import { absoluteRects, isContainerKind, nodeSize, type Rect } from '../actions/geometry.js';
import type { Highlight } from '../store/editor.js';

/** What a node component draws: the model node plus derived facts. */
export interface NodeViewData extends Record<string, unknown> {
  node: TopologyNode;
  /** Designed or engine-assigned address (`10.0.1.4:80`). */
  address?: string;
  /** True when the engine picked the address (no `ip` in the file). */
  assigned?: boolean;
  badge?: Severity;
  /** Reachability tool: on the traced path, or the node that blocks it. */
  trace?: 'path' | 'blocked';
  /** For containers: how many nodes sit directly inside. */
  childCount?: number;
  /** Drawn from a preview (the planner's proposal), not in the design yet. */
  ghost?: boolean;
  /** The names of the security groups filtering it (its own, else its VPC's default group); absent for kinds without groups. */
  groups?: string[];
}

/** A React Flow node of the canvas: a plain device or a container. */
export type TopologyFlowNode = FlowNode<NodeViewData, 'device' | 'container'>;

/** Cache of derived nodes, so unchanged model nodes keep their flow node (memoised components skip rendering). */
export class FlowNodeCache {
  private cache = new WeakMap<TopologyNode, { key: string; layout: unknown; flow: TopologyFlowNode }>();

  get(node: TopologyNode, layout: unknown, key: string): TopologyFlowNode | undefined {
    const hit = this.cache.get(node);
    return hit && hit.key === key && hit.layout === layout ? hit.flow : undefined;
  }

  set(node: TopologyNode, layout: unknown, key: string, flow: TopologyFlowNode): void {
    this.cache.set(node, { key, layout, flow });
  }
}

/**
 * React Flow nodes of a topology: containers (VPC, subnet, auto-scaling group) with their
 * size, leaves inside them by `parentId`, parents always before children (React Flow
 * requires it). Derived, never stored: the model is the truth.
 */
export function toFlowNodes(
  doc: Topology,
  options: { badges: ReadonlyMap<string, Severity>; selection: ReadonlySet<string>; highlight: Highlight | null; cache?: FlowNodeCache; ghosts?: ReadonlySet<string> },
): TopologyFlowNode[] {
  const index = new TopologyIndex(doc);
  const addresses = resolveAddresses(index);
  const depth = depthsOf(doc);
  const ordered = doc.nodes.slice().sort((a, b) => (depth.get(a.id) ?? 0) - (depth.get(b.id) ?? 0));
  const onPath = new Set(options.highlight?.nodes ?? []);
  const groupNames = securityGroupNames(index);
  const out: TopologyFlowNode[] = [];
  for (const node of ordered) {
    const layout = doc.layout[node.id];
    const address = addresses.get(node.id);
    const badge = options.badges.get(node.id);
    const selected = options.selection.has(node.id);
    const trace = options.highlight?.blocked === node.id ? 'blocked' : onPath.has(node.id) ? 'path' : undefined;
    const container = isContainerKind(node.kind);
    const childCount = container ? index.children(node.id).length : undefined;
    const addressText = address ? `${address.ip}${address.port ? `:${address.port}` : ''}` : undefined;
    const parentKnown = node.parent !== undefined && index.node(node.parent) !== undefined;
    const ghost = options.ghosts?.has(node.id) === true;
    const groups = groupNames(node);
    const key = `${groups?.join(',') ?? ''}|${ghost ? 'g' : ''}|${badge ?? ''}|${selected ? 1 : 0}|${trace ?? ''}|${childCount ?? ''}|${addressText ?? ''}|${address?.assigned ? 1 : 0}|${parentKnown ? 1 : 0}`;
    const cached = options.cache?.get(node, layout, key);
    if (cached) {
      out.push(cached);
      continue;
    }
    const data: NodeViewData = { node };
    if (addressText !== undefined) data.address = addressText;
    if (address?.assigned) data.assigned = true;
    if (badge) data.badge = badge;
    if (trace) data.trace = trace;
    if (childCount !== undefined) data.childCount = childCount;
    if (ghost) data.ghost = true;
    if (groups) data.groups = groups;
    const flow: TopologyFlowNode = {
      id: node.id,
      type: container ? 'container' : 'device',
      position: { x: layout?.x ?? 0, y: layout?.y ?? 0 },
      data,
      selected,
      ...(parentKnown ? { parentId: node.parent } : {}),
    };
    // Every node has a known size (leaves are fixed, containers come from the layout), so
    // React Flow can cull and fit before measuring anything: large designs open fast.
    const size = nodeSize(doc, node);
    flow.width = size.width;
    flow.height = size.height;
    // Said as measured too: React Flow drops a node's handle positions whenever it gets the
    // node without `measured`, and until it has measured the node again (a frame or more
    // later) a drag from its handles starts no connection and a drop on them is missed.
    // Every edit re-derives the changed nodes (a new badge, an address), so without this a
    // connection started right after an edit, or while diagnostics arrive, was lost.
    // The DOM size is this size (the flow node's width and height); React Flow's resize
    // observer still re-measures a node whose size changes.
    flow.measured = { width: size.width, height: size.height };
    if (container) {
      flow.dragHandle = '.container-header';
      flow.className = `container-${node.kind}${ghost ? ' is-ghost' : ''}`;
    }
    options.cache?.set(node, layout, key, flow);
    out.push(flow);
  }
  return out;
}

/** One shared marker object: React Flow keys its <defs> by value, so every traffic edge reuses it. */
const ARROW: EdgeMarker = { type: MarkerType.ArrowClosed, width: 18, height: 18 };

/** What an edge component draws. */
export interface EdgeViewData extends Record<string, unknown> {
  role: 'traffic' | 'association' | 'peering' | 'dns';
  /** A zone's link to a node its records name: the (record set, answered address) pairs the lab's answer counts are keyed by. */
  dns?: { zoneId: string; answers: { recordSet: string; data: string }[] };
  badge?: Severity;
  /** The diagnostics about the edge (a blocked connection names its blocker and why), shown on hover. */
  reason?: string;
  trace?: boolean;
}

/** A React Flow edge of the canvas. */
export type TopologyFlowEdge = FlowEdge<EdgeViewData>;

/**
 * React Flow edges: the model's traffic edges, plus drawn-only lines for route-table
 * associations (table -> subnet) and peerings (peering node -> each VPC).
 */
export function toFlowEdges(
  doc: Topology,
  options: { edgeBadges: ReadonlyMap<string, Severity>; edgeReasons?: ReadonlyMap<string, string>; selection: ReadonlySet<string>; highlight: Highlight | null },
): TopologyFlowEdge[] {
  const out: TopologyFlowEdge[] = [];
  const traced = new Set(options.highlight?.edges ?? []);
  const ids = new Set(doc.nodes.map((n) => n.id));
  let dnsLinks: { index: TopologyIndex; addresses: ReturnType<typeof resolveAddresses> } | undefined;
  const push = (id: string, source: string, target: string, role: EdgeViewData['role'], badge?: Severity, dns?: EdgeViewData['dns']): void => {
    if (!ids.has(source) || !ids.has(target)) return;
    const data: EdgeViewData = { role, ...(dns ? { dns } : {}) };
    if (badge) data.badge = badge;
    const reason = options.edgeReasons?.get(id);
    if (reason !== undefined) data.reason = reason;
    if (traced.has(id)) data.trace = true;
    out.push({
      id,
      source,
      target,
      type: 'topology',
      data,
      selected: options.selection.has(id),
      className: `edge-${role}${badge ? ` edge-${badge}` : ''}${data.trace ? ' edge-trace' : ''}`,
      // A traced path's edges move, so the direction of the flow reads at a glance.
      ...(data.trace ? { animated: true } : {}),
      ...(role === 'traffic' ? { markerEnd: ARROW } : {}),
    });
  };
  for (const edge of doc.edges) push(edge.id, edge.from, edge.to, 'traffic', options.edgeBadges.get(edge.id));
  for (const node of doc.nodes) {
    if (node.kind === 'route-table') {
      for (const subnet of node.subnets) push(flowEdgeId({ kind: 'association', table: node.id, subnet }), node.id, subnet, 'association');
    } else if (node.kind === 'peering') {
      for (const vpc of node.vpcs) push(flowEdgeId({ kind: 'peering', peering: node.id, vpc }), node.id, vpc, 'peering');
    } else if (node.kind === 'dns-zone') {
      // Records are drawn as one dashed link from the zone to each node they name.
      if (!dnsLinks) {
        const index = new TopologyIndex(doc);
        dnsLinks = { index, addresses: resolveAddresses(index) };
      }
      const named = new Map<string, { recordSet: string; data: string }[]>();
      for (const record of node.records) {
        for (const value of new Set(record.values)) {
          if (!ids.has(value) || value === node.id) continue;
          const meaning = dnsValueMeaning(dnsLinks.index, dnsLinks.addresses, record, value);
          const answers = named.get(value) ?? [];
          if (meaning.kind === 'address') answers.push({ recordSet: `${dnsRecordName(node, record)} ${record.type}`, data: meaning.address });
          named.set(value, answers);
        }
      }
      for (const [value, answers] of named) push(flowEdgeId({ kind: 'dns', zone: node.id, node: value }), node.id, value, 'dns', undefined, { zoneId: node.id, answers });
    }
  }
  return out;
}

/**
 * The names of the security groups that filter a node, for its badge: the groups it lists,
 * else its VPC's default group (marked), else `[]` when its VPC has groups but none filters
 * it; `undefined` (no badge) for kinds without groups, nodes outside a VPC, and VPCs
 * without any group, so designs that do not use groups look as before. The defaults are
 * found once per render, not per node.
 */
function securityGroupNames(index: TopologyIndex): (node: TopologyNode) => string[] | undefined {
  const defaults = new Map<string, string>();
  const withGroups = new Set<string>();
  for (const group of index.ofKind('security-group')) {
    if (group.parent === undefined) continue;
    withGroups.add(group.parent);
    if (group.default === true && !defaults.has(group.parent)) defaults.set(group.parent, `${group.name ?? group.id} (default)`);
  }
  return (node) => {
    if (!KIND_TRAITS[node.kind].securityGroups) return undefined;
    const listed = (node as { securityGroups?: string[] }).securityGroups;
    if (listed) return listed.map((id) => index.node(id)?.name ?? id);
    const vpc = index.vpcOf(node.id);
    if (!vpc || !withGroups.has(vpc.id)) return undefined;
    const fallback = defaults.get(vpc.id);
    return fallback ? [fallback] : [];
  };
}

/** Depth of every node (0 at the top level), in one pass. */
function depthsOf(doc: Topology): Map<string, number> {
  const parentOf = new Map(doc.nodes.map((n) => [n.id, n.parent]));
  const out = new Map<string, number>();
  const resolve = (id: string, guard: number): number => {
    const known = out.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const depth = parent !== undefined && parentOf.has(parent) && guard < 64 ? resolve(parent, guard + 1) + 1 : 0;
    out.set(id, depth);
    return depth;
  };
  for (const node of doc.nodes) resolve(node.id, 0);
  return out;
}

/** The bounding box of the whole design in flow coordinates (`null` when empty). */
export function designBounds(doc: Topology): Rect | null {
  if (doc.nodes.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of absoluteRects(doc).values()) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width);
    maxY = Math.max(maxY, r.y + r.height);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
