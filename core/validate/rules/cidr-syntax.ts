import { KIND_LABELS } from '../../model/kinds.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * cidr-invalid / cidr-host-bits: every CIDR field (VPC, secondary, subnet, route
 * destination) must parse strictly. Host bits set come with the corrected CIDR as a fix.
 */
export const cidrSyntaxRule: ValidationRule = {
  name: 'cidr-syntax',
  codes: ['cidr-invalid', 'cidr-host-bits'],
  check(context, report) {
    for (const item of context.cidrProblems) {
      const node = context.index.node(item.nodeId);
      const what = `${node ? KIND_LABELS[node.kind] : 'Node'} ${nameOf(context, item.nodeId)}, field ${item.field}`;
      // A missing prefix suggests /32 (/128): right for a route to one host, wrong for a network.
      const fix = item.problem.code === 'cidr-host-bits' || item.field.startsWith('routes[') ? item.problem.fix : undefined;
      report({
        code: item.problem.code,
        severity: 'error',
        message: `${what}: ${item.problem.message}`,
        nodeIds: [item.nodeId],
        path: item.path,
        ...(fix ? { fix: { title: `Use ${fix}`, nodeId: item.nodeId, field: item.field, value: fix } } : {}),
      });
    }
  },
};
