import type { Topology } from './types.js';

/** One referential problem of a document: where it is (JSON path parts) and what is wrong. */
export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Referential integrity of a shape-checked document: unique node and edge ids, parents and
 * other references that name a node, layout entries of existing nodes, no parent cycles.
 * The schema's refinement reports these issues; the fast load path (fast-parse.ts) accepts
 * a document only when there are none. Linear: each parent chain is walked once.
 */
export function referenceIssues(doc: Topology): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const index = new Map<string, number>();
  const nodes = doc.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const seen = index.get(node.id);
    if (seen !== undefined) issues.push({ path: ['nodes', i, 'id'], message: `duplicate node id "${node.id}" (also used by nodes[${seen}])` });
    else index.set(node.id, i);
  }
  // The path is built only for a problem: this runs over every node of every file loaded.
  const ref = (id: string, path: () => (string | number)[], what: string): void => {
    if (!index.has(id)) issues.push({ path: path(), message: `${what} "${id}" is not a node of this topology` });
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const parent = node.parent;
    if (parent !== undefined) {
      if (!index.has(parent)) issues.push({ path: ['nodes', i, 'parent'], message: `parent "${parent}" is not a node of this topology` });
      if (parent === node.id) issues.push({ path: ['nodes', i, 'parent'], message: `node "${node.id}" cannot contain itself` });
    }
    if (node.kind === 'route-table') {
      node.subnets.forEach((s, j) => ref(s, () => ['nodes', i, 'subnets', j], 'associated subnet'));
    } else if (node.kind === 'peering') {
      node.vpcs.forEach((v, j) => ref(v, () => ['nodes', i, 'vpcs', j], 'peered VPC'));
    } else if (node.kind === 'reverse-proxy') {
      node.rules?.forEach((rule, r) => rule.upstreams.forEach((u, j) => ref(u, () => ['nodes', i, 'rules', r, 'upstreams', j], 'upstream')));
    } else if (node.kind === 'autoscaling-group') {
      node.subnets?.forEach((s, j) => ref(s, () => ['nodes', i, 'subnets', j], 'subnet'));
    }
  }
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) issues.push({ path: ['edges', i, 'id'], message: `duplicate edge id "${edge.id}"` });
    edgeIds.add(edge.id);
    ref(edge.from, () => ['edges', i, 'from'], 'edge source');
    ref(edge.to, () => ['edges', i, 'to'], 'edge target');
  });
  for (const id of Object.keys(doc.layout)) {
    if (!index.has(id)) issues.push({ path: ['layout', id], message: `layout entry for "${id}", which is not a node` });
  }
  // A parent cycle (a in b, b in a) would make every containment walk loop forever.
  const loops = parentLoops(doc, index);
  for (let i = 0; i < nodes.length; i++) {
    if (loops[i]) issues.push({ path: ['nodes', index.get(nodes[i]!.id) ?? 0, 'parent'], message: `parent chain of "${nodes[i]!.id}" loops back on itself` });
  }
  return issues;
}

const ON_WALK = 1;
const ENDS = 2;
const LOOPS = 3;

/**
 * For each node, whether following `parent` from it (parents found by id, the first node
 * of an id) ever comes back to an id already on the way. The chain from the first node of
 * an id is the chain of that id, so its answer is shared by every node whose chain reaches
 * it: each id is walked once. A node whose id is a duplicate starts from its own parent,
 * so it is walked on its own (a file with duplicate ids is refused anyway).
 */
function parentLoops(doc: Topology, index: ReadonlyMap<string, number>): boolean[] {
  const nodes = doc.nodes;
  const state = new Uint8Array(nodes.length); // 0: not walked yet
  const out = new Array<boolean>(nodes.length);
  const walk: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (index.get(nodes[i]!.id) !== i) {
      out[i] = loopsFrom(nodes, index, i);
      continue;
    }
    let at: number | undefined = i;
    let result = ENDS;
    while (at !== undefined) {
      const s = state[at]!;
      if (s === ON_WALK) {
        result = LOOPS;
        break;
      }
      if (s === ENDS || s === LOOPS) {
        result = s;
        break;
      }
      state[at] = ON_WALK;
      walk.push(at);
      const parent: string | undefined = nodes[at]!.parent;
      at = parent === undefined ? undefined : index.get(parent);
    }
    // Every node on this walk leads to the same end: into a loop, or out of the tree.
    for (const j of walk) state[j] = result;
    walk.length = 0;
    out[i] = state[i] === LOOPS;
  }
  return out;
}

/** The direct walk for one node: its id, then its parents' ids, until one repeats or the chain ends. */
function loopsFrom(nodes: Topology['nodes'], index: ReadonlyMap<string, number>, start: number): boolean {
  const seen = new Set<string>([nodes[start]!.id]);
  let current = nodes[start]!.parent;
  while (current !== undefined) {
    if (seen.has(current)) return true;
    seen.add(current);
    current = nodes[index.get(current) ?? -1]?.parent;
  }
  return false;
}
