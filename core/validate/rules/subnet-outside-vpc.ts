import type { VpcNode } from '../../model/types.js';
import type { VpcBlock } from '../context.js';
import { spanContains } from '../span.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * subnet-outside-vpc: a subnet must lie entirely inside one of its VPC's blocks (primary
 * or secondary). A VPC has at most six blocks, so this is O(subnets).
 */
export const subnetOutsideVpcRule: ValidationRule = {
  name: 'subnet-outside-vpc',
  codes: ['subnet-outside-vpc'],
  check(context, report) {
    const { index } = context;
    let lastVpc: VpcNode | undefined;
    let blocks: readonly VpcBlock[] = [];
    // Indexed: `for...of` allocates per step where this runs unoptimized (once per validation).
    const subnets = context.subnets;
    for (let s = 0; s < subnets.length; s++) {
      const { node: subnet, span, vpc } = subnets[s]!;
      if (!span || !vpc) continue;
      if (vpc !== lastVpc) {
        lastVpc = vpc;
        blocks = context.vpcBlocks.get(vpc.id) ?? [];
      }
      // A VPC whose CIDRs are all invalid is reported by cidr-invalid; nothing to compare with.
      if (blocks.length === 0) continue;
      let inside = false;
      for (let b = 0; b < blocks.length; b++) {
        if (spanContains(blocks[b]!.span, span)) {
          inside = true;
          break;
        }
      }
      if (inside) continue;
      const list = blocks.map((b) => b.text).join(', ');
      report({
        code: 'subnet-outside-vpc',
        severity: 'error',
        message: `Subnet ${nameOf(context, subnet.id)} ${subnet.cidr} is not inside its VPC ${nameOf(context, vpc.id)} (${list}); a subnet must lie within one of its VPC's CIDR blocks`,
        nodeIds: [subnet.id, vpc.id],
        path: index.pathOf(subnet.id, 'cidr'),
      });
    }
  },
};
