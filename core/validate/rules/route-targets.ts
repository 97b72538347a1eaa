import { kindHas, kindsWhere } from '../../model/kinds/index.js';
import { aKind, kindWord, nameOf, type ValidationRule } from './rule.js';

/** "an internet gateway, NAT gateway, VPC peering, server or forward proxy": what a route may target. */
function targetKindsText(): string {
  const words = kindsWhere((d) => d.traits.routeTarget !== false).map((kind, i) => (i === 0 ? aKind(kind) : kindWord(kind)));
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/**
 * route-target-missing: a route's target is neither `local`, `blackhole` nor a node of a
 * kind that can carry traffic. route-target-foreign: the target sits in another VPC that
 * is not peered with the table's VPC, or is a peering that does not connect the table's VPC.
 */
export const routeTargetsRule: ValidationRule = {
  name: 'route-targets',
  codes: ['route-target-missing', 'route-target-foreign'],
  check(context, report) {
    const { index } = context;
    const peered = context.peeredVpcs;
    const kinds = targetKindsText();
    for (const table of index.ofKind('route-table')) {
      const tableVpc = table.parent;
      (table.routes ?? []).forEach((route, j) => {
        const target = route.target;
        if (target === 'local' || target === 'blackhole') return;
        const path = index.pathOf(table.id, 'routes', j, 'target');
        const node = index.node(target);
        const where = `Route ${route.destination} in route table ${nameOf(context, table.id)}`;
        if (!node || !kindHas(node.kind, (d) => d.traits.routeTarget !== false)) {
          report({
            code: 'route-target-missing',
            severity: 'error',
            message: node
              ? `${where} points at ${kindWord(node.kind)} ${nameOf(context, target)}, which cannot be a route target; a target is "local", "blackhole" or ${kinds}`
              : `${where} points at "${target}", which is not a node of this topology; a target is "local", "blackhole" or the id of ${kinds}`,
            nodeIds: node ? [table.id, node.id] : [table.id],
            path,
          });
          return;
        }
        if (tableVpc === undefined) return; // parent-invalid
        if (node.kind === 'peering') {
          if ((node.vpcs ?? []).includes(tableVpc)) return;
          report({
            code: 'route-target-foreign',
            severity: 'error',
            message: `${where} uses peering ${nameOf(context, node.id)}, which does not connect this table's VPC ${nameOf(context, tableVpc)}; use a peering between ${nameOf(context, tableVpc)} and the destination VPC`,
            nodeIds: [table.id, node.id],
            path,
          });
          return;
        }
        const targetVpc = index.vpcOf(node.id);
        if (!targetVpc || targetVpc.id === tableVpc || peered.has(`${tableVpc}|${targetVpc.id}`)) return;
        report({
          code: 'route-target-foreign',
          severity: 'error',
          message: `${where} points at ${kindWord(node.kind)} ${nameOf(context, node.id)} in VPC ${nameOf(context, targetVpc.id)}, but the table belongs to VPC ${nameOf(context, tableVpc)} and the two are not peered; route to a target in the same VPC`,
          nodeIds: [table.id, node.id],
          path,
        });
      });
    }
  },
};
