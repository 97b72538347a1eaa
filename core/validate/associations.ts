import type { TopologyIndex } from '../model/queries.js';
import type { RouteTableNode, SubnetNode } from '../model/types.js';

/**
 * Route-table associations of a topology: each subnet's explicit table and each VPC's
 * main table(s). Built once in O(tables + associations) with one map entry per
 * association (no per-subnet arrays: plans have 100,000 subnets). The mistakes the
 * validator must see are kept apart: subnets listed by several tables, VPCs with
 * several main tables.
 *
 * core/routing computes the same "effective route table" for tracing; the two should be
 * unified into one helper in core/model once both exist (noted for the lead).
 */
export interface RouteTableAssociations {
  /** subnet id -> the first table (file order) that lists it in `subnets`. */
  readonly explicit: ReadonlyMap<string, RouteTableNode>;
  /** subnet id -> every table that lists it, only for subnets listed by more than one. */
  readonly conflicts: ReadonlyMap<string, readonly RouteTableNode[]>;
  /** VPC id -> tables with `main: true`, in file order. */
  readonly mainByVpc: ReadonlyMap<string, readonly RouteTableNode[]>;
}

/** Collects explicit associations and main tables. Pure. */
export function routeTableAssociations(index: TopologyIndex): RouteTableAssociations {
  const explicit = new Map<string, RouteTableNode>();
  const conflicts = new Map<string, RouteTableNode[]>();
  const mainByVpc = new Map<string, RouteTableNode[]>();
  for (const table of index.ofKind('route-table')) {
    for (const subnetId of table.subnets ?? []) {
      const first = explicit.get(subnetId);
      if (first === undefined) explicit.set(subnetId, table);
      else if (first !== table) {
        const list = conflicts.get(subnetId);
        if (list) {
          if (!list.includes(table)) list.push(table);
        } else conflicts.set(subnetId, [first, table]);
      }
    }
    if (table.main === true && table.parent !== undefined) {
      const list = mainByVpc.get(table.parent);
      if (list) list.push(table);
      else mainByVpc.set(table.parent, [table]);
    }
  }
  return { explicit, conflicts, mainByVpc };
}

/**
 * The table a subnet's traffic uses, as in AWS: its explicit association, else the main
 * table of its VPC; `undefined` when it has neither. The first of several wins (the
 * validator reports the others).
 */
export function effectiveRouteTable(associations: RouteTableAssociations, subnet: SubnetNode): RouteTableNode | undefined {
  const own = associations.explicit.get(subnet.id);
  if (own !== undefined) return own;
  if (subnet.parent === undefined) return undefined;
  return associations.mainByVpc.get(subnet.parent)?.[0];
}
