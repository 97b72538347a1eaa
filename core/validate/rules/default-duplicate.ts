import { KIND_LABELS } from '../../model/kinds/index.js';
import type { TopologyNode } from '../../model/types.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * default-duplicate: two security groups, or two network ACLs, marked `"default": true` in
 * one VPC. A VPC has one default of each; the first in file order is the one used.
 */
export const defaultDuplicateRule: ValidationRule = {
  name: 'default-duplicate',
  codes: ['default-duplicate'],
  check(context, report): void {
    const { index } = context;
    check(index.ofKind('security-group'));
    check(index.ofKind('network-acl'));

    function check(nodes: readonly (TopologyNode & { default?: boolean })[]): void {
      const byVpc = new Map<string, TopologyNode[]>();
      for (const node of nodes) {
        if (node.default !== true || node.parent === undefined) continue;
        byVpc.set(node.parent, [...(byVpc.get(node.parent) ?? []), node]);
      }
      for (const [vpcId, nodes] of byVpc) {
        if (nodes.length < 2) continue;
        const [first, ...rest] = nodes as [TopologyNode, ...TopologyNode[]];
        const word = first.kind === 'network-acl' ? 'network ACL' : KIND_LABELS[first.kind].toLowerCase();
        for (const extra of rest) {
          report({
            code: 'default-duplicate',
            severity: 'error',
            message: `VPC ${nameOf(context, vpcId)} has two default ${word}s, ${nameOf(context, first.id)} and ${nameOf(context, extra.id)}; a VPC has one (${nameOf(context, first.id)} is used): unset "default" on the other`,
            nodeIds: [extra.id, first.id, vpcId],
            path: index.pathOf(extra.id, 'default'),
            fix: { title: 'Set default to false', nodeId: extra.id, field: 'default', value: false },
          });
        }
      }
    }
  },
};
