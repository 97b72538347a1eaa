import { canSendTo, descriptorOf, edgeTargetKinds, emptyTopology, KIND_LABELS, KIND_TRAITS, kindsWhere, NODE_KINDS, referencesOf, TopologyIndex, type NodeKind, type Topology, type TopologyNode } from '../../core/model/index.js';
import { ActionRefused } from './errors.js';
import { absolutePositions, nodeSize } from './geometry.js';
import { freshId } from './ids.js';

/** What a connection between two nodes means in the model. */
export type ConnectionMeaning =
  | { ok: true; kind: 'edge'; from: string; to: string }
  | { ok: true; kind: 'association'; table: string; subnet: string }
  | { ok: true; kind: 'peering'; vpcs: [string, string] }
  | { ok: false; reason: string };

function label(node: TopologyNode): string {
  return `${KIND_LABELS[node.kind].toLowerCase().replace('vpc', 'VPC')} ${node.name ?? node.id}`;
}

/**
 * What drawing a connection from `source` to `target` means: a traffic edge (balancer ->
 * targets, proxy/cache -> upstreams, client -> entry), a route-table association (either
 * direction between a table and a subnet of the same VPC), or a peering (VPC <-> VPC);
 * or why it is refused. Pure: the canvas asks before it draws, tests ask directly.
 */
export function interpretConnection(doc: Topology, sourceId: string, targetId: string): ConnectionMeaning {
  const index = new TopologyIndex(doc);
  const source = index.node(sourceId);
  const target = index.node(targetId);
  if (!source || !target) return { ok: false, reason: 'Both ends of a connection must be nodes of the design' };
  if (source.id === target.id) return { ok: false, reason: 'A node cannot connect to itself' };
  const pair = new Set([source.kind, target.kind]);
  if (pair.has('route-table') && pair.has('subnet')) {
    const table = (source.kind === 'route-table' ? source : target) as Extract<TopologyNode, { kind: 'route-table' }>;
    const subnet = source.kind === 'subnet' ? source : target;
    if (table.parent !== subnet.parent) {
      return { ok: false, reason: `Route table ${table.id} is in ${table.parent ?? 'no VPC'} but subnet ${subnet.id} is in ${subnet.parent ?? 'no VPC'}: a table serves subnets of its own VPC` };
    }
    if (table.subnets.includes(subnet.id)) return { ok: false, reason: `Subnet ${subnet.id} is already associated with ${table.id}` };
    return { ok: true, kind: 'association', table: table.id, subnet: subnet.id };
  }
  if (source.kind === 'vpc' && target.kind === 'vpc') {
    const existing = index.ofKind('peering').find((p) => p.vpcs.includes(source.id) && p.vpcs.includes(target.id));
    if (existing) return { ok: false, reason: `${source.id} and ${target.id} are already peered (${existing.id})` };
    return { ok: true, kind: 'peering', vpcs: [source.id, target.id] };
  }
  // What an edge may point at is the descriptors' rule, the same one validate applies.
  const sends = KIND_TRAITS[source.kind].sends;
  if (!sends) {
    const senders = kindsWhere((d) => d.traits.sends !== false).map((k) => KIND_LABELS[k].toLowerCase());
    return { ok: false, reason: `A ${KIND_LABELS[source.kind].toLowerCase().replace('vpc', 'VPC')} does not send traffic on: connections start at a ${senders.join(', ')}` };
  }
  if (!canSendTo(source.kind, target.kind)) {
    const allowed = edgeTargetKinds(source.kind);
    return {
      ok: false,
      reason: `A ${label(source)} cannot send traffic to a ${KIND_LABELS[target.kind].toLowerCase().replace('vpc', 'VPC')}: its ${sends.role} are ${allowed.map((k) => KIND_LABELS[k].toLowerCase()).join(', ')}`,
    };
  }
  if (index.edgesFrom(source.id).some((e) => e.to === target.id)) {
    return { ok: false, reason: `${source.id} is already connected to ${target.id}` };
  }
  if (index.edgesFrom(target.id).some((e) => e.to === source.id)) {
    return { ok: false, reason: `${target.id} already sends traffic to ${source.id}: a loop would forward requests forever` };
  }
  return { ok: true, kind: 'edge', from: source.id, to: target.id };
}

/** Whether a node of a kind can start a drawn connection (its out-handle) and end one (its in-handle). */
export interface ConnectionEnds {
  starts: boolean;
  ends: boolean;
}

let ends: Map<NodeKind, ConnectionEnds> | undefined;

/**
 * Which of a kind's handles can ever take part in an allowed connection, asked of
 * `interpretConnection` itself (so it cannot disagree with it): a probe design holds two
 * nodes of every kind, and every ordered pair is interpreted. The traffic rules come from
 * the descriptors (`sends`, `canSendTo`): a kind that sends nothing has no out-handle to
 * drag, a kind nothing may send to no in-handle. Computed once.
 */
export function connectionEnds(kind: NodeKind): ConnectionEnds {
  if (!ends) {
    // Each probe node as a new one starts, with its declared reference fields present (empty).
    const probeNode = (kind: NodeKind, id: string): TopologyNode => {
      const node: Record<string, unknown> = { id, kind, ...structuredClone(descriptorOf(kind).initial) };
      for (const reference of referencesOf(kind)) node[reference.field] ??= [];
      return node as TopologyNode;
    };
    const nodes = NODE_KINDS.flatMap((k) => [probeNode(k, `${k}-a`), probeNode(k, `${k}-b`)]);
    const probe: Topology = { ...emptyTopology('probe'), nodes };
    ends = new Map(NODE_KINDS.map((k) => [k, { starts: false, ends: false }]));
    for (const from of nodes) {
      for (const to of nodes) {
        if (from.id === to.id || !interpretConnection(probe, from.id, to.id).ok) continue;
        (ends.get(from.kind) as ConnectionEnds).starts = true;
        (ends.get(to.kind) as ConnectionEnds).ends = true;
      }
    }
  }
  return ends.get(kind) ?? { starts: false, ends: false };
}

