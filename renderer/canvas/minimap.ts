/** Where the minimap may sit: a corner of the canvas (React Flow's panel positions). */
export type MinimapCorner = 'bottom-right' | 'top-right' | 'top-left';

/**
 * The minimap's drawn size and its distance from the canvas edges, pixels: React Flow's
 * 200 x 150 map and 15 px margin, plus the 1 px border app.css draws around it. Without the
 * border a node ending up to 2 px inside the drawn map counted as free (CI run 17).
 */
const MAP = { width: 202, height: 152, margin: 15 };

/** Corners tried in order; bottom-left is the zoom controls'. */
const CORNERS: readonly MinimapCorner[] = ['bottom-right', 'top-right', 'top-left'];

/** A rectangle in canvas pixels. */
export interface ScreenRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the minimap would sit in a canvas `width` x `height` pixels big. */
export function minimapRect(corner: MinimapCorner, width: number, height: number): ScreenRect {
  const x = corner.endsWith('right') ? width - MAP.margin - MAP.width : MAP.margin;
  const y = corner.startsWith('bottom') ? height - MAP.margin - MAP.height : MAP.margin;
  return { x, y, width: MAP.width, height: MAP.height };
}

/**
 * The first corner where the minimap covers no node (a rectangle in screen pixels of the
 * canvas), or `null` when every corner would cover one. Pure.
 */
export function freeCorner(nodes: Iterable<ScreenRect>, width: number, height: number): MinimapCorner | null {
  const candidates = CORNERS.map((corner) => ({ corner, rect: minimapRect(corner, width, height) }));
  const free = new Set(candidates.map((c) => c.corner));
  for (const node of nodes) {
    for (const { corner, rect } of candidates) {
      if (free.has(corner) && node.x < rect.x + rect.width && rect.x < node.x + node.width && node.y < rect.y + rect.height && rect.y < node.y + node.height) free.delete(corner);
    }
    if (free.size === 0) return null;
  }
  return candidates.find((c) => free.has(c.corner))?.corner ?? null;
}

