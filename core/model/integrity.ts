import { pathAt, visitIdsAt, type ResolvingReference, type ResolvingReferences } from './kinds/reference-path.js';
import { designZoneNames, isInZone } from './dns-names.js';
import type { Topology } from './types.js';

/** One referential problem of a document: where it is (JSON path parts) and what is wrong. */
export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

/** The reference problems of a document, and the id -> position map built to find them. */
export interface ReferenceCheck {
  issues: ReferenceIssue[];
  /** Id -> position in `nodes` (the last node of an id, as TopologyIndex has it). */
  positions: Map<string, number>;
  /** Position -> the position of its parent (the first node of the parent's id), -1 for none or a missing one. */
  parentAt: Int32Array;
  /**
   * Node position -> the position (as `positions` has it) of every id its declared references
   * name, in the order `visitIdsAt` finds them (declared order, then array order); -1 for one
   * that names no node (a DNS name). Only for a document whose ids are unique. A route table's
   * associations are resolved from it (routeTableAssociations), not looked up by id again.
   */
  references: Map<number, number[]>;
}

/**
 * Referential integrity of a shape-checked document: unique node and edge ids, parents and
 * the references each kind declares (`references`: the descriptors' `RESOLVING_REFERENCES`,
 * or the generated parser's copy of it) that name a node, layout entries of existing
 * nodes, no parent cycles. The schema's refinement reports these issues; the fast load
 * path (fast-load.ts) accepts a document only when there are none. Linear: each parent
 * chain is walked once.
 */
export function referenceIssues(doc: Topology, references: ResolvingReferences): ReferenceIssue[] {
  return checkReferences(doc, references).issues;
}

/** `referenceIssues`, and the id map it built (a valid file's loader hands it to TopologyIndex). */
export function checkReferences(doc: Topology, references: ResolvingReferences): ReferenceCheck {
  const issues: ReferenceIssue[] = [];
  const nodes = doc.nodes;
  const positions = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) positions.set(nodes[i]!.id, i);
  // Ids are unique unless the map came out smaller; only then is the first node of each id needed.
  const first = positions.size === nodes.length ? positions : firstPositions(doc, issues);
  const parentAt = new Int32Array(nodes.length).fill(-1);
  const missing = (id: string, what: string): ReferenceIssue['message'] => `${what} "${id}" is not a node of this topology`;
  // The path is built only for a problem: this runs over every node and association of
  // every file loaded (a 100,000-subnet plan lists 50,000 associations).
  let checking = 0;
  let declared: ResolvingReference | undefined;
  const resolvedAt = new Map<number, number[]>();
  const unique = first === positions;
  let resolved: number[] = [];
  // A DNS name of the document's zones stands where a reference allows one (a proxy rule's upstream).
  let zones: string[] | undefined;
  const inZone = (name: string): boolean => (zones ??= designZoneNames(doc.nodes)).some((zone) => isInZone(name, zone));
  const check = (id: string, where: readonly number[]): void => {
    const at = positions.get(id);
    if (unique) resolved.push(at ?? -1);
    if (at !== undefined || (declared!.dnsNames === true && inZone(id))) return;
    issues.push({ path: ['nodes', checking, ...pathAt(declared!.at, where)], message: missing(id, declared!.noun) });
  };
  // Siblings usually come together (a VPC's subnets, a subnet's servers): look a parent up
  // only when it changes. A map lookup is the dearest step here on a big file.
  let lastParent: string | undefined;
  let lastAt: number | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const parent = node.parent;
    if (parent !== undefined) {
      if (parent !== lastParent) {
        lastParent = parent;
        lastAt = first.get(parent);
      }
      const at = lastAt;
      if (at === undefined) issues.push({ path: ['nodes', i, 'parent'], message: `parent "${parent}" is not a node of this topology` });
      else parentAt[i] = at;
      if (parent === node.id) issues.push({ path: ['nodes', i, 'parent'], message: `node "${node.id}" cannot contain itself` });
    }
    const declaredHere = references[node.kind];
    if (declaredHere !== undefined && declaredHere.length > 0) {
      checking = i;
      if (unique) resolvedAt.set(i, (resolved = []));
      for (declared of declaredHere) visitIdsAt(node, declared.at, declared.keywords, check);
    }
  }
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) issues.push({ path: ['edges', i, 'id'], message: `duplicate edge id "${edge.id}"` });
    edgeIds.add(edge.id);
    if (!positions.has(edge.from)) issues.push({ path: ['edges', i, 'from'], message: missing(edge.from, 'edge source') });
    if (!positions.has(edge.to)) issues.push({ path: ['edges', i, 'to'], message: missing(edge.to, 'edge target') });
  });
  for (const id of Object.keys(doc.layout)) {
    if (!positions.has(id)) issues.push({ path: ['layout', id], message: `layout entry for "${id}", which is not a node` });
  }
  // A parent cycle (a in b, b in a) would make every containment walk loop forever.
  const loops = parentLoops(doc, first, parentAt);
  for (let i = 0; i < nodes.length; i++) {
    if (loops[i] === LOOPS) issues.push({ path: ['nodes', first.get(nodes[i]!.id) ?? 0, 'parent'], message: `parent chain of "${nodes[i]!.id}" loops back on itself` });
  }
  return { issues, positions, parentAt, references: resolvedAt };
}

