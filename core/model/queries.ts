import type { NodeKind } from './kinds.js';
import type { Edge, NodeOfKind, Topology, TopologyNode } from './types.js';

/**
 * Lookups over one topology, built once in O(n): by id, by kind, children, edges.
 * Validators, routing, exporters and the runtime all walk the model through this, so a
 * question such as "which VPC is this server in" has exactly one answer.
 */
export class TopologyIndex {
  /** Id -> position in `topology.nodes`: one map serves both lookups (100,000 nodes cost one map, not two). */
  private readonly order: Map<string, number> | ReadonlyMap<string, number>;
  private readonly kinds = new Map<NodeKind, TopologyNode[]>();
  /** Built on first use: validation of a big plan never asks for children. */
  private childrenOf: Map<string, TopologyNode[]> | undefined;
  private readonly outgoing = new Map<string, Edge[]>();
  private readonly incoming = new Map<string, Edge[]>();
  /** Position -> its parent's position (-1: none, or not a node); built on first use unless given. */
  private parents: Int32Array | undefined;
  /** Whether every node has its own id (as the schema asks), so a node at a position is also the node of its id. */
  readonly uniqueIds: boolean;
  /** Node position -> positions of the ids its references name (see the constructor), when the loader gave them. */
  private readonly references: ReadonlyMap<number, readonly number[]> | undefined;

  /**
   * `positions`, when given, is the id -> position map of exactly these nodes (the last node
   * of an id), such as the loader built while checking the file (fast-load.ts), so a
   * 100,000-node file's ids are not hashed a second time. Without it the index builds one.
   * `parentAt`, when given, is each node's parent position as the loader resolved it
   * (checkReferences), for a file whose ids are unique; without it the index resolves
   * parents on first use. `references`, when given with `positions`, is node position ->
   * the position (in `positions`) of every id the node's declared references name, in the
   * order `visitIdsAt` finds them, -1 for none (checkReferences built it while checking them).
   */
  constructor(
    readonly topology: Topology,
    positions?: ReadonlyMap<string, number>,
    parentAt?: Int32Array,
    references?: ReadonlyMap<number, readonly number[]>,
  ) {
    const nodes = topology.nodes;
    const order = positions ? undefined : new Map<string, number>();
    this.order = positions ?? order!;
    let lastKind: NodeKind | undefined;
    let list: TopologyNode[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      order?.set(node.id, i);
      // Nodes of one kind usually come together: look the list up only when the kind changes.
      if (node.kind !== lastKind) {
        lastKind = node.kind;
        let existing = this.kinds.get(node.kind);
        if (!existing) this.kinds.set(node.kind, (existing = []));
        list = existing;
      }
      list.push(node);
    }
    for (const edge of topology.edges) {
      push(this.outgoing, edge.from, edge);
      push(this.incoming, edge.to, edge);
    }
    this.uniqueIds = this.order.size === nodes.length;
    if (parentAt !== undefined && this.uniqueIds && parentAt.length === nodes.length) this.parents = parentAt;
    this.references = positions !== undefined && this.uniqueIds ? references : undefined;
  }

  /**
   * The positions of the ids the references of the node at `position` name, in the order the
   * loader checked them (its declared references in turn, each in array order; -1: names no
   * node), when the loader gave them; undefined otherwise (look the ids up with `indexOf`).
   */
  referencePositionsAt(position: number): readonly number[] | undefined {
    return this.references?.get(position);
  }

  /**
   * Position -> parent position, resolved once by id (as `node` would), so that walks up
   * the tree of a 100,000-node plan cost an array read per step, not a hash lookup.
   */
  private parentPositions(): Int32Array {
    if (this.parents) return this.parents;
    const nodes = this.topology.nodes;
    const parents = new Int32Array(nodes.length);
    // Siblings usually come together: look a parent up only when it changes.
    let lastParent: string | undefined;
    let lastAt = -1;
    for (let i = 0; i < nodes.length; i++) {
      const parent = nodes[i]!.parent;
      if (parent === undefined) {
        parents[i] = -1;
        continue;
      }
      if (parent !== lastParent) {
        lastParent = parent;
        lastAt = this.order.get(parent) ?? -1;
      }
      parents[i] = lastAt;
    }
    return (this.parents = parents);
  }

