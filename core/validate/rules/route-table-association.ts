import { kindWord, nameOf, type ValidationRule } from './rule.js';

/**
 * route-table-multiple: a subnet explicitly associated with more than one table, or a VPC
 * with more than one main table (a subnet uses exactly one table).
 * route-table-foreign-subnet: a table lists a subnet of another VPC (or an id that is not
 * a subnet); associations never cross VPCs.
 */
export const routeTableAssociationRule: ValidationRule = {
  name: 'route-table-association',
  codes: ['route-table-multiple', 'route-table-foreign-subnet'],
  check(context, report) {
    const { index, associations } = context;
    for (const table of index.ofKind('route-table')) {
      (table.subnets ?? []).forEach((subnetId, j) => {
        const node = index.node(subnetId);
        if (node?.kind === 'subnet' && node.parent === table.parent) return;
        const what =
          node === undefined
            ? `"${subnetId}", which is not a node`
            : node.kind !== 'subnet'
              ? `${kindWord(node.kind)} ${nameOf(context, subnetId)}, which is not a subnet`
              : `subnet ${nameOf(context, subnetId)} of ${node.parent ? `VPC ${nameOf(context, node.parent)}` : 'no VPC'}`;
        report({
          code: 'route-table-foreign-subnet',
          severity: 'error',
          message: `Route table ${nameOf(context, table.id)} of VPC ${table.parent ? nameOf(context, table.parent) : '(none)'} lists ${what}; a route table can only be associated with subnets of its own VPC`,
          nodeIds: node ? [table.id, subnetId] : [table.id],
          path: index.pathOf(table.id, 'subnets', j),
        });
      });
    }
    for (const [subnetId, tables] of associations.conflicts) {
      const subnet = index.nodeOfKind(subnetId, 'subnet');
      if (!subnet) continue; // route-table-foreign-subnet
      const second = tables[1]!;
      report({
        code: 'route-table-multiple',
        severity: 'error',
        message: `Subnet ${nameOf(context, subnet.id)} is associated with ${tables.length} route tables (${tables.map((t) => nameOf(context, t.id)).join(', ')}); a subnet uses exactly one route table, remove it from all but one`,
        nodeIds: [subnet.id, ...tables.map((t) => t.id)],
        path: index.pathOf(second.id, 'subnets', (second.subnets ?? []).indexOf(subnet.id)),
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
