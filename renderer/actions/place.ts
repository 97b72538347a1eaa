import { DEFAULT_PORTS, descriptorOf, isAddressableKind, type NodeKind, type Topology, type TopologyNode } from '../../core/model/index.js';
import { proposeAddress, proposeSubnetCidr, proposeVpcCidr } from './addressing.js';
import { ActionRefused } from './errors.js';
import { absolutePositions, containerAt, defaultSize, isContainerKind, snap, type Point } from './geometry.js';
import { freshId, ID_PREFIX } from './ids.js';
import { checkParent } from './parents.js';

/** Input of `addNode`: what was dropped and where (flow coordinates of its top-left corner). */
export interface AddNodeInput {
  kind: NodeKind;
  position: Point;
  /** Prefix length of a new subnet (the palette's size picker). */
  subnetPrefix?: number;
  /** Snap the position to the grid. */
  snapToGrid?: boolean;
  /** Use this id instead of a generated one (tests, templates). */
  id?: string;
}

/**
 * Adds a node where it was dropped. The innermost container under the drop point becomes
 * its parent when the kind may live there; a subnet gets the next free CIDR of the chosen
 * size in its VPC, an addressable node the next free usable address of its subnet, a VPC
 * the next free 10.x.0.0/16. Refuses (ActionRefused) drops the model cannot hold, and
 * peerings, which are drawn as a connection between two VPCs.
 */
export function addNode(doc: Topology, input: AddNodeInput): Topology {
  const { kind } = input;
  if (kind === 'peering') throw new ActionRefused('To peer two VPCs, draw a connection from one VPC to the other');
  const size = defaultSize(kind);
  // The drop point is the node's top-left; its container is the one under the node's centre.
  const centre = { x: input.position.x + Math.min(size.width, 176) / 2, y: input.position.y + 28 };
  const container = containerAt(doc, centre) ?? containerAt(doc, input.position);
  const parent = climbToAllowed(doc, kind, container);
  const verdict = checkParent(kind, parent?.kind ?? null);
  if (!verdict.ok) throw new ActionRefused(verdict.reason);
  const id = input.id ?? freshId(doc, ID_PREFIX[kind]);
  // The fields a new node of this kind starts with (besides id, parent, addresses).
  const node: Record<string, unknown> = { id, kind, ...structuredClone(descriptorOf(kind).initial) };
  if (parent) node['parent'] = parent.id;
  if (kind === 'vpc') node['cidr'] = proposeVpcCidr(doc);
  // A zone's name is its domain; `.example` is reserved for examples (RFC 2606) until the user names it.
  if (kind === 'dns-zone') node['name'] = `${id}.example`;
  if (kind === 'subnet' && parent) {
    const proposal = proposeSubnetCidr(doc, parent.id, input.subnetPrefix ?? 24);
    if ('reason' in proposal) throw new ActionRefused(`Cannot add a subnet: ${proposal.reason}`);
    node['cidr'] = proposal.cidr;
  }
  if (isAddressableKind(kind) && parent) {
    const proposal = proposeAddress(doc, parent.id);
    if ('reason' in proposal) throw new ActionRefused(`Cannot add a ${kind}: ${proposal.reason}`);
    node['ip'] = proposal.ip;
    const port = DEFAULT_PORTS[kind];
    if (port > 0) node['port'] = port;
  }
  const origin = parent ? (absolutePositions(doc).get(parent.id) ?? { x: 0, y: 0 }) : { x: 0, y: 0 };
  let x = input.position.x - origin.x;
  let y = input.position.y - origin.y;
  if (input.snapToGrid) {
    x = snap(x);
    y = snap(y);
  }
  const layout = isContainerKind(kind) ? { x, y, width: size.width, height: size.height } : { x, y };
  return {
    ...doc,
    nodes: [...doc.nodes, node as TopologyNode],
    layout: { ...doc.layout, [id]: layout },
  };
}

/**
 * From the innermost container under the pointer, the nearest one (itself or an ancestor)
 * where the kind may live: a route table dropped on a subnet lands in the subnet's VPC.
 * Falls back to the innermost container, so the refusal names where the user dropped it.
 */
function climbToAllowed(doc: Topology, kind: NodeKind, container: TopologyNode | undefined): TopologyNode | undefined {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let current = container;
  for (let depth = 0; current && depth < 64; depth++) {
    if (checkParent(kind, current.kind).ok) return current;
    current = current.parent === undefined ? undefined : byId.get(current.parent);
  }
  // Nothing allowed on the way up: the top level if the kind may live there, else the innermost (refused).
  return checkParent(kind, null).ok ? undefined : container;
}
