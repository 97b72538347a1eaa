import type { Diagnostic } from '../diagnostic.js';
import type { SubnetFacts } from '../context.js';
import { labelOf, type ValidationRule } from './rule.js';

/**
 * route-table-missing (warning): a subnet with no explicit route-table association whose
 * VPC has no main table. It keeps the implicit local route (it reaches its own VPC) but
 * nothing else: no internet, no NAT, no peering.
 *
 * A plan drawn without route tables has one per subnet (100,000 in the benchmark's plan), so
 * each is reported as its subnet's facts and built into a diagnostic only when read
 * (`Report.described`): the report prints a few of them, `--json` writes each and drops it.
 */
export const routeTableMissingRule: ValidationRule = {
  name: 'route-table-missing',
  codes: ['route-table-missing'],
  check(context, report) {
    // Indexed: `for...of` allocates per step where this runs unoptimized (once per validation).
    const subnets = context.subnets;
    for (let s = 0; s < subnets.length; s++) {
      const facts = subnets[s]!;
      if (!facts.vpc || facts.table) continue; // no VPC: parent-invalid
      report.described('route-table-missing', 'warning', facts.position, describeMissing, facts);
    }
  },
};

/** The diagnostic of a subnet that has no route table (its facts have a VPC and no table). */
function describeMissing(facts: SubnetFacts): Diagnostic {
  const { node: subnet, position } = facts;
  const vpc = facts.vpc!;
  return {
    code: 'route-table-missing',
    severity: 'warning',
    message: `Subnet ${labelOf(subnet)} has no route table: it is not listed in any route table's "subnets" and VPC ${labelOf(vpc)} has no main table ("main": true), so it can only reach its own VPC`,
    nodeIds: [subnet.id, vpc.id],
    path: `nodes[${position}]`,
  };
}
