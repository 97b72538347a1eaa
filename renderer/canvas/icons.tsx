import { memo, type ReactElement } from 'react';
import type { NodeKind } from '../../core/model/index.js';

/**
 * One recognisable line icon per node kind, drawn inline (no icon font, no network).
 * Stroke colour follows `currentColor`, so themes and states colour them with CSS.
 */
const PATHS: Record<NodeKind, ReactElement> = {
  vpc: (
    <>
      <path d="M7 17.5a4.5 4.5 0 0 1-.5-8.97A6 6 0 0 1 18 7.5a4 4 0 0 1 0 8H7z" />
      <rect x="9" y="11" width="6" height="4" rx="0.5" />
    </>
  ),
  subnet: (
    <>
      <rect x="3.5" y="4.5" width="17" height="15" rx="2" strokeDasharray="2.5 2" />
      <path d="M8 12h8M8 9h5M8 15h6" />
    </>
  ),
  'route-table': (
    <>
      <rect x="3.5" y="4.5" width="17" height="15" rx="1.5" />
      <path d="M3.5 9.5h17M9 9.5v10M12 14.5h6M16 12.5l2 2-2 2" />
    </>
  ),
  'internet-gateway': (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M3.5 12h17M12 3.5c2.5 2.6 2.5 14.4 0 17M12 3.5c-2.5 2.6-2.5 14.4 0 17" />
    </>
  ),
  'nat-gateway': (
    <>
      <rect x="3.5" y="5.5" width="17" height="13" rx="2" />
      <path d="M7 10h8l-2.5-2.5M17 14H9l2.5 2.5" />
    </>
  ),
  peering: (
    <>
      <circle cx="7" cy="12" r="3.5" />
      <circle cx="17" cy="12" r="3.5" />
      <path d="M10.5 12h3" />
    </>
  ),
  server: (
    <>
      <rect x="4.5" y="3.5" width="15" height="7" rx="1.5" />
      <rect x="4.5" y="13.5" width="15" height="7" rx="1.5" />
      <path d="M8 7h.01M8 17h.01M12 7h4M12 17h4" />
    </>
  ),
  'load-balancer': (
    <>
      <circle cx="12" cy="5.5" r="2.5" />
      <circle cx="5" cy="18.5" r="2.5" />
      <circle cx="12" cy="18.5" r="2.5" />
      <circle cx="19" cy="18.5" r="2.5" />
      <path d="M12 8v8M10.5 7.5 6 16.2M13.5 7.5l4.5 8.7" />
    </>
  ),
  'reverse-proxy': (
    <>
      <path d="M12 3.5 19.5 6v5.5c0 4.5-3.2 7.8-7.5 9-4.3-1.2-7.5-4.5-7.5-9V6z" />
      <path d="M8.5 12.5h7M13 10l2.5 2.5L13 15" />
    </>
  ),
  'forward-proxy': (
    <>
      <path d="M12 3.5 19.5 6v5.5c0 4.5-3.2 7.8-7.5 9-4.3-1.2-7.5-4.5-7.5-9V6z" />
      <path d="M15.5 12.5h-7M11 10l-2.5 2.5L11 15" />
    </>
  ),
  cache: (
    <>
      <ellipse cx="12" cy="6" rx="7.5" ry="2.5" />
      <path d="M4.5 6v12c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5V6M4.5 12c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5" />
      <path d="m13 8.5-2.5 4h3l-2.5 4" />
    </>
  ),
  client: (
    <>
      <rect x="3.5" y="4.5" width="17" height="11" rx="1.5" />
      <path d="M9 19.5h6M12 15.5v4" />
    </>
  ),
  'autoscaling-group': (
    <>
      <rect x="3.5" y="7.5" width="9" height="9" rx="1.5" />
      <rect x="11.5" y="3.5" width="9" height="9" rx="1.5" strokeDasharray="2 1.6" />
      <path d="M16 15.5v5M13.5 18h5" />
    </>
  ),
};

/** The icon of a node kind as an inline SVG. */
export const KindIcon = memo(function KindIcon({ kind, size = 20 }: { kind: NodeKind; size?: number }) {
  return (
    <svg
      className="kind-icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {PATHS[kind]}
    </svg>
  );
});

/** The accent colour of each kind (canvas accents, exported diagram). */
export const ICON_KIND_COLORS: Record<NodeKind, string> = {
  vpc: '#2563eb',
  subnet: '#0891b2',
  'route-table': '#7c3aed',
  'internet-gateway': '#059669',
  'nat-gateway': '#0d9488',
  peering: '#4f46e5',
  server: '#475569',
  'load-balancer': '#ea580c',
  'reverse-proxy': '#c026d3',
  'forward-proxy': '#9333ea',
  cache: '#ca8a04',
  client: '#64748b',
  'autoscaling-group': '#16a34a',
};
