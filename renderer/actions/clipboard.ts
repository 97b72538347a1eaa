import { isDesignZoneName, remapReferences, type Edge, type LayoutEntry, type Topology, type TopologyNode } from '../../core/model/index.js';
import { descendantsOf } from './geometry.js';
import { idAllocator, ID_PREFIX } from './ids.js';

/** A copied piece of a design: nodes (with their descendants), the edges among them, their layout. */
export interface Fragment {
  nodes: TopologyNode[];
  edges: Edge[];
  layout: Record<string, LayoutEntry>;
}

/** Copies the selected nodes with everything inside them and the edges between copied nodes. */
export function copyFragment(doc: Topology, ids: readonly string[]): Fragment {
  const keep = new Set<string>();
  for (const id of ids) {
    keep.add(id);
    for (const d of descendantsOf(doc, id)) keep.add(d);
  }
  const nodes = doc.nodes.filter((n) => keep.has(n.id));
  const edges = doc.edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  const layout: Record<string, LayoutEntry> = {};
  for (const id of keep) {
    const entry = doc.layout[id];
    if (entry) layout[id] = entry;
  }
  return { nodes, edges, layout };
}

/**
 * Pastes a fragment with fresh ids, offset so it does not sit on the original. References
 * inside the fragment are renamed; references to nodes outside it are kept when those
 * still exist (a pasted server stays in its subnet) and dropped otherwise. Designed
 * addresses are dropped so the engine assigns free ones instead of duplicating them.
 * Returns the new document and the ids of the pasted top-level nodes (to select them).
 */
export function pasteFragment(doc: Topology, input: { fragment: Fragment; offset?: number }): { doc: Topology; pasted: string[] } {
  const { fragment } = input;
  const offset = input.offset ?? 32;
  const next = idAllocator(doc);
  const rename = new Map<string, string>();
  for (const node of fragment.nodes) rename.set(node.id, next(ID_PREFIX[node.kind]));
  const existing = new Set(doc.nodes.map((n) => n.id));
  // A DNS name of the design (a proxy rule's upstream) stays as it is.
  const mapRef = (id: string): string | undefined => rename.get(id) ?? (existing.has(id) || isDesignZoneName(doc.nodes, id) ? id : undefined);
  const nodes: TopologyNode[] = [];
  const roots: string[] = [];
  for (const node of fragment.nodes) {
    // Every reference the kind declares (kinds/<kind>.ts) and the parent, renamed or dropped.
    const remapped = remapReferences(node, mapRef);
    if (remapped === null) continue; // a peering whose VPCs were not copied
    const copy: Record<string, unknown> = { ...remapped, id: rename.get(node.id) };
    if (!node.parent || !rename.has(node.parent)) roots.push(copy['id'] as string);
    if ('ip' in copy) delete copy['ip'];
    // A pasted table is a copy, not the VPC's main table.
    if (node.kind === 'route-table' && node.main) delete copy['main'];
    nodes.push(copy as TopologyNode);
  }
  const kept = new Set(nodes.map((n) => n.id));
  const edges: Edge[] = [];
  for (const edge of fragment.edges) {
    const from = rename.get(edge.from);
    const to = rename.get(edge.to);
    if (from && to && kept.has(from) && kept.has(to)) edges.push({ ...edge, id: next('e'), from, to });
  }
  const layout = { ...doc.layout };
  for (const node of fragment.nodes) {
    const id = rename.get(node.id) as string;
    if (!kept.has(id)) continue;
    const entry = fragment.layout[node.id] ?? { x: 0, y: 0 };
    const isRoot = roots.includes(id);
    layout[id] = isRoot ? { ...entry, x: entry.x + offset, y: entry.y + offset } : entry;
  }
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges], layout }, pasted: roots.filter((r) => kept.has(r)) };
}

/** Copy and paste in one step. */
export function duplicateNodes(doc: Topology, input: { ids: readonly string[] }): { doc: Topology; pasted: string[] } {
  return pasteFragment(doc, { fragment: copyFragment(doc, input.ids) });
}