/** Id -> first position, reporting each later node that repeats an id (in node order). */
function firstPositions(doc: Topology, issues: ReferenceIssue[]): Map<string, number> {
  const first = new Map<string, number>();
  doc.nodes.forEach((node, i) => {
    const seen = first.get(node.id);
    if (seen !== undefined) issues.push({ path: ['nodes', i, 'id'], message: `duplicate node id "${node.id}" (also used by nodes[${seen}])` });
    else first.set(node.id, i);
  });
  return first;
}

const ON_WALK = 1;
const ENDS = 2;
const LOOPS = 3;

/**
 * For each node, LOOPS when following `parent` from it (parents found by id, the first node
 * of an id) ever comes back to an id already on the way. The chain from the first node of
 * an id is the chain of that id, so its answer is shared by every node whose chain reaches
 * it: each node is walked once. A node whose id is a duplicate starts from its own parent,
 * so it is walked on its own (a file with duplicate ids is refused anyway).
 */
function parentLoops(doc: Topology, first: ReadonlyMap<string, number>, parentAt: Int32Array): Uint8Array {
  const nodes = doc.nodes;
  const unique = first.size === nodes.length;
  const state = new Uint8Array(nodes.length); // 0: not walked yet
  const walk = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    if (state[i] !== 0) continue;
    if (!unique && first.get(nodes[i]!.id) !== i) {
      state[i] = loopsFrom(nodes, first, i) ? LOOPS : ENDS;
      continue;
    }
    let length = 0;
    let at = i;
    let result = ENDS;
    while (at >= 0) {
      const s = state[at]!;
      if (s === ON_WALK) {
        result = LOOPS;
        break;
      }
      if (s !== 0) {
        result = s;
        break;
      }
      state[at] = ON_WALK;
      walk[length++] = at;
      at = parentAt[at]!;
    }
    // Every node on this walk leads to the same end: into a loop, or out of the tree.
    for (let j = 0; j < length; j++) state[walk[j]!] = result;
  }
  return state;
}

/** The direct walk for one node: its id, then its parents' ids, until one repeats or the chain ends. */
function loopsFrom(nodes: Topology['nodes'], first: ReadonlyMap<string, number>, start: number): boolean {
  const seen = new Set<string>([nodes[start]!.id]);
  let current = nodes[start]!.parent;
  while (current !== undefined) {
    if (seen.has(current)) return true;
    seen.add(current);
    current = nodes[first.get(current) ?? -1]?.parent;
  }
  return false;
}

