import { spansOverlap } from '../span.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * peering-overlap (error): peered VPCs with overlapping blocks (the provider refuses the
 * peering). peering-self (error): a peering whose two ends are the same VPC, or not VPCs.
 */
export const peeringRule: ValidationRule = {
  name: 'peering',
  codes: ['peering-overlap', 'peering-self'],
  check(context, report) {
    const { index, profile } = context;
    for (const peering of index.ofKind('peering')) {
      const [a, b] = peering.vpcs ?? [];
      if (a === undefined || b === undefined) continue;
      if (a === b || !index.nodeOfKind(a, 'vpc') || !index.nodeOfKind(b, 'vpc')) {
        const bad = a === b ? `connects VPC ${nameOf(context, a)} with itself` : `connects ${nameOf(context, a)} and ${nameOf(context, b)}, which are not both VPCs`;
        report({
          code: 'peering-self',
          severity: 'error',
          message: `Peering ${nameOf(context, peering.id)} ${bad}; a peering joins two different VPCs`,
          nodeIds: [peering.id],
          path: index.pathOf(peering.id, 'vpcs'),
        });
        continue;
      }
      const clash = firstOverlap(context.vpcBlocks.get(a) ?? [], context.vpcBlocks.get(b) ?? []);
      if (!clash) continue;
      report({
        code: 'peering-overlap',
        severity: 'error',
        message: `Peering ${nameOf(context, peering.id)} joins VPC ${nameOf(context, a)} ${clash[0]} and VPC ${nameOf(context, b)} ${clash[1]}, which overlap; ${profile.label} cannot peer ${profile.vpcWord}s with overlapping CIDR blocks`,
        nodeIds: [peering.id, a, b],
        path: index.pathOf(peering.id, 'vpcs'),
      });
    }
  },
};

function firstOverlap(
  left: readonly { text: string; span: Parameters<typeof spansOverlap>[0] }[],
  right: readonly { text: string; span: Parameters<typeof spansOverlap>[0] }[],
): [string, string] | undefined {
  for (const x of left) for (const y of right) if (spansOverlap(x.span, y.span)) return [x.text, y.text];
  return undefined;
}
