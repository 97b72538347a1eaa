import type { Edge, Topology, TopologyNode } from '../../model/types.js';
import type { Ignored, Inventory, Tags } from '../inventory.js';

/** Why an imported node listens where it does: the report says it for every server and group. */
export interface PortNote {
  nodeId: string;
  port: number;
  /** `target group NAME`, `security group rule`, or `default`. */
  source: string;
}

/** What the builder collects while it turns an inventory into a design. */
export class DesignBuilder {
  readonly nodes: TopologyNode[] = [];
  readonly edges: Edge[] = [];
  readonly ignored: Ignored[];
  readonly ports: PortNote[] = [];
  private readonly byId = new Map<string, TopologyNode>();

  constructor(readonly inventory: Inventory) {
    this.ignored = [...inventory.ignored];
  }

  /** Adds a node unless its id is taken (then it is listed in `ignored`). */
  add(node: TopologyNode, type: string): boolean {
    if (this.byId.has(node.id)) {
      this.ignore(type, node.id, `the id is already used by a ${this.byId.get(node.id)?.kind ?? 'node'} of this import`);
      return false;
    }
    this.byId.set(node.id, node);
    this.nodes.push(node);
    return true;
  }

  node(id: string): TopologyNode | undefined {
    return this.byId.get(id);
  }

  has(id: string, kind?: TopologyNode['kind']): boolean {
    const node = this.byId.get(id);
    return node !== undefined && (kind === undefined || node.kind === kind);
  }

  ignore(type: string, id: string, reason: string): void {
    this.ignored.push({ type, id, reason });
  }

  /** Adds an edge with a unique id. */
  edge(from: string, to: string, id: string, label?: string): void {
    let unique = id.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 120);
    for (let n = 2; this.edges.some((e) => e.id === unique); n++) unique = `${id.slice(0, 115)}.${n}`;
    this.edges.push({ id: unique, from, to, ...(label !== undefined ? { label } : {}) });
  }

  result(name: string, layout: Topology['layout']): Topology {
    return { schema: 'topolab/1', name, provider: 'aws', nodes: this.nodes, edges: this.edges, layout };
  }
}

/** `name` from the `Name` tag; the other tags kept as they are. */
export function nameAndTags(tags: Tags): { name?: string; tags?: Tags } {
  const { Name: name, ...rest } = tags;
  return { ...(name !== undefined && name !== '' ? { name: name.slice(0, 200) } : {}), ...(Object.keys(rest).length > 0 ? { tags: rest } : {}) };
}
