import type { Topology } from '../../core/model/index.js';
import { diagnosticEdgeId, type Diagnostic, type Severity } from '../../core/validate/index.js';

/**
 * The diagnostics about drawn edges (`path` `edges[i]`, or the edge's id for
 * `connection-blocked`): each edge's worst
 * severity, which colours it, and its messages, shown on hover (a blocked connection names
 * its blocker and why).
 */
export function edgeDiagnostics(diagnostics: readonly Diagnostic[], doc: Topology): { edgeBadges: Map<string, Severity>; edgeReasons: Map<string, string> } {
  const edgeBadges = new Map<string, Severity>();
  const edgeReasons = new Map<string, string>();
  const edgeIds = doc.edges.map((e) => e.id);
  const known = new Set(edgeIds);
  for (const d of diagnostics) {
    const id = diagnosticEdgeId(d, edgeIds, known);
    if (id === undefined) continue;
    if (edgeBadges.get(id) !== 'error' || d.severity === 'error') edgeBadges.set(id, d.severity);
    const earlier = edgeReasons.get(id);
    edgeReasons.set(id, earlier === undefined ? d.message : `${earlier}\n${d.message}`);
  }
  return { edgeBadges, edgeReasons };
}

/** The id of the canvas node under the pointer where a drag ended, if any (the topmost: a server before its subnet). */
export function nodeUnderPointer(event: MouseEvent | TouchEvent): string | undefined {
  const point = 'changedTouches' in event ? event.changedTouches[0] : event;
  if (!point) return undefined;
  for (const element of document.elementsFromPoint(point.clientX, point.clientY)) {
    const node = element.closest('.react-flow__node');
    const id = node?.getAttribute('data-id');
    if (id) return id;
  }
  return undefined;
}
