import type { TopologyIndex } from '../model/queries.js';
import type { RouteTableNode, SubnetNode } from '../model/types.js';

/** A table's `subnets` entry that does not name a subnet of the table's own VPC. */
export interface ForeignAssociation {
  table: RouteTableNode;
  /** Index in the table's `subnets`. */
  slot: number;
  subnetId: string;
}

/**
 * Route-table associations of a topology: each subnet's explicit table and each VPC's
 * main table(s), plus the mistakes a validator must see (a subnet listed by several
 * tables, a VPC with several main tables, a table listing a subnet of another VPC).
 *
 * Built once in O(tables + associations). Explicit tables are kept by the subnet's node
 * position (an array), not in a new id-keyed map: plans have 100,000 subnets and a map
 * entry per subnet costs more than the rest of the pass.
 *
 * The one source of "which table does this subnet use": the validator reports the
 * mistakes it collects, and RouteTables (tracing, the lab, exports) routes with it, so a
 * table listing a subnet of another VPC is ignored the same way everywhere.
 */
export interface RouteTableAssociations {
  /** Node position of a subnet -> the first table (file order) that lists it. */
  readonly explicitAt: readonly (RouteTableNode | undefined)[];
  /** subnet id -> every table that lists it, only for subnets listed by more than one. */
  readonly conflicts: ReadonlyMap<string, readonly RouteTableNode[]>;
  /** VPC id -> tables with `main: true`, in file order. */
  readonly mainByVpc: ReadonlyMap<string, readonly RouteTableNode[]>;
  /** Entries that are not subnets of the table's VPC (ignored for routing). */
  readonly foreign: readonly ForeignAssociation[];
}

/** Collects explicit associations, main tables and the association mistakes. Pure. */
export function routeTableAssociations(index: TopologyIndex): RouteTableAssociations {
  const nodes = index.topology.nodes;
  const explicitAt = new Array<RouteTableNode | undefined>(nodes.length);
  const conflicts = new Map<string, RouteTableNode[]>();
  const mainByVpc = new Map<string, RouteTableNode[]>();
  const foreign: ForeignAssociation[] = [];
  for (const table of index.ofKind('route-table')) {
    const listed = table.subnets ?? [];
    // The loader resolved these ids while checking them (a route table's one declared
    // reference is its `subnets`): 50,000 associations are not looked up by id a second time.
    // Another reference declared later would make the counts differ, and the ids be looked up.
    const known = listed.length > 0 ? index.referencePositionsAt(index.indexOf(table.id)) : undefined;
    const resolved = known !== undefined && known.length === listed.length ? known : undefined;
    for (let slot = 0; slot < listed.length; slot++) {
      const subnetId = listed[slot]!;
      const position = resolved !== undefined ? resolved[slot]! : index.indexOf(subnetId);
      const node = position < 0 ? undefined : nodes[position];
      if (node?.kind !== 'subnet' || node.parent !== table.parent) {
        foreign.push({ table, slot, subnetId });
        continue;
      }
      const first = explicitAt[position];
      if (first === undefined) explicitAt[position] = table;
      else if (first !== table) {
        const list = conflicts.get(subnetId);
        if (!list) conflicts.set(subnetId, [first, table]);
        else if (!list.includes(table)) list.push(table);
      }
    }
    if (table.main === true && table.parent !== undefined) {
      const list = mainByVpc.get(table.parent);
      if (list) list.push(table);
      else mainByVpc.set(table.parent, [table]);
    }
  }
  return { explicitAt, conflicts, mainByVpc, foreign };
}

/**
 * The table a subnet's traffic uses, as in AWS: its explicit association, else the main
 * table of its VPC; `undefined` when it has neither. The first of several wins (the
 * validator reports the others).
 */
export function effectiveRouteTable(associations: RouteTableAssociations, index: TopologyIndex, subnet: SubnetNode): RouteTableNode | undefined {
  const own = associations.explicitAt[index.indexOf(subnet.id)];
  if (own !== undefined) return own;
  if (subnet.parent === undefined) return undefined;
  return associations.mainByVpc.get(subnet.parent)?.[0];
}
