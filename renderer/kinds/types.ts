import type { ComponentType, ReactElement } from 'react';
import type { NodeKind, NodeOfKind, Topology } from '../../core/model/index.js';
import type { Diagnostic } from '../../core/validate/index.js';
import type { EditableField } from '../actions/edit.js';

/**
 * Sets one field of the inspected node (`undefined` removes it). The field is one the
 * compiler knows for that kind, with its schema type; the edit is schema-checked again
 * before it enters history.
 */
export type Patch<N> = <F extends EditableField<N>>(field: F, value: N[F] | undefined) => void;

/** What a kind's inspector section gets. */
export interface InspectorProps<K extends NodeKind> {
  doc: Topology;
  node: NodeOfKind<K>;
  patch: Patch<NodeOfKind<K>>;
  /** The validator's findings about this node. */
  diagnostics: readonly Diagnostic[];
}

/** The palette's sections, in the order it shows them. */
export const PALETTE_GROUPS = ['Network', 'Compute', 'Traffic', 'Names'] as const;

/** Everything the renderer draws for one kind. One file per kind under renderer/kinds/. */
export interface RendererKind<K extends NodeKind> {
  /** Line icon on a 24 × 24 grid, stroked with `currentColor`. */
  icon: ReactElement;
  /** Accent colour (light theme): canvas accents, icons and the exported diagram. */
  color: string;
  /** Accent colour in the dark theme. */
  darkColor: string;
  /** Where the palette lists it (its section, its place there) and the hover hint. */
  palette: { group: (typeof PALETTE_GROUPS)[number]; rank: number; hint: string };
  /** The line under a node's name on the canvas; default its address (or "no address"). */
  subtitle?(node: NodeOfKind<K>): string;
  /** Containers: the hint inside an empty frame. */
  emptyHint?: string;
  /** Containers: a dashed frame, with this dash pattern in the exported SVG diagram. */
  frameDash?: string;
  /** The kind's sections of the inspector, after General. */
  Inspector: ComponentType<InspectorProps<K>>;
}
