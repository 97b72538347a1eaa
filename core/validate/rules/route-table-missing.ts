import type { VpcNode } from '../../model/types.js';
import { labelOf, type ValidationRule } from './rule.js';

/**
 * route-table-missing (warning): a subnet with no explicit route-table association whose
 * VPC has no main table. It keeps the implicit local route (it reaches its own VPC) but
 * nothing else: no internet, no NAT, no peering.
 */
export const routeTableMissingRule: ValidationRule = {
  name: 'route-table-missing',
  codes: ['route-table-missing'],
  check(context, report) {
    // One VPC's subnets share the end of the message: build it once per VPC.
    let lastVpc: VpcNode | undefined;
    let tail = '';
    // Indexed: `for...of` allocates per step where this runs unoptimized (once per validation).
    const subnets = context.subnets;
    for (let s = 0; s < subnets.length; s++) {
      const { node: subnet, position, vpc, table } = subnets[s]!;
      if (!vpc || table) continue; // no VPC: parent-invalid
      if (vpc !== lastVpc) {
        lastVpc = vpc;
        tail = ` has no route table: it is not listed in any route table's "subnets" and VPC ${labelOf(vpc)} has no main table ("main": true), so it can only reach its own VPC`;
      }
      report({
        code: 'route-table-missing',
        severity: 'warning',
        message: `Subnet ${labelOf(subnet)}${tail}`,
        nodeIds: [subnet.id, vpc.id],
        path: `nodes[${position}]`,
      }, position);
    }
  },
};
