import { KIND_TRAITS, type Topology } from '../../core/model/index.js';
import { absoluteRects, type Point } from '../actions/geometry.js';

/**
 * The security group a node was dropped on (its chip on the canvas): one node that takes
 * security groups, let go with the pointer (`pointer`, in flow coordinates) on exactly one
 * group's chip; `undefined` otherwise, and the drag is an ordinary move. Decided from the
 * model's geometry, so it is the same whatever the zoom.
 */
export function groupDropTarget(doc: Topology, draggedIds: readonly string[], pointer: Point): string | undefined {
  if (draggedIds.length !== 1) return undefined;
  const node = doc.nodes.find((n) => n.id === draggedIds[0]);
  if (!node || !KIND_TRAITS[node.kind].securityGroups) return undefined;
  const centre = pointer;
  const rects = absoluteRects(doc);
  const hits = doc.nodes.filter((n) => {
    if (n.kind !== 'security-group') return false;
    const r = rects.get(n.id);
    return r !== undefined && centre.x >= r.x && centre.x <= r.x + r.width && centre.y >= r.y && centre.y <= r.y + r.height;
  });
  return hits.length === 1 ? hits[0]?.id : undefined;
}
