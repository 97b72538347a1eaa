import { memo, useEffect } from 'react';
import { MiniMap, useStore as useFlowStore, type PanelPosition, type ReactFlowState } from '@xyflow/react';
import { ICON_KIND_COLORS } from './icons.js';
import type { TopologyFlowNode } from './flow.js';

/** The minimap's drawn size and its distance from the canvas edges, pixels (React Flow's defaults). */
const MAP = { width: 200, height: 150, margin: 15 };

/** Corners tried in order; bottom-left is the zoom controls'. */
const CORNERS: readonly PanelPosition[] = ['bottom-right', 'top-right', 'top-left'];

interface ScreenRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the minimap would sit in a canvas `width` x `height` pixels big. */
export function minimapRect(corner: PanelPosition, width: number, height: number): ScreenRect {
  const x = corner.endsWith('right') ? width - MAP.margin - MAP.width : MAP.margin;
  const y = corner.startsWith('bottom') ? height - MAP.margin - MAP.height : MAP.margin;
  return { x, y, width: MAP.width, height: MAP.height };
}

/**
 * The first corner where the minimap covers no node (a rectangle in screen pixels of the
 * canvas), or `null` when every corner would cover one. Pure.
 */
export function freeCorner(nodes: Iterable<ScreenRect>, width: number, height: number): PanelPosition | null {
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

/** The corner React Flow's state leaves free, from every node's drawn rectangle (live, during drags too). */
function cornerOf(state: ReactFlowState): PanelPosition | null {
  const [tx, ty, zoom] = state.transform;
  const rects: ScreenRect[] = [];
  for (const node of state.nodeLookup.values()) {
    const position = node.internals.positionAbsolute;
    const width = node.measured.width ?? node.width ?? 0;
    const height = node.measured.height ?? node.height ?? 0;
    rects.push({ x: position.x * zoom + tx, y: position.y * zoom + ty, width: width * zoom, height: height * zoom });
  }
  return freeCorner(rects, state.width, state.height);
}

const nodeColor = (n: TopologyFlowNode): string => ICON_KIND_COLORS[n.data.node.kind];

/**
 * The minimap, in a corner where it covers no node: it moves when the view or the design
 * changes, and hides while every corner has a node under it. `onPlaced` hears where it is
 * (`null`: hidden), so the canvas can say it (`data-minimap`).
 */
export const MiniMapSpot = memo(function MiniMapSpot({ onPlaced }: { onPlaced: (corner: PanelPosition | null) => void }) {
  const corner = useFlowStore(cornerOf);
  useEffect(() => onPlaced(corner), [corner, onPlaced]);
  useEffect(() => () => onPlaced(null), [onPlaced]);
  if (!corner) return null;
  // React Flow names it `rf__minimap` (data-testid); the canvas's data-minimap says where.
  return <MiniMap<TopologyFlowNode> pannable zoomable position={corner} nodeColor={nodeColor} nodeStrokeWidth={2} />;
});
