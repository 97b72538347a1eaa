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

  /**
   * `positions`, when given, is the id -> position map of exactly these nodes (the last node
   * of an id), such as the loader built while checking the file (fast-load.ts), so a
   * 100,000-node file's ids are not hashed a second time. Without it the index builds one.
   */
  constructor(
    readonly topology: Topology,
    positions?: ReadonlyMap<string, number>,
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
