import { KIND_TRAITS, type NodeKind, type Topology, type TopologyNode } from '../../core/model/index.js';

/** A point in flow coordinates (absolute, before the viewport transform). */
export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned rectangle in flow coordinates. */
export interface Rect extends Point {
  width: number;
  height: number;
}

/** Size of a plain (non-container) node on the canvas; fixed so layout needs no measuring. */
export const LEAF_SIZE = { width: 176, height: 56 } as const;

/** Height of a container's header (its title bar) on the canvas; children sit below it. */
export const CONTAINER_HEADER = 36;

/** Canvas grid step; positions snap to it when snapping is on. */
export const GRID = 16;

/** Whether nodes of this kind contain others (drawn as resizable frames). */
export function isContainerKind(kind: NodeKind): boolean {
  return KIND_TRAITS[kind].container !== false;
}

/** Default drawn size of a new node of this kind: its descriptor's frame, else a leaf. */
export function defaultSize(kind: NodeKind): { width: number; height: number } {
  return KIND_TRAITS[kind].container || LEAF_SIZE;
}

/** Drawn size of a node: its layout entry's size for containers, else the default. */
export function nodeSize(doc: Topology, node: TopologyNode): { width: number; height: number } {
  const fallback = defaultSize(node.kind);
  if (!isContainerKind(node.kind)) return fallback;
  const entry = doc.layout[node.id];
  return { width: entry?.width ?? fallback.width, height: entry?.height ?? fallback.height };
}

/**
 * Absolute positions of every node: layout positions are relative to the parent (as
 * React Flow's `parentId`), so each is the sum along the parent chain. Nodes with no
 * layout entry sit at the parent's origin. One pass with memoisation: O(n).
 */
export function absolutePositions(doc: Topology): Map<string, Point> {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const out = new Map<string, Point>();
  const resolve = (id: string, depth: number): Point => {
    const known = out.get(id);
    if (known) return known;
    const node = byId.get(id);
    const own = doc.layout[id] ?? { x: 0, y: 0 };
    // The schema refuses parent cycles; the depth bound guards unchecked documents.
    const base = node?.parent !== undefined && byId.has(node.parent) && depth < 64 ? resolve(node.parent, depth + 1) : { x: 0, y: 0 };
    const point = { x: base.x + own.x, y: base.y + own.y };
    out.set(id, point);
    return point;
  };
  for (const node of doc.nodes) resolve(node.id, 0);
  return out;
}

/** Absolute rectangle of every node. */
export function absoluteRects(doc: Topology): Map<string, Rect> {
  const positions = absolutePositions(doc);
  const out = new Map<string, Rect>();
  for (const node of doc.nodes) {
    const p = positions.get(node.id) ?? { x: 0, y: 0 };
    out.set(node.id, { ...p, ...nodeSize(doc, node) });
  }
  return out;
}

/** Whether a rectangle contains a point (edges included). */
export function rectContains(rect: Rect, point: Point): boolean {
  return point.x >= rect.x && point.x <= rect.x + rect.width && point.y >= rect.y && point.y <= rect.y + rect.height;
}

/** Number of ancestors of a node (0 at the top level). */
export function depthOf(doc: Topology, id: string): number {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let depth = 0;
  let current = byId.get(id)?.parent;
  while (current !== undefined && depth < 64) {
    depth++;
    current = byId.get(current)?.parent;
  }
  return depth;
}

/** Ids of a node's descendants (not the node itself). */
export function descendantsOf(doc: Topology, id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const node of doc.nodes) {
    if (node.parent === undefined) continue;
    const list = children.get(node.parent) ?? [];
    list.push(node.id);
    children.set(node.parent, list);
  }
  const out = new Set<string>();
  const stack = [...(children.get(id) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

/**
 * The innermost container under a point that is not excluded (a dragged node and its
 * descendants cannot contain themselves). Deeper containers win over their ancestors.
 */
export function containerAt(doc: Topology, point: Point, exclude: ReadonlySet<string> = new Set()): TopologyNode | undefined {
  const rects = absoluteRects(doc);
  let best: TopologyNode | undefined;
  let bestDepth = -1;
  for (const node of doc.nodes) {
    if (!isContainerKind(node.kind) || exclude.has(node.id)) continue;
    const rect = rects.get(node.id);
    if (!rect || !rectContains(rect, point)) continue;
    const depth = depthOf(doc, node.id);
    if (depth > bestDepth) {
      best = node;
      bestDepth = depth;
    }
  }
  return best;
}

/** Rounds a coordinate to the grid. */
export function snap(value: number, step = GRID): number {
  return Math.round(value / step) * step;
}
