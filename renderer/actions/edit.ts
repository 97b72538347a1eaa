import {
  formatPath,
  isAddressableKind,
  isDesignZoneName,
  KIND_LABELS,
  nodeSchemaOf,
  PARENT_REFERENCE,
  referencesOf,
  remapReferences,
  type LayoutEntry,
  type NodeReference,
  type Topology,
  type TopologyNode,
} from '../../core/model/index.js';
import { addressFitsSubnet, proposeAddress } from './addressing.js';
import { ActionRefused } from './errors.js';
import { absolutePositions, containerAt, descendantsOf, isContainerKind, nodeSize, snap, type Point } from './geometry.js';
import { checkParent } from './parents.js';
import { growToFit, parentOrigin, placeNew } from './room.js';

/** The fields of a node an edit may set: every field of its kind but `id` and `kind`. */
export type EditableField<N> = Exclude<keyof N, 'id' | 'kind'> & string;

/**
 * A change to one node: fields of its kind (the compiler knows them) with their schema
 * types; `undefined` removes a field. Over the node union, a patch fits some kind.
 */
export type NodePatch<N extends TopologyNode = TopologyNode> = N extends unknown ? { [F in EditableField<N>]?: N[F] | undefined } : never;

/**
 * Sets (or, with `undefined`, removes) fields of one node. `id` and `kind` cannot change
 * here. The new node is checked against its kind's schema before it enters the document:
 * an edit the file format would refuse is refused (ActionRefused), never saved.
 */
export function updateNode<N extends TopologyNode = TopologyNode>(doc: Topology, input: { id: string; patch: NodePatch<N> }): Topology {
  return patchNode(doc, input.id, input.patch as Record<string, unknown>);
}

/**
 * Sets one field named at run time by its path inside the node, as a validator's fix names
 * it: `cidr`, `secondaryCidrs[1]`, `routes[2].destination`. The schema check of
 * `updateNode` is what guards it.
 */
export function setNodeField(doc: Topology, input: { id: string; field: string; value: unknown }): Topology {
  const node = doc.nodes.find((n) => n.id === input.id);
  if (!node) throw new ActionRefused(`No node "${input.id}" in this design`);
  const [head, ...rest] = fieldPath(input.field);
  if (typeof head !== 'string') throw new ActionRefused(`"${input.field}" is not a field of ${node.id}`);
  const value = rest.length === 0 ? input.value : setIn((node as Record<string, unknown>)[head], rest, input.value, input.field);
  return patchNode(doc, input.id, { [head]: value });
}

/** `routes[2].destination` -> ['routes', 2, 'destination']. */
function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [];
    out.push(match[1] as string);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/** A copy of `container` with the value at `path` replaced; refuses a path that names nothing there. */
function setIn(container: unknown, path: readonly (string | number)[], value: unknown, field: string): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  if (typeof key === 'number' ? !Array.isArray(container) || key >= container.length : container === null || typeof container !== 'object') {
    throw new ActionRefused(`"${field}" names nothing in this node`);
  }
  if (Array.isArray(container)) {
    const copy: unknown[] = [...container];
    copy[key as number] = setIn(copy[key as number], rest, value, field);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(container as Record<string, unknown>) };
  copy[key] = setIn(copy[key], rest, value, field);
  return copy;
}

function patchNode(doc: Topology, id: string, patch: Record<string, unknown>): Topology {
  const index = doc.nodes.findIndex((n) => n.id === id);
  if (index < 0) throw new ActionRefused(`No node "${id}" in this design`);
  const current = doc.nodes[index] as TopologyNode;
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || key === 'kind') continue;
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  const checked = checkNode(next as TopologyNode);
  checkReferences(doc, checked);
  const nodes = doc.nodes.slice();
  nodes[index] = checked;
  return { ...doc, nodes };
}

/**
 * Refuses a node whose declared references (kinds/<kind>.ts, and `parent`) name a node
 * that does not exist: the file schema would refuse the saved design on reopen.
 */
function checkReferences(doc: Topology, node: TopologyNode): void {
  const ids = new Set(doc.nodes.map((n) => n.id));
  for (const reference of [PARENT_REFERENCE, ...referencesOf(node.kind)] as NodeReference<TopologyNode>[]) {
    if (!reference.mustResolve) continue;
    // A DNS name of the design's zones stands where the kind allows one (a proxy rule's upstream).
    const missing = reference.slots(node).find((slot) => !ids.has(slot.id) && !(reference.dnsNames && isDesignZoneName(doc.nodes, slot.id)));
    if (missing) throw new ActionRefused(`Cannot set that on ${node.id}: ${formatPath(missing.path)} names "${missing.id}", which is not a node of this design`);
  }
}

