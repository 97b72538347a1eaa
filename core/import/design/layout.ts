import { KINDS } from '../../model/kinds/index.js';
import type { LayoutEntry, TopologyNode } from '../../model/types.js';

/**
 * An automatic nested layout: VPC > subnet > nodes, each container sized to hold what it
 * contains, so an imported design reads without moving anything. Plain nodes come first
 * in rows, containers after them in rows; top-level nodes (VPCs, peerings) side by side.
 */

const NODE = { width: 176, height: 48 };
const GAP = 24;
const PAD = { left: 24, top: 40, right: 24, bottom: 24 };
const PER_ROW = 4;
const CONTAINERS_PER_ROW = 3;

interface Box {
  width: number;
  height: number;
}

export function autoLayout(nodes: readonly TopologyNode[]): Record<string, LayoutEntry> {
  const children = new Map<string | undefined, TopologyNode[]>();
  const ids = new Set(nodes.map((n) => n.id));
  for (const node of nodes) {
    const parent = node.parent !== undefined && ids.has(node.parent) ? node.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const layout: Record<string, LayoutEntry> = {};
  const isContainer = (n: TopologyNode) => KINDS[n.kind].traits.container !== false;

  /** Places the children of a container (or the top level) from (x0, y0); returns the space they take. */
  const place = (parent: string | undefined, x0: number, y0: number): Box => {
    const kids = children.get(parent) ?? [];
    const plain = kids.filter((n) => !isContainer(n));
    const frames = kids.filter(isContainer);
    let width = 0;
    let y = y0;
    plain.forEach((n, i) => {
      const col = i % PER_ROW;
      const row = Math.floor(i / PER_ROW);
      layout[n.id] = { x: x0 + col * (NODE.width + GAP), y: y0 + row * (NODE.height + GAP) };
      width = Math.max(width, (col + 1) * (NODE.width + GAP) - GAP);
    });
    if (plain.length > 0) y += Math.ceil(plain.length / PER_ROW) * (NODE.height + GAP);
    const perRow = parent === undefined ? Number.POSITIVE_INFINITY : CONTAINERS_PER_ROW;
    let x = x0;
    let rowHeight = 0;
    frames.forEach((frame, i) => {
      if (i > 0 && i % perRow === 0) {
        y += rowHeight + GAP;
        x = x0;
        rowHeight = 0;
      }
      const inner = place(frame.id, PAD.left, PAD.top);
      const min = KINDS[frame.kind].traits.container || { width: 0, height: 0 };
      const box = { width: Math.max(min.width, inner.width + PAD.left + PAD.right), height: Math.max(min.height, inner.height + PAD.top + PAD.bottom) };
      layout[frame.id] = { x, y, ...box };
      x += box.width + (parent === undefined ? GAP * 3 : GAP);
      rowHeight = Math.max(rowHeight, box.height);
      width = Math.max(width, x - x0 - (parent === undefined ? GAP * 3 : GAP));
    });
    if (frames.length > 0) y += rowHeight;
    return { width, height: Math.max(0, y - y0) };
  };
  place(undefined, 0, 0);
  return layout;
}
