import { aKind, nameOf, type ValidationRule } from './rule.js';

/**
 * route-table-multiple: a subnet explicitly associated with more than one table, or a VPC
 * with more than one main table (a subnet uses exactly one table).
 * route-table-foreign-subnet: a table lists a subnet of another VPC (or an id that is not
 * a subnet); associations never cross VPCs, and such entries are ignored for routing.
 */
export const routeTableAssociationRule: ValidationRule = {
  name: 'route-table-association',
  codes: ['route-table-multiple', 'route-table-foreign-subnet'],
  check(context, report) {
    const { index, associations } = context;
    for (const { table, slot, subnetId } of associations.foreign) {
      const node = index.node(subnetId);
      const what =
        node === undefined
          ? `"${subnetId}", which is not a node`
          : node.kind !== 'subnet'
            ? `${aKind(node.kind)} ${nameOf(context, subnetId)}, which is not a subnet`
            : `subnet ${nameOf(context, subnetId)} of ${node.parent ? `VPC ${nameOf(context, node.parent)}` : 'no VPC'}`;
      report({
        code: 'route-table-foreign-subnet',
        severity: 'error',
        message: `Route table ${nameOf(context, table.id)} of VPC ${table.parent ? nameOf(context, table.parent) : '(none)'} lists ${what}; a route table can only be associated with subnets of its own VPC`,
        nodeIds: node ? [table.id, subnetId] : [table.id],
        path: index.pathOf(table.id, 'subnets', slot),
      });
    }
    for (const [subnetId, tables] of associations.conflicts) {
      const second = tables[1]!;
      report({
        code: 'route-table-multiple',
        severity: 'error',
        message: `Subnet ${nameOf(context, subnetId)} is associated with ${tables.length} route tables (${tables.map((t) => nameOf(context, t.id)).join(', ')}); a subnet uses exactly one route table, remove it from all but one`,
        nodeIds: [subnetId, ...tables.map((t) => t.id)],
        path: index.pathOf(second.id, 'subnets', (second.subnets ?? []).indexOf(subnetId)),
      });
    }
    for (const [vpcId, tables] of associations.mainByVpc) {
      if (tables.length < 2) continue;
      report({
        code: 'route-table-multiple',
        severity: 'error',
        message: `VPC ${nameOf(context, vpcId)} has ${tables.length} main route tables (${tables.map((t) => nameOf(context, t.id)).join(', ')}); a VPC has exactly one main table`,
        nodeIds: [tables[1]!.id, vpcId, tables[0]!.id],
        path: index.pathOf(tables[1]!.id, 'main'),
      });
    }
  },
};
