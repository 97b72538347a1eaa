import type { LayoutEntry, Topology } from '../../core/model/index.js';
import { absolutePositions, absoluteRects, CONTAINER_HEADER, GRID, isContainerKind, type Point, type Rect } from './geometry.js';

/**
 * Room for nodes: where a new node fits without overlapping any other, and containers
 * that grow (pushing their neighbours aside) so every node is drawn inside the container
 * the model puts it in. Pure functions over the document.
 */

/** The space between a container's edge (or its header) and its children, pixels. */
export const INSET = { left: GRID, right: GRID, top: CONTAINER_HEADER + 12, bottom: GRID } as const;

/** The least space between two nodes side by side (so their handles never touch). */
export const GAP = GRID;

/** How far (in grid steps) a free spot is looked for around the wanted one. */
const SEARCH_STEPS = 48;

/** Where a container's children may sit, in absolute flow coordinates. */
export function contentBox(container: Rect): Rect {
  return { x: container.x + INSET.left, y: container.y + INSET.top, width: Math.max(0, container.width - INSET.left - INSET.right), height: Math.max(0, container.height - INSET.top - INSET.bottom) };
}

function clear(rect: Rect, obstacles: readonly Rect[], gap: number): boolean {
  for (const o of obstacles) {
    if (rect.x < o.x + o.width + gap && o.x < rect.x + rect.width + gap && rect.y < o.y + o.height + gap && o.y < rect.y + rect.height + gap) return false;
  }
  return true;
}

function inside(rect: Rect, bounds: Rect): boolean {
  return rect.x >= bounds.x && rect.y >= bounds.y && rect.x + rect.width <= bounds.x + bounds.width && rect.y + rect.height <= bounds.y + bounds.height;
}

/**
 * The top-left corner nearest to `wanted` (searched on a grid-step lattice around it) where
 * a `size` rectangle keeps `gap` away from every obstacle and, when `bounds` is given, lies
 * within them (the wanted spot is first moved inside them). `null` when there is none
 * within the search radius.
 */
export function freeSpot(wanted: Point, size: { width: number; height: number }, obstacles: readonly Rect[], options: { bounds?: Rect; gap?: number; step?: number } = {}): Point | null {
  const gap = options.gap ?? GAP;
  const step = options.step ?? GRID;
  const bounds = options.bounds;
  let start = wanted;
  if (bounds) {
    if (bounds.width < size.width || bounds.height < size.height) return null;
    start = { x: Math.min(Math.max(wanted.x, bounds.x), bounds.x + bounds.width - size.width), y: Math.min(Math.max(wanted.y, bounds.y), bounds.y + bounds.height - size.height) };
  }
  const fits = (p: Point): boolean => {
    const rect = { ...p, ...size };
    return (!bounds || inside(rect, bounds)) && clear(rect, obstacles, gap);
  };
  if (fits(start)) return start;
  // Rings of growing radius; in each, the candidate nearest to the start wins.
  for (let ring = 1; ring <= SEARCH_STEPS; ring++) {
    let best: Point | null = null;
    let bestDistance = Infinity;
    for (let i = -ring; i <= ring; i++) {
      for (const [dx, dy] of [
        [i, -ring],
        [i, ring],
        [-ring, i],
        [ring, i],
      ] as const) {
        const p = { x: start.x + dx * step, y: start.y + dy * step };
        const distance = Math.hypot(dx, dy);
        if (distance < bestDistance && fits(p)) {
          best = p;
          bestDistance = distance;
        }
      }
    }
    if (best) return best;
  }
  return null;
}

/** Absolute rectangles of a node's siblings (the other children of `parent`, or the top-level nodes). */
export function siblingRects(doc: Topology, parent: string | undefined, except: ReadonlySet<string> = new Set()): Rect[] {
  const rects = absoluteRects(doc);
  return doc.nodes.filter((n) => n.parent === parent && !except.has(n.id)).flatMap((n) => rects.get(n.id) ?? []);
}

/**
 * Grows the ancestors of `id` until each holds its children inside its content box (a
 * child out to the left or top moves the container's corner, its other children keep their
 * place), and after each growth moves the container's neighbours that it now overlaps out
 * of its way (right or down, whichever is shorter). The model's parents are unchanged: the
 * drawing comes to agree with them.
 */
export function growToFit(doc: Topology, id: string): Topology {
  let next = doc;
  let current = next.nodes.find((n) => n.id === id);
  for (let depth = 0; current?.parent !== undefined && depth < 64; depth++) {
    const parent = next.nodes.find((n) => n.id === current?.parent);
    if (!parent || !isContainerKind(parent.kind)) break;
    next = fitChildren(next, parent.id);
    next = pushAside(next, parent.id);
    current = parent;
  }
  return next;
}

