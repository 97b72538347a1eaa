import { DEFAULT_PORTS, descriptorOf, isAddressableKind, type NodeKind, type Topology, type TopologyNode } from '../../core/model/index.js';
import { proposeAddress, proposeSubnetCidr, proposeVpcCidr } from './addressing.js';
import { ActionRefused } from './errors.js';
import { absoluteRects, containerAt, defaultSize, GRID, isContainerKind, LEAF_SIZE, snap, type Point, type Rect } from './geometry.js';
import { freshId, ID_PREFIX } from './ids.js';
import { checkParent } from './parents.js';
import { contentBox, fittedSize, growToFit, parentOrigin, placeNew } from './room.js';

/** Input of `addNode`: what was dropped, and where. */
export interface AddNodeInput {
  kind: NodeKind;
  /** The pointer (flow coordinates): the node is centred on it, and goes into the container under it. */
  at?: Point;
  /** Or the node's top-left corner (flow coordinates). */
  position?: Point;
  /** The part of the flow in view: a new container is sized to fit it, and on the open canvas placed in it. */
  view?: Rect;
  /** Prefix length of a new subnet (the palette's size picker). */
  subnetPrefix?: number;
  /** Snap the position to the grid. */
  snapToGrid?: boolean;
  /** Use this id instead of a generated one (tests, templates). */
  id?: string;
}

/** The smallest frame a new container gets (it can hold a node and show its header). */
const MIN_CONTAINER = { width: 240, height: 120 } as const;

/**
 * Adds a node where it was dropped. The innermost container under the drop point becomes
 * its parent when the kind may live there; a subnet gets the next free CIDR of the chosen
 * size in its VPC, an addressable node the next free usable address of its subnet, a VPC
 * the next free 10.x.0.0/16. The node is drawn inside that container, at the free spot
 * nearest to the drop, overlapping nothing; a full container grows (pushing its neighbours
 * aside). A new container is sized to fit the view (and its container). Refuses
 * (ActionRefused) drops the model cannot hold, and peerings, which are drawn as a
 * connection between two VPCs.
 */
export function addNode(doc: Topology, input: AddNodeInput): Topology {
  const { kind } = input;
  if (kind === 'peering') throw new ActionRefused('To peer two VPCs, draw a connection from one VPC to the other');
  const container = isContainerKind(kind);
  let size = container ? fittedSize(defaultSize(kind), input.view, MIN_CONTAINER) : defaultSize(kind);
  const corner = input.at ? { x: input.at.x - size.width / 2, y: input.at.y - size.height / 2 } : input.position;
  if (!corner) throw new ActionRefused('A drop needs a place');
  // The container is the one under the pointer (or, given a corner, under the node's header).
  const probe = input.at ?? { x: corner.x + Math.min(size.width, LEAF_SIZE.width) / 2, y: corner.y + LEAF_SIZE.height / 2 };
  const under = containerAt(doc, probe) ?? containerAt(doc, corner);
  const parent = climbToAllowed(doc, kind, under);
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
  // A container inside another is no bigger than the room there (when that is not too small).
  const parentRect = parent ? absoluteRects(doc).get(parent.id) : undefined;
  if (container && parentRect) {
    const room = contentBox(parentRect);
    size = { width: Math.max(MIN_CONTAINER.width, Math.min(size.width, room.width)), height: Math.max(MIN_CONTAINER.height, Math.min(size.height, room.height)) };
  }
  const tidy = (p: Point): Point => (input.snapToGrid ? { x: snap(p.x), y: snap(p.y) } : p);
  // On the open canvas, a new node lands in view, a margin from its edges.
  const view = input.view && !parent ? { x: input.view.x + 2 * GRID, y: input.view.y + 2 * GRID, width: input.view.width - 4 * GRID, height: input.view.height - 4 * GRID } : undefined;
  const spot = tidy(placeNew(doc, parent?.id, tidy(corner), size, view ? { view } : {}));
  const origin = parentOrigin(doc, parent?.id);
  const x = spot.x - origin.x;
  const y = spot.y - origin.y;
  const layout = container ? { x, y, width: size.width, height: size.height } : { x, y };
  const added: Topology = {
    ...doc,
    nodes: [...doc.nodes, node as TopologyNode],
    layout: { ...doc.layout, [id]: layout },
  };
  return growToFit(added, id);
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
