import { memo, useLayoutEffect, type RefObject } from 'react';
import { useStore as useFlowStore, type ReactFlowState } from '@xyflow/react';
import { FAR_ZOOM } from './viewport.js';

const zoomOf = (s: ReactFlowState): number => s.transform[2];

/**
 * Semantic zoom without re-rendering a node: writes the zoom on the canvas element, as
 * `data-zoom` (`near`, or `far` below FAR_ZOOM, where the stylesheet swaps each node's
 * details for a larger title) and as `--inv-zoom` (1 / zoom, so far titles are sized in
 * screen pixels).
 */
export const ZoomMode = memo(function ZoomMode({ target }: { target: RefObject<HTMLElement | null> }) {
  const zoom = useFlowStore(zoomOf);
  useLayoutEffect(() => {
    const el = target.current;
    if (!el) return;
    el.dataset['zoom'] = zoom < FAR_ZOOM ? 'far' : 'near';
    el.style.setProperty('--inv-zoom', String(1 / Math.max(zoom, 0.01)));
  }, [zoom, target]);
  return null;
});
