import { KIND_LABELS, KINDS } from '../../model/kinds/index.js';
import type { LayoutEntry, TopologyNode } from '../../model/types.js';

/**
 * An automatic nested layout: VPC > subnet > nodes, each container sized to hold what it
 * contains and its whole header, so an imported design reads without moving anything.
 * Inside a container, plain nodes come first in rows, then its containers packed in rows
 * (shelves). Among the widths tried for those rows, the one is kept whose whole layout
 * needs the least zoom-out to fit `FIT_BOX` (the canvas of a 1280x800 window beside the
 * import report, at the legible zoom): two VPCs are stacked or set side by side, whichever
 * fits, instead of always side by side. Pure and deterministic.
 */

/** The canvas's leaf size (renderer/actions/geometry.ts LEAF_SIZE). */
const LEAF = { width: 176, height: 56 };
const GAP = 24;
/** Room inside a container: its header (36 px) and a margin above the first row. */
const PAD = { left: 24, top: 52, right: 24, bottom: 24 };
/** The smallest container: a header and one row's room. */
const MIN_CONTAINER = { width: 240, height: PAD.top + LEAF.height + PAD.bottom };
/**
 * The flow area a 1280x800 window shows at the legible zoom (0.75) beside the import report:
 * a 764x669 canvas less the view's 56 px padding each side (renderer/canvas/Canvas.tsx), over 0.75.
 */
export const FIT_BOX = { width: 869, height: 742 };
/** Widths tried for a container's rows of children: one to eight leaves wide. */
const INNER_WIDTHS = Array.from({ length: 8 }, (_, i) => (i + 1) * (LEAF.width + GAP) - GAP);

interface Size {
  width: number;
  height: number;
}

/** A laid-out subtree: its size and its children's positions relative to its top-left. */
interface Arranged extends Size {
  entries: Map<string, LayoutEntry>;
}

/**
 * The width a container's header needs (kind label, name, CIDR, zone, and its icon, badge
 * and handles), estimated without the page's fonts as the renderer's `headerWidth` does
 * outside a page: generously, so a title is never cut.
 */
export function estimatedHeaderWidth(node: TopologyNode): number {
  const text = (s: string, px: number) => s.length * px * 0.65;
  const kind = text(KIND_LABELS[node.kind].toUpperCase(), 11) + 11 * 0.05 * KIND_LABELS[node.kind].length;
  const name = text(node.name ?? node.id, 13);
  const cidr = 'cidr' in node && typeof node.cidr === 'string' ? text(node.cidr, 11.5) + 6 : 0;
  const zone = 'zone' in node && typeof node.zone === 'string' ? text(node.zone, 11) + 18 : 0;
  const chrome = 12 * 2 + 18 + 6 * 2 + 18 + 6 + 10;
  return Math.ceil(chrome + kind + name + cidr + zone + 8);
}

/** Lays out nodes VPC > subnet > nodes; containers get a width and height, leaves a position. */
export function autoLayout(nodes: readonly TopologyNode[]): Record<string, LayoutEntry> {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map<string | undefined, TopologyNode[]>();
  for (const node of nodes) {
    const parent = node.parent !== undefined && ids.has(node.parent) ? node.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  let best: { arranged: Arranged; score: number } | undefined;
  for (const inner of INNER_WIDTHS) {
    // The top level's containers each laid out once for this width; then every row width for them.
    const memo = new Map<string, Arranged>();
    const top = children.get(undefined) ?? [];
    const boxes = top.filter(isContainer).map((c) => framed(c, inner, children, memo).width);
    const widest = Math.max(0, ...boxes);
    const total = boxes.reduce((sum, w) => sum + w + GAP * 2, 0);
    for (let rowWidth = Math.max(widest, LEAF.width); ; rowWidth += LEAF.width + GAP) {
      const arranged = arrange(undefined, inner, rowWidth, children, memo);
      const score = Math.min(FIT_BOX.width / Math.max(1, arranged.width), FIT_BOX.height / Math.max(1, arranged.height), 1);
      // Higher score first; on a tie, the smaller area, then the first tried (the narrower).
      if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) <= 1e-9 && arranged.width * arranged.height < best.arranged.width * best.arranged.height)) best = { arranged, score };
      if (rowWidth >= total) break;
    }
  }
  return Object.fromEntries(best?.arranged.entries ?? []);
}

function isContainer(node: TopologyNode): boolean {
  return KINDS[node.kind].traits.container !== false;
}

/** A container laid out with its children rows at most `inner` wide: its box, header and padding included (memoised per width). */
function framed(node: TopologyNode, inner: number, children: ReadonlyMap<string | undefined, TopologyNode[]>, memo: Map<string, Arranged>): Arranged {
  const cached = memo.get(node.id);
  if (cached) return cached;
  const content = arrange(node.id, inner, inner, children, memo);
  const header = estimatedHeaderWidth(node);
  const result: Arranged = {
    width: Math.max(MIN_CONTAINER.width, header, content.width + PAD.left + PAD.right),
    height: Math.max(MIN_CONTAINER.height, content.height + PAD.top + PAD.bottom),
    entries: content.entries,
  };
  memo.set(node.id, result);
  return result;
}

/**
 * The children of `parent` (the top level when undefined): plain nodes in rows as wide as
 * `rowWidth` allows, then containers packed in rows no wider than it (a wider one alone on
 * its row). Positions are relative to the content's top-left, offset by the container's padding.
 */
function arrange(parent: string | undefined, inner: number, rowWidth: number, children: ReadonlyMap<string | undefined, TopologyNode[]>, memo: Map<string, Arranged>): Arranged {
  const kids = children.get(parent) ?? [];
  const origin = parent === undefined ? { x: 0, y: 0 } : { x: PAD.left, y: PAD.top };
  // Top-level containers (VPCs) sit further apart than subnets in a VPC.
  const gap = parent === undefined ? GAP * 2 : GAP;
  const entries = new Map<string, LayoutEntry>();
  const plain = kids.filter((n) => !isContainer(n));
  const frames = kids.filter(isContainer);
  let width = 0;
  let y = 0;
  const columns = Math.max(1, Math.min(plain.length, Math.floor((rowWidth + GAP) / (LEAF.width + GAP))));
  plain.forEach((n, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    entries.set(n.id, { x: origin.x + col * (LEAF.width + GAP), y: origin.y + row * (LEAF.height + GAP) });
    width = Math.max(width, (col + 1) * (LEAF.width + GAP) - GAP);
  });
  if (plain.length > 0) y += Math.ceil(plain.length / columns) * (LEAF.height + GAP);
  let x = 0;
  let rowHeight = 0;
  for (const frame of frames) {
    const box = framed(frame, inner, children, memo);
    if (x > 0 && x + box.width > rowWidth) {
      y += rowHeight + gap;
      x = 0;
      rowHeight = 0;
    }
    entries.set(frame.id, { x: origin.x + x, y: origin.y + y, width: box.width, height: box.height });
    for (const [id, entry] of box.entries) entries.set(id, entry);
    x += box.width + gap;
    rowHeight = Math.max(rowHeight, box.height);
    width = Math.max(width, x - gap);
  }
  if (frames.length > 0) y += rowHeight;
  return { width, height: y, entries };
}
