import { nameOf, type ValidationRule } from './rule.js';

/**
 * route-table-missing (warning): a subnet with no explicit route-table association whose
 * VPC has no main table. It keeps the implicit local route (it reaches its own VPC) but
 * nothing else: no internet, no NAT, no peering.
 */
export const routeTableMissingRule: ValidationRule = {
  name: 'route-table-missing',
  codes: ['route-table-missing'],
  check(context, report) {
    const { index } = context;
    for (const { node: subnet, vpc, table } of context.subnets) {
      if (!vpc || table) continue; // no VPC: parent-invalid
      report({
        code: 'route-table-missing',
        severity: 'warning',
        message: `Subnet ${nameOf(context, subnet.id)} has no route table: it is not listed in any route table's "subnets" and VPC ${nameOf(context, vpc.id)} has no main table ("main": true), so it can only reach its own VPC`,
        nodeIds: [subnet.id, vpc.id],
        path: index.pathOf(subnet.id),
      });
    }
  },
};
