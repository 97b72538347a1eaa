import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { LayoutEntry, Topology } from '../../core/model/index.js';
import { isContainerKind, nodeSize } from '../actions/geometry.js';
import { headerWidth } from '../canvas/measure.js';

const elk = new ELK();

/**
 * Lays the design out with ELK's layered algorithm, containers included (a VPC grows
 * around its subnets): traffic flows left to right. A container is never narrower than its
 * header needs (kind, name, CIDR and zone in full: a subnet holding one server is wider
 * than the server). Returns layout entries relative to each parent, ready for `setLayout`.
 */
export async function autoLayout(doc: Topology): Promise<Record<string, LayoutEntry>> {
  const children = new Map<string | undefined, string[]>();
  const ids = new Set(doc.nodes.map((n) => n.id));
  for (const node of doc.nodes) {
    const parent = node.parent !== undefined && ids.has(node.parent) ? node.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(node.id);
    children.set(parent, list);
  }
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const build = (id: string): ElkNode => {
    const node = byId.get(id);
    const kids = children.get(id) ?? [];
    if (!node) return { id };
    if (isContainerKind(node.kind)) {
      return {
        id,
        layoutOptions: {
          'elk.padding': '[top=56,left=24,bottom=24,right=24]',
          'elk.algorithm': 'layered',
          'elk.direction': 'RIGHT',
          'elk.spacing.nodeNode': '28',
          'elk.layered.spacing.nodeNodeBetweenLayers': '48',
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${headerWidth(node)}, 96)`,
        },
        children: kids.map(build),
        ...(kids.length === 0 ? nodeSize(doc, node) : {}),
      };
    }
    return { id, ...nodeSize(doc, node) };
  };
  const edges: ElkExtendedEdge[] = [];
  for (const edge of doc.edges) if (ids.has(edge.from) && ids.has(edge.to)) edges.push({ id: edge.id, sources: [edge.from], targets: [edge.to] });
  const graph: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
    },
    children: (children.get(undefined) ?? []).map(build),
    edges,
  };
  const result = await elk.layout(graph);
  const out: Record<string, LayoutEntry> = {};
  const visit = (node: ElkNode): void => {
    for (const child of node.children ?? []) {
      const model = byId.get(child.id);
      if (model) {
        const entry: LayoutEntry = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
        if (isContainerKind(model.kind)) {
          entry.width = Math.round(child.width ?? nodeSize(doc, model).width);
          entry.height = Math.round(child.height ?? nodeSize(doc, model).height);
        }
        out[child.id] = entry;
      }
      visit(child);
    }
  };
  visit(result);
  return out;
}
