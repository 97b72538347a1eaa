import type { LayoutEntry, Topology } from '../../core/model/index.js';
import { absoluteRects } from './geometry.js';

/** Edges and centres nodes can be lined up on, and even spacing. */
export type Alignment = 'left' | 'center' | 'right' | 'top' | 'middle' | 'bottom' | 'distribute-h' | 'distribute-v';

/**
 * Lines up the selected nodes (two or more) on their common left edge, centre, ... in
 * absolute coordinates, or spaces them evenly; positions are written back relative to
 * each node's own parent, so nodes in different containers can be aligned too.
 */
export function alignNodes(doc: Topology, input: { ids: readonly string[]; alignment: Alignment }): Topology {
  const rects = absoluteRects(doc);
  const items = input.ids.map((id) => ({ id, rect: rects.get(id) })).filter((i): i is { id: string; rect: NonNullable<typeof i.rect> } => i.rect !== undefined);
  if (items.length < 2) return doc;
  const target = new Map<string, { x: number; y: number }>();
  const minX = Math.min(...items.map((i) => i.rect.x));
  const maxX = Math.max(...items.map((i) => i.rect.x + i.rect.width));
  const minY = Math.min(...items.map((i) => i.rect.y));
  const maxY = Math.max(...items.map((i) => i.rect.y + i.rect.height));
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  for (const { id, rect } of items) {
    let { x, y } = rect;
    switch (input.alignment) {
      case 'left': x = minX; break;
      case 'right': x = maxX - rect.width; break;
      case 'center': x = cx - rect.width / 2; break;
      case 'top': y = minY; break;
      case 'bottom': y = maxY - rect.height; break;
      case 'middle': y = cy - rect.height / 2; break;
      default: break;
    }
    target.set(id, { x, y });
  }
  if (input.alignment === 'distribute-h' || input.alignment === 'distribute-v') {
    const horizontal = input.alignment === 'distribute-h';
    const sorted = items.slice().sort((a, b) => (horizontal ? a.rect.x - b.rect.x : a.rect.y - b.rect.y));
    const total = sorted.reduce((s, i) => s + (horizontal ? i.rect.width : i.rect.height), 0);
    const span = horizontal ? maxX - minX : maxY - minY;
    const gap = (span - total) / (sorted.length - 1);
    let cursor = horizontal ? minX : minY;
    for (const { id, rect } of sorted) {
      target.set(id, horizontal ? { x: cursor, y: rect.y } : { x: rect.x, y: cursor });
      cursor += (horizontal ? rect.width : rect.height) + gap;
    }
  }
  const layout: Record<string, LayoutEntry> = { ...doc.layout };
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  for (const [id, abs] of target) {
    const parent = byId.get(id)?.parent;
    const origin = parent === undefined ? { x: 0, y: 0 } : (rects.get(parent) ?? { x: 0, y: 0 });
    const entry = layout[id] ?? { x: 0, y: 0 };
    layout[id] = { ...entry, x: Math.round(abs.x - origin.x), y: Math.round(abs.y - origin.y) };
  }
  return { ...doc, layout };
}
