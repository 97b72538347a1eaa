import { memo } from 'react';
import { NODE_KINDS, type NodeKind } from '../../core/model/index.js';
import { RENDERER_KINDS } from '../kinds/index.js';

/**
 * The icon of a node kind as an inline SVG (each kind's line icon lives in its
 * renderer/kinds file). Stroke colour follows `currentColor`, so themes and states colour
 * them with CSS.
 */
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
      {RENDERER_KINDS[kind].icon}
    </svg>
  );
});

/** The accent colour of each kind (canvas accents, exported diagram), from renderer/kinds/. */
export const ICON_KIND_COLORS = Object.fromEntries(NODE_KINDS.map((kind) => [kind, RENDERER_KINDS[kind].color])) as Readonly<Record<NodeKind, string>>;