/** Makes a container big enough for all its children (inset included). */
function fitChildren(doc: Topology, containerId: string): Topology {
  const rects = absoluteRects(doc);
  const box = rects.get(containerId);
  const children = doc.nodes.filter((n) => n.parent === containerId).flatMap((n) => rects.get(n.id) ?? []);
  if (!box || children.length === 0) return doc;
  const left = Math.min(box.x, ...children.map((c) => c.x - INSET.left));
  const top = Math.min(box.y, ...children.map((c) => c.y - INSET.top));
  const right = Math.max(box.x + box.width, ...children.map((c) => c.x + c.width + INSET.right));
  const bottom = Math.max(box.y + box.height, ...children.map((c) => c.y + c.height + INSET.bottom));
  if (left === box.x && top === box.y && right === box.x + box.width && bottom === box.y + box.height) return doc;
  const dx = box.x - left;
  const dy = box.y - top;
  const layout: Record<string, LayoutEntry> = { ...doc.layout };
  const own = layout[containerId] ?? { x: 0, y: 0 };
  layout[containerId] = { ...own, x: own.x - dx, y: own.y - dy, width: right - left, height: bottom - top };
  // Children are placed relative to the container: a corner that moved left or up moves them back.
  if (dx !== 0 || dy !== 0) {
    for (const child of doc.nodes) {
      if (child.parent !== containerId) continue;
      const entry = layout[child.id] ?? { x: 0, y: 0 };
      layout[child.id] = { ...entry, x: entry.x + dx, y: entry.y + dy };
    }
  }
  return { ...doc, layout };
}

/**
 * Moves the siblings a grown container overlaps out of its way, each by the shorter of
 * right or down (only those beyond its corner: the ones it grew into); a moved sibling
 * pushes the ones it now overlaps in turn.
 */
function pushAside(doc: Topology, containerId: string): Topology {
  const parent = doc.nodes.find((n) => n.id === containerId)?.parent;
  const siblings = doc.nodes.filter((n) => n.parent === parent).map((n) => n.id);
  let next = doc;
  const queue = [containerId];
  for (let guard = 0; queue.length > 0 && guard < siblings.length * siblings.length + 1; guard++) {
    const pusher = queue.shift() as string;
    const rects = absoluteRects(next);
    const box = rects.get(pusher);
    if (!box) continue;
    let layout: Record<string, LayoutEntry> | undefined;
    for (const id of siblings) {
      const r = rects.get(id);
      if (id === pusher || !r || clear(r, [box], GAP)) continue;
      const canRight = r.x > box.x;
      const canDown = r.y > box.y;
      if (!canRight && !canDown) continue;
      const right = box.x + box.width + GAP - r.x;
      const down = box.y + box.height + GAP - r.y;
      layout ??= { ...next.layout };
      const entry = layout[id] ?? { x: 0, y: 0 };
      layout[id] = canRight && (!canDown || right <= down) ? { ...entry, x: entry.x + right } : { ...entry, y: entry.y + down };
      queue.push(id);
    }
    if (layout) next = { ...next, layout };
  }
  return next;
}

/**
 * Where a new node of `size` goes in `parent` (or on the open canvas): the free spot nearest
 * to `wanted` inside the container's content box (or inside `view` on the open canvas), clear
 * of every sibling. When the container is full, the node goes under its children and the
 * container grows (see `growToFit`); on the open canvas, the nearest free spot anywhere.
 * Returns the absolute top-left corner. `except`: nodes that are not in the way (the one being moved).
 */
export function placeNew(doc: Topology, parent: string | undefined, wanted: Point, size: { width: number; height: number }, options: { view?: Rect; except?: ReadonlySet<string> } = {}): Point {
  const view = options.view;
  const obstacles = siblingRects(doc, parent, options.except);
  const parentRect = parent === undefined ? undefined : absoluteRects(doc).get(parent);
  const bounds = parentRect ? contentBox(parentRect) : view;
  const spot = freeSpot(wanted, size, obstacles, bounds ? { bounds } : {});
  if (spot) return spot;
  if (parentRect) {
    // Full: under everything already inside, at the content's left edge.
    const content = contentBox(parentRect);
    const bottom = Math.max(content.y, ...obstacles.map((o) => o.y + o.height + GAP));
    return { x: content.x, y: bottom };
  }
  return freeSpot(wanted, size, obstacles) ?? wanted;
}

/** The absolute position of a node's parent (the origin of its layout entry). */
export function parentOrigin(doc: Topology, parent: string | undefined): Point {
  return parent === undefined ? { x: 0, y: 0 } : (absolutePositions(doc).get(parent) ?? { x: 0, y: 0 });
}

/** The size a new container gets: its kind's default, cut to fit `view` (never below `min`). */
export function fittedSize(size: { width: number; height: number }, view: Rect | undefined, min: { width: number; height: number }): { width: number; height: number } {
  if (!view) return size;
  const snapDown = (v: number) => Math.floor(v / GRID) * GRID;
  return { width: Math.max(min.width, Math.min(size.width, snapDown(view.width - 4 * GRID))), height: Math.max(min.height, Math.min(size.height, snapDown(view.height - 4 * GRID))) };
}
