import type { Rect } from '../actions/geometry.js';

/**
 * The lowest zoom at which the canvas's 13 px labels stay legible (about 10 px on screen).
 * Views the app chooses itself (opening a design, showing a diagnostic's nodes, a trace's
 * path, after a layout) never go below it: they pan instead. Only the user zooms further,
 * and then the nodes switch to their far view (see `FAR_ZOOM`).
 */
export const LEGIBLE_ZOOM = 0.75;

/** Below this zoom the nodes draw their far view: larger titles, no details (semantic zoom). */
export const FAR_ZOOM = 0.55;

/**
 * The lowest zoom a trace's path is fitted at, so the whole path is seen beside its answer:
 * below `FAR_ZOOM` the far view keeps titles legible. A path too long even for this is
 * shown centred on its blocker.
 */
export const PATH_ZOOM = 0.3;

/**
 * The zoom that fits a target, kept legible: at least `LEGIBLE_ZOOM` (13 px labels about
 * 10 px on screen), or with a lower `floor` (a trace's path) a fit below it goes on down to
 * the far view (under `FAR_ZOOM`, titles sized in screen pixels), never into the band
 * between, where near-view labels shrink to 7 to 10 px.
 */
function legibleZoom(fit: number, maxZoom: number, floor: number): number {
  if (fit >= Math.min(LEGIBLE_ZOOM, maxZoom) || floor >= LEGIBLE_ZOOM) return Math.max(fit, Math.min(floor, maxZoom));
  return Math.max(floor, Math.min(fit, FAR_ZOOM - 0.01));
}

/** A React Flow viewport: the flow point at the canvas's top-left is (-x / zoom, -y / zoom). */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The union of rectangles (`null` for none). */
export function unionRect(rects: Iterable<Rect>): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width);
    maxY = Math.max(maxY, r.y + r.height);
  }
  return Number.isFinite(minX) ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
}

/**
 * The viewport that shows `target` (flow coordinates) in a canvas `size` pixels big: fitted
 * with `padding` pixels around it when that keeps labels legible (at most `maxZoom`), else
 * at `LEGIBLE_ZOOM`, centred on `anchor` (the part that must be seen: a selection, a
 * blocker; the target's top-left corner by default; its start when it is too big itself)
 * on each axis where the target does not fit, without showing more empty space beyond the
 * target than the padding. `minZoom` lowers the floor (a trace's path, see `PATH_ZOOM`). Pure.
 */
export function legibleViewport(target: Rect, size: { width: number; height: number }, options: { padding?: number; maxZoom?: number; minZoom?: number; anchor?: Rect } = {}): Viewport {
  const padding = options.padding ?? 32;
  const maxZoom = options.maxZoom ?? 1;
  const fit = Math.min((size.width - 2 * padding) / Math.max(1, target.width), (size.height - 2 * padding) / Math.max(1, target.height), maxZoom);
  const zoom = legibleZoom(fit, maxZoom, options.minZoom ?? LEGIBLE_ZOOM);
  const anchor = options.anchor ?? { x: target.x, y: target.y, width: 0, height: 0 };
  const axis = (start: number, extent: number, anchorStart: number, anchorExtent: number, view: number): number => {
    const visible = view / zoom;
    const pad = padding / zoom;
    // The whole target fits this way: centre it.
    if (extent + 2 * pad <= visible) return start + extent / 2 - visible / 2;
    // Centred on the anchor, or on its start (a container's header) when it does not fit either.
    const aimed = anchorExtent + 2 * pad > visible ? anchorStart - pad : anchorStart + anchorExtent / 2 - visible / 2;
    return Math.min(Math.max(aimed, start - pad), start + extent + pad - visible);
  };
  const left = axis(target.x, target.width, anchor.x, anchor.width, size.width);
  const top = axis(target.y, target.height, anchor.y, anchor.height, size.height);
  return { x: -left * zoom, y: -top * zoom, zoom };
}

/** The part of the flow a viewport shows in a canvas of `size` pixels, in flow coordinates. */
export function visibleRect(viewport: Viewport, size: { width: number; height: number }): Rect {
  return { x: -viewport.x / viewport.zoom, y: -viewport.y / viewport.zoom, width: size.width / viewport.zoom, height: size.height / viewport.zoom };
}

/** Whether `inner` lies entirely within `outer`. */
export function containsRect(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** A rectangle in canvas pixels as flow coordinates under a viewport. */
export function screenToFlowRect(rect: Rect, viewport: Viewport): Rect {
  return { x: (rect.x - viewport.x) / viewport.zoom, y: (rect.y - viewport.y) / viewport.zoom, width: rect.width / viewport.zoom, height: rect.height / viewport.zoom };
}

/** Whether two rectangles share any area. */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The viewport, at the same zoom, panned just enough to bring `rect` (flow coordinates)
 * into the canvas with `margin` pixels to spare; its top-left part when it is bigger than
 * the canvas. The same viewport when it is already in.
 */
export function panIntoView(viewport: Viewport, rect: Rect, size: { width: number; height: number }, margin = 24): Viewport {
  const axis = (offset: number, start: number, extent: number, view: number): number => {
    const low = start * viewport.zoom + offset;
    const high = (start + extent) * viewport.zoom + offset;
    if (high - low + 2 * margin > view || low < margin) return offset + (margin - low);
    if (high > view - margin) return offset - (high - (view - margin));
    return offset;
  };
  return { x: axis(viewport.x, rect.x, rect.width, size.width), y: axis(viewport.y, rect.y, rect.height, size.height), zoom: viewport.zoom };
}