  /**
   * The position of the nearest node of `kind` at or above the node at `position`, as
   * `ancestorOfKind(nodes[position].id, kind)` finds it (the same 64-step bound); -1 for none.
   */
  ancestorPositionOfKind(position: number, kind: NodeKind): number {
    const nodes = this.topology.nodes;
    if (!this.uniqueIds) {
      // Ids repeat (the schema refuses that): follow the id lookups exactly.
      const found = this.ancestorOfKind(nodes[position]!.id, kind);
      return found === undefined ? -1 : this.indexOf(found.id);
    }
    const parents = this.parentPositions();
    let at = position;
    for (let depth = 0; at >= 0 && depth < 64; depth++) {
      if (nodes[at]!.kind === kind) return at;
      at = parents[at]!;
    }
    return -1;
  }

  /** The position of the parent of the node at `position`, as `indexOf(nodes[position].parent)` finds it; -1 for none. */
  parentPositionOf(position: number): number {
    if (this.uniqueIds) return this.parentPositions()[position]!;
    const parent = this.topology.nodes[position]!.parent;
    return parent === undefined ? -1 : this.indexOf(parent);
  }

  /** The parent of the node at `position`, as `node(nodes[position].parent)` finds it. */
  parentAt(position: number): TopologyNode | undefined {
    const at = this.parentPositionOf(position);
    return at < 0 ? undefined : this.topology.nodes[at];
  }

  node(id: string): TopologyNode | undefined {
    const at = this.order.get(id);
    return at === undefined ? undefined : this.topology.nodes[at];
  }

  /** The node with this id if it has this kind. */
  nodeOfKind<K extends NodeKind>(id: string | undefined, kind: K): NodeOfKind<K> | undefined {
    if (id === undefined) return undefined;
    const node = this.node(id);
    return node?.kind === kind ? (node as NodeOfKind<K>) : undefined;
  }

  /** Every node of a kind, in file order. */
  ofKind<K extends NodeKind>(kind: K): NodeOfKind<K>[] {
    return (this.kinds.get(kind) ?? []) as NodeOfKind<K>[];
  }

  children(id: string): TopologyNode[] {
    if (!this.childrenOf) {
      this.childrenOf = new Map();
      for (const node of this.topology.nodes) if (node.parent !== undefined) push(this.childrenOf, node.parent, node);
    }
    return this.childrenOf.get(id) ?? [];
  }

  /** Index of the node in `topology.nodes` (for JSON paths such as `nodes[3].cidr`). */
  indexOf(id: string): number {
    return this.order.get(id) ?? -1;
  }

  /** JSON path of a node field, e.g. `nodes[3].cidr`. */
  pathOf(id: string, ...fields: (string | number)[]): string {
    let out = `nodes[${this.indexOf(id)}]`;
    for (const field of fields) out += typeof field === 'number' ? `[${field}]` : `.${field}`;
    return out;
  }

  /** Nearest ancestor (or the node itself) of the given kind. */
  ancestorOfKind<K extends NodeKind>(id: string, kind: K): NodeOfKind<K> | undefined {
    let current = this.node(id);
    // The schema refuses parent cycles; the bound is a second guard for unchecked input.
    for (let depth = 0; current && depth < 64; depth++) {
      if (current.kind === kind) return current as NodeOfKind<K>;
      current = current.parent === undefined ? undefined : this.node(current.parent);
    }
    return undefined;
  }

  /** The subnet a node sits in (itself for a subnet). */
  subnetOf(id: string): NodeOfKind<'subnet'> | undefined {
    return this.ancestorOfKind(id, 'subnet');
  }

  /** The VPC a node sits in (itself for a VPC). */
  vpcOf(id: string): NodeOfKind<'vpc'> | undefined {
    return this.ancestorOfKind(id, 'vpc');
  }

  edgesFrom(id: string): Edge[] {
    return this.outgoing.get(id) ?? [];
  }

  edgesTo(id: string): Edge[] {
    return this.incoming.get(id) ?? [];
  }

  /** Nodes an edge from `id` points at: a balancer's targets, a proxy's upstreams. */
  targetsOf(id: string): TopologyNode[] {
    const out: TopologyNode[] = [];
    for (const edge of this.edgesFrom(id)) {
      const node = this.node(edge.to);
      if (node) out.push(node);
    }
    return out;
  }

  /** A readable name: `name (id)` when named, else the id. */
  label(id: string): string {
    const node = this.node(id);
    if (!node) return id;
    return node.name && node.name !== node.id ? `${node.name} (${node.id})` : node.id;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An empty topology, as the canvas's "New" creates it. */
export function emptyTopology(name = 'Untitled'): Topology {
  return { schema: 'topolab/1', name, provider: 'aws', nodes: [], edges: [], layout: {} };
}