/**
 * Draws a connection: adds the edge, the association (a subnet has one explicit table, so
 * it leaves any other table of its VPC) or a peering node placed between the two VPCs.
 */
export function connect(doc: Topology, input: { source: string; target: string }): Topology {
  const meaning = interpretConnection(doc, input.source, input.target);
  if (!meaning.ok) throw new ActionRefused(meaning.reason);
  switch (meaning.kind) {
    case 'edge': {
      const id = freshId(doc, 'e');
      return { ...doc, edges: [...doc.edges, { id, from: meaning.from, to: meaning.to }] };
    }
    case 'association': {
      const nodes = doc.nodes.map((node) => {
        if (node.kind !== 'route-table') return node;
        if (node.id === meaning.table) return { ...node, subnets: [...node.subnets, meaning.subnet] };
        return node.subnets.includes(meaning.subnet) ? { ...node, subnets: node.subnets.filter((s) => s !== meaning.subnet) } : node;
      });
      return { ...doc, nodes };
    }
    case 'peering': {
      const id = freshId(doc, 'pcx');
      const positions = absolutePositions(doc);
      const [a, b] = meaning.vpcs;
      const pa = positions.get(a) ?? { x: 0, y: 0 };
      const pb = positions.get(b) ?? { x: 0, y: 0 };
      const na = doc.nodes.find((n) => n.id === a) as TopologyNode;
      const nb = doc.nodes.find((n) => n.id === b) as TopologyNode;
      const sa = nodeSize(doc, na);
      const sb = nodeSize(doc, nb);
      // Between the two VPCs' centres, nudged above so it does not land inside either.
      const x = (pa.x + sa.width / 2 + pb.x + sb.width / 2) / 2 - 88;
      const y = Math.min(pa.y, pb.y) - 96;
      return {
        ...doc,
        nodes: [...doc.nodes, { id, kind: 'peering', vpcs: [a, b] }],
        layout: { ...doc.layout, [id]: { x, y } },
      };
    }
  }
}

/** Removes a drawn connection by the id the canvas gave it (see `flowEdgeId`). */
export function disconnect(doc: Topology, input: { edgeId: string }): Topology {
  const parsed = parseFlowEdgeId(input.edgeId);
  if (parsed.kind === 'edge') return { ...doc, edges: doc.edges.filter((e) => e.id !== parsed.id) };
  if (parsed.kind === 'association') {
    return {
      ...doc,
      nodes: doc.nodes.map((n) => (n.kind === 'route-table' && n.id === parsed.table ? { ...n, subnets: n.subnets.filter((s) => s !== parsed.subnet) } : n)),
    };
  }
  if (parsed.kind === 'dns') return removeDnsValue(doc, parsed);
  // A peering line: removing either half removes the peering.
  const without = doc.nodes.filter((n) => n.id !== parsed.peering);
  const layout = { ...doc.layout };
  delete layout[parsed.peering];
  return { ...doc, nodes: without, layout, edges: doc.edges.filter((e) => e.from !== parsed.peering && e.to !== parsed.peering) };
}

/** Canvas edge ids: model edges keep theirs; associations and peerings get derived ones. */
export type FlowEdgeRef =
  | { kind: 'edge'; id: string }
  | { kind: 'association'; table: string; subnet: string }
  | { kind: 'peering'; peering: string; vpc: string }
  | { kind: 'dns'; zone: string; node: string };

/** The canvas id of a derived or model edge. `|` cannot occur in model ids. */
export function flowEdgeId(ref: FlowEdgeRef): string {
  switch (ref.kind) {
    case 'edge':
      return ref.id;
    case 'association':
      return `assoc|${ref.table}|${ref.subnet}`;
    case 'peering':
      return `peer|${ref.peering}|${ref.vpc}`;
    case 'dns':
      return `dns|${ref.zone}|${ref.node}`;
  }
}

/** Inverse of `flowEdgeId`. */
export function parseFlowEdgeId(id: string): FlowEdgeRef {
  const [tag, a, b] = id.split('|');
  if (tag === 'assoc' && a !== undefined && b !== undefined) return { kind: 'association', table: a, subnet: b };
  if (tag === 'peer' && a !== undefined && b !== undefined) return { kind: 'peering', peering: a, vpc: b };
  if (tag === 'dns' && a !== undefined && b !== undefined) return { kind: 'dns', zone: a, node: b };
  return { kind: 'edge', id };
}

/** A zone's dashed link removed: the node leaves every record of the zone (a record with its last value). */
function removeDnsValue(doc: Topology, ref: { zone: string; node: string }): Topology {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.kind !== 'dns-zone' || n.id !== ref.zone) return n;
      const records = n.records.flatMap((record) => {
        if (!record.values.includes(ref.node)) return [record];
        const keep = record.values.map((v, i) => (v === ref.node ? -1 : i)).filter((i) => i >= 0);
        if (keep.length === 0) return [];
        const values = keep.map((i) => record.values[i] as string);
        const weights = record.weights ? keep.map((i) => record.weights?.[i] ?? 1) : undefined;
        return [{ ...record, values, ...(weights ? { weights } : {}) }];
      });
      return { ...n, records };
    }),
  };
}
