import { memo } from 'react';
import { useLabEdgeRate } from '../context.js';

/** Seconds one dash pattern takes to travel: faster with more traffic, bounded so it stays readable. */
export function dashPeriod(rate: number): number {
  if (rate <= 0) return 0;
  return Math.max(0.25, Math.min(3, 3 / Math.log10(10 + rate)));
}

/**
 * Animated overlay of a traffic edge while the lab carries requests on it: a moving dash
 * whose speed and width follow the request rate, and the rate as a label.
 */
export const LabEdgeTraffic = memo(function LabEdgeTraffic({ id, from, to, path, labelX, labelY }: { id: string; from: string; to: string; path: string; labelX: number; labelY: number }) {
  const rate = useLabEdgeRate(from, to);
  if (rate <= 0) return null;
  const width = Math.min(6, 1.5 + Math.log10(1 + rate));
  return (
    <g className="lab-edge-traffic" data-testid={`lab-edge-${id}`} data-rate={rate}>
      <path d={path} fill="none" className="lab-edge-flow" strokeWidth={width} style={{ animationDuration: `${dashPeriod(rate)}s` }} />
      <text x={labelX} y={labelY - 12} className="lab-edge-label" textAnchor="middle">
        {rate} req/s
      </text>
    </g>
  );
});
