import type { Topology } from '../../core/model/index.js';

/** Short id prefix per kind (from the descriptors): new nodes are `web-1`, `subnet-2`, ... */
export { ID_PREFIX } from '../../core/model/index.js';

/** The lowest `prefix-N` (N >= 1) not used by any node or edge id of the document (or `taken`). */
export function freshId(doc: Topology, prefix: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set<string>(taken);
  for (const node of doc.nodes) used.add(node.id);
  for (const edge of doc.edges) used.add(edge.id);
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** Id generator over a document that also remembers the ids it already handed out. */
export function idAllocator(doc: Topology): (prefix: string) => string {
  const handed = new Set<string>();
  return (prefix) => {
    const id = freshId(doc, prefix, handed);
    handed.add(id);
    return id;
  };
}