/** The node if its kind's schema accepts it; else ActionRefused naming the field and the rule. */
export function checkNode(node: TopologyNode): TopologyNode {
  const result = nodeSchemaOf(node.kind).safeParse(node);
  if (result.success) return node;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  const what = issue?.code === 'unrecognized_keys' ? `${KIND_LABELS[node.kind].toLowerCase().replace('vpc', 'VPC')} has no field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : (issue?.message ?? 'not valid');
  throw new ActionRefused(`Cannot set that on ${node.id}: ${where}${what}`);
}

/** Sets top-level fields of the design (name, description, provider). */
export function updateDocument(doc: Topology, patch: Partial<Pick<Topology, 'name' | 'description' | 'provider'>>): Topology {
  return { ...doc, ...patch };
}

/**
 * Deletes nodes with everything inside them, the edges touching them, their layout, and
 * every reference to them the kind descriptors declare (route-table associations, routes
 * that target them, peerings of a deleted VPC, proxy rule upstreams, auto-scaling
 * subnets). The rest stays valid.
 */
export function deleteNodes(doc: Topology, input: { ids: readonly string[]; edgeIds?: readonly string[] }): Topology {
  const gone = new Set<string>();
  for (const id of input.ids) {
    gone.add(id);
    for (const d of descendantsOf(doc, id)) gone.add(d);
  }
  // Every reference to a deleted node goes (kinds/<kind>.ts declares them); a node that
  // cannot stand without one (a peering of a deleted VPC) goes too.
  const map = (id: string): string | undefined => (gone.has(id) ? undefined : id);
  const kept = new Map<string, TopologyNode>();
  for (const node of doc.nodes) {
    if (gone.has(node.id)) continue;
    const next = remapReferences(node, map, { keepParent: true });
    if (next === null) gone.add(node.id);
    else kept.set(node.id, next);
  }
  const goneEdges = new Set(input.edgeIds ?? []);
  const nodes = doc.nodes.flatMap((node) => (gone.has(node.id) ? [] : [kept.get(node.id) as TopologyNode]));
  const edges = doc.edges.filter((e) => !goneEdges.has(e.id) && !gone.has(e.from) && !gone.has(e.to));
  const layout: Record<string, LayoutEntry> = {};
  for (const [id, entry] of Object.entries(doc.layout)) if (!gone.has(id)) layout[id] = entry;
  return { ...doc, nodes, edges, layout };
}

/** One node's new absolute top-left position (flow coordinates), from a finished drag. */
export interface NodeMove {
  id: string;
  position: Point;
}

/**
 * Moves nodes to new absolute positions. A node whose centre lands in another container
 * (or out of its own) changes `parent` when the model allows it there, and an addressable
 * node that leaves its subnet gets a free address of the new one. A move the model cannot
 * hold is refused with the reason (ActionRefused), and the canvas snaps the node back.
 * Moving a container moves its children with it (their positions are relative).
 */
export function moveNodes(doc: Topology, input: { moves: readonly NodeMove[]; snapToGrid?: boolean }): Topology {
  let next = doc;
  const moving = new Set(input.moves.map((m) => m.id));
  for (const move of input.moves) {
    const node = next.nodes.find((n) => n.id === move.id);
    if (!node) continue;
    // When a container and its child move together, only the container changes place.
    if (node.parent !== undefined && moving.has(node.parent)) continue;
    next = moveOne(next, node, move.position, input.snapToGrid ?? false);
  }
  return next;
}

function moveOne(doc: Topology, node: TopologyNode, position: Point, snapToGrid: boolean): Topology {
  const size = nodeSize(doc, node);
  const centre = { x: position.x + size.width / 2, y: position.y + Math.min(size.height, 56) / 2 };
  const exclude = descendantsOf(doc, node.id);
  exclude.add(node.id);
  const target = containerAt(doc, centre, exclude);
  let parent = target;
  // Dropping a leaf on a container that cannot hold it: keep the current parent if the
  // pointer is still inside one of the current parent's ancestors' chain, else refuse.
  if (!checkParent(node.kind, parent?.kind ?? null).ok) {
    const current = node.parent === undefined ? undefined : doc.nodes.find((n) => n.id === node.parent);
    const verdict = checkParent(node.kind, target?.kind ?? null);
    if (current && target && isAncestorOrSelf(doc, target.id, current.id)) parent = current;
    else throw new ActionRefused(verdict.ok ? 'That move is not allowed' : verdict.reason);
  }
  let next = doc;
  const parentId = parent?.id;
  if (parentId !== node.parent) {
    const patch: Record<string, unknown> = { parent: parentId };
    if (isAddressableKind(node.kind) && parentId !== undefined) {
      const ip = (node as { ip?: string }).ip;
      const withParent = updateNode(doc, { id: node.id, patch });
      if (ip === undefined || !addressFitsSubnet(withParent, parentId, ip)) {
        const proposal = proposeAddress(withParent, parentId, node.id);
        if ('reason' in proposal) throw new ActionRefused(`Cannot move ${node.id} there: ${proposal.reason}`);
        patch['ip'] = proposal.ip;
      }
    }
    next = updateNode(doc, { id: node.id, patch });
  }
  const origin = parentId === undefined ? { x: 0, y: 0 } : (absolutePositions(next).get(parentId) ?? { x: 0, y: 0 });
  let x = position.x - origin.x;
  let y = position.y - origin.y;
  if (snapToGrid) {
    x = snap(x);
    y = snap(y);
  }
  const entry = next.layout[node.id];
  // The model says where it is; its containers grow so the drawing says the same.
  return growToFit({ ...next, layout: { ...next.layout, [node.id]: { ...entry, x, y } } }, node.id);
}

/** Whether `ancestor` is `id` or one of its ancestors. */
function isAncestorOrSelf(doc: Topology, id: string, ancestor: string): boolean {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let current: string | undefined = id;
  for (let depth = 0; current !== undefined && depth < 64; depth++) {
    if (current === ancestor) return true;
    current = byId.get(current)?.parent;
  }
  return false;
}

/** Sets a container's rectangle (relative position and size) after a resize. */
export function resizeNode(doc: Topology, input: { id: string; x: number; y: number; width: number; height: number }): Topology {
  const node = doc.nodes.find((n) => n.id === input.id);
  if (!node) throw new ActionRefused(`No node "${input.id}" in this design`);
  if (!isContainerKind(node.kind)) return doc;
  const width = Math.max(120, input.width);
  const height = Math.max(80, input.height);
  return { ...doc, layout: { ...doc.layout, [input.id]: { x: input.x, y: input.y, width, height } } };
}

/** Replaces positions (relative to parents) of many nodes at once: auto-layout, align. */
export function setLayout(doc: Topology, input: { entries: Record<string, Partial<LayoutEntry>> }): Topology {
  const layout = { ...doc.layout };
  for (const [id, patch] of Object.entries(input.entries)) {
    const current = layout[id] ?? { x: 0, y: 0 };
    layout[id] = { ...current, ...patch } as LayoutEntry;
  }
  return { ...doc, layout };
}

/**
 * Moves a node into another container (or to the top level with `parent: null`) without
 * dragging: the keyboard and inspector path. The same rules as a drag apply: the kind
 * must be allowed there, a node cannot go inside itself, and an addressable node gets a
 * free address in its new subnet. It is placed at the container's top-left corner.
 */
export function reparentNode(doc: Topology, input: { id: string; parent: string | null }): Topology {
  const node = doc.nodes.find((n) => n.id === input.id);
  if (!node) throw new ActionRefused(`No node "${input.id}" in this design`);
  const target = input.parent === null ? undefined : doc.nodes.find((n) => n.id === input.parent);
  if (input.parent !== null && !target) throw new ActionRefused(`No node "${input.parent}" in this design`);
  if (target && (target.id === node.id || descendantsOf(doc, node.id).has(target.id))) {
    throw new ActionRefused(`${node.id} cannot go inside itself`);
  }
  const verdict = checkParent(node.kind, target?.kind ?? null);
  if (!verdict.ok) throw new ActionRefused(verdict.reason);
  if ((target?.id ?? undefined) === node.parent) return doc;
  const patch: Record<string, unknown> = { parent: target?.id };
  let next = updateNode(doc, { id: node.id, patch });
  if (isAddressableKind(node.kind) && target) {
    const ip = (node as { ip?: string }).ip;
    if (ip === undefined || !addressFitsSubnet(next, target.id, ip)) {
      const proposal = proposeAddress(next, target.id, node.id);
      if ('reason' in proposal) throw new ActionRefused(`Cannot move ${node.id} there: ${proposal.reason}`);
      next = updateNode(next, { id: node.id, patch: { ip: proposal.ip } });
    }
  }
  // Into the free spot nearest the container's top-left corner (its subtree moves along:
  // children are placed relative to it); the container grows when it is full.
  const entry = next.layout[node.id];
  const size = nodeSize(next, node);
  const current = absolutePositions(doc).get(node.id) ?? { x: 0, y: 0 };
  const wanted = target ? (absolutePositions(next).get(target.id) ?? { x: 0, y: 0 }) : { x: current.x + 40, y: current.y + 40 };
  const spot = placeNew(next, target?.id, wanted, size, { except: new Set([node.id]) });
  const origin = parentOrigin(next, target?.id);
  return growToFit({ ...next, layout: { ...next.layout, [node.id]: { ...entry, x: spot.x - origin.x, y: spot.y - origin.y } } }, node.id);
}
