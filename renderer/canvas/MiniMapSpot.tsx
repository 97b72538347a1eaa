import { memo, useEffect } from 'react';
import { MiniMap, useStore as useFlowStore, type ReactFlowState } from '@xyflow/react';
import { freeCorner, type MinimapCorner, type ScreenRect } from './minimap.js';
import { ICON_KIND_COLORS } from './icons.js';
import type { TopologyFlowNode } from './flow.js';

/** The corner React Flow's state leaves free, from every node's drawn rectangle (live, during drags too). */
function cornerOf(state: ReactFlowState): MinimapCorner | null {
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
export const MiniMapSpot = memo(function MiniMapSpot({ onPlaced }: { onPlaced: (corner: MinimapCorner | null) => void }) {
  const corner = useFlowStore(cornerOf);
  useEffect(() => onPlaced(corner), [corner, onPlaced]);
  useEffect(() => () => onPlaced(null), [onPlaced]);
  if (!corner) return null;
  // React Flow names it `rf__minimap` (data-testid); the canvas's data-minimap says where.
  return <MiniMap<TopologyFlowNode> pannable zoomable position={corner} nodeColor={nodeColor} nodeStrokeWidth={2} />;
});
