import { spanContains, type Span } from '../span.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * route-overlap: two routes of one table have the same destination (which one wins is
 * undefined). route-destination-local: a route conflicts with the implicit local route,
 * either a non-local target for exactly a VPC block, or a `local` target for a
 * destination outside the VPC.
 */
export const routeOverlapRule: ValidationRule = {
  name: 'route-overlap',
  codes: ['route-overlap', 'route-destination-local'],
  check(context, report) {
    const { index } = context;
    for (const table of index.ofKind('route-table')) {
      const spans = context.routeSpans.get(table.id) ?? [];
      const routes = table.routes ?? [];
      const vpcBlocks = table.parent === undefined ? [] : (context.vpcBlocks.get(table.parent) ?? []);
      const seen = new Map<string, number>();
      routes.forEach((route, j) => {
        const span = spans[j];
        if (!span) return; // cidr-invalid
        const key = spanKey(span);
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          report({
            code: 'route-overlap',
            severity: 'error',
            message: `Route table ${nameOf(context, table.id)} has two routes for ${route.destination} (routes[${earlier}] -> ${routes[earlier]!.target} and routes[${j}] -> ${route.target}); keep one route per destination`,
            nodeIds: [table.id],
            path: index.pathOf(table.id, 'routes', j, 'destination'),
          });
        } else {
          seen.set(key, j);
        }
        if (vpcBlocks.length === 0) return;
        if (route.target === 'local') {
          if (vpcBlocks.some((block) => spanContains(block.span, span))) return;
          report({
            code: 'route-destination-local',
            severity: 'error',
            message: `Route ${route.destination} -> local in route table ${nameOf(context, table.id)} is outside VPC ${nameOf(context, table.parent!)} (${vpcBlocks.map((b) => b.text).join(', ')}); "local" only reaches the VPC's own blocks`,
            nodeIds: [table.id],
            path: index.pathOf(table.id, 'routes', j, 'target'),
          });
        } else if (vpcBlocks.some((block) => spanKey(block.span) === key)) {
          report({
            code: 'route-destination-local',
            severity: 'error',
            message: `Route ${route.destination} -> ${route.target} in route table ${nameOf(context, table.id)} replaces the implicit local route of VPC ${nameOf(context, table.parent!)}; traffic inside the VPC always uses "local"`,
            nodeIds: [table.id],
            path: index.pathOf(table.id, 'routes', j, 'destination'),
          });
        }
      });
    }
  },
};

function spanKey(span: Span): string {
  return `${span.version}|${span.first}|${span.prefix}`;
}
