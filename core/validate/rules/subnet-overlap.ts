import { findOverlaps, type Interval } from '../../cidr/sweep.js';
import type { SubnetNode } from '../../model/types.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * subnet-overlap: two subnets of one VPC share addresses. One sort-and-sweep per VPC and
 * IP version (numbers for IPv4), so 100,000 subnets cost n log n, never n². Each
 * overlapping subnet is reported once, against the subnet it must be moved out of.
 */
export const subnetOverlapRule: ValidationRule = {
  name: 'subnet-overlap',
  codes: ['subnet-overlap'],
  check(context, report) {
    const { index } = context;
    const groups = new Map<string, Interval<SubnetNode>[]>();
    // Subnets of one VPC usually come together: look the group up only when the VPC changes.
    let lastKey: string | undefined;
    let list: Interval<SubnetNode>[] = [];
    for (const { node: subnet, span } of context.subnets) {
      if (!span || subnet.parent === undefined) continue;
      const key = span.version === 4 ? subnet.parent : `${subnet.parent}|6`;
      if (key !== lastKey) {
        lastKey = key;
        const existing = groups.get(key);
        if (existing) list = existing;
        else groups.set(key, (list = []));
      }
      list.push({ first: span.first, last: span.last, key: subnet });
    }
    for (const intervals of groups.values()) {
      if (intervals.length < 2) continue;
      for (const pair of findOverlaps(intervals)) {
        // Blame the subnet that comes later in the file: the earlier one was there first.
        const [kept, moved] = index.indexOf(pair.earlier.id) <= index.indexOf(pair.later.id) ? [pair.earlier, pair.later] : [pair.later, pair.earlier];
        const how = kept.cidr === moved.cidr ? 'is the same block as' : pair.nested ? 'overlaps (lies inside or contains)' : 'overlaps';
        report({
          code: 'subnet-overlap',
          severity: 'error',
          message: `Subnet ${nameOf(context, moved.id)} ${moved.cidr} ${how} subnet ${nameOf(context, kept.id)} ${kept.cidr} in the same VPC; subnets of one VPC must not share addresses`,
          nodeIds: [moved.id, kept.id],
          path: index.pathOf(moved.id, 'cidr'),
        });
      }
    }
  },
};
