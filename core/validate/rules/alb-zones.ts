import { balancerSubnets, singleZoneProblem } from '../../routing/balancer-zones.js';
import { RouteTables } from '../../routing/tables.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * alb-single-zone (warning, AWS designs): an application (layer 7) load balancer whose subnets
 * (its own and those sharing its route table, as the Terraform export places it) are fewer
 * than two, or all name the same zone. AWS refuses to create such a balancer
 * ("At least two subnets in two different Availability Zones must be specified"). A warning,
 * not an error: the lab runs the balancer as drawn; the Terraform export lists it as an error.
 */
export const albZonesRule: ValidationRule = {
  name: 'alb-zones',
  codes: ['alb-single-zone'],
  check(context, report) {
    if (context.profile.id !== 'aws') return;
    const { index } = context;
    const balancers = index.ofKind('load-balancer').filter((lb) => lb.layer === 7 && index.subnetOf(lb.id) !== undefined);
    if (balancers.length === 0) return;
    const routes = new RouteTables(index);
    for (const lb of balancers) {
      const subnets = balancerSubnets(index, routes, lb);
      const problem = singleZoneProblem(subnets.map((s) => s.zone));
      if (problem === undefined) continue;
      const own = subnets[0]?.id === index.subnetOf(lb.id)?.id ? subnets[0] : index.subnetOf(lb.id);
      report({
        code: 'alb-single-zone',
        severity: 'warning',
        message: `Application load balancer ${nameOf(context, lb.id)} ${problem}: AWS requires subnets in at least two availability zones. Add a subnet in another zone that uses the same route table as ${nameOf(context, own?.id ?? '')}, or make it a layer 4 (network) load balancer`,
        nodeIds: [lb.id, ...(own ? [own.id] : [])],
        path: index.pathOf(lb.id, 'parent'),
      });
    }
  },
};
