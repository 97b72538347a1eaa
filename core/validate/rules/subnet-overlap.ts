import { findEarlierOverlaps, type Interval } from '../../cidr/sweep.js';
import type { SubnetNode } from '../../model/types.js';
import type { SubnetFacts } from '../context.js';
import { nameOf, type ValidationRule } from './rule.js';

/** The overlaps named for one subnet; more are counted in one summary diagnostic. */
export const MAX_OVERLAPS_NAMED = 5;

/**
 * subnet-overlap: two subnets of one VPC share addresses. Every subnet that overlaps a
 * subnet listed before it in the file is reported, against each of those (the later one
 * is blamed: the earlier was there first), in one pass: one sweep per VPC and IP version
 * (numbers for IPv4), so 100,000 subnets cost n log n, never n². A subnet overlapping
 * more than MAX_OVERLAPS_NAMED earlier subnets gets one more diagnostic counting the rest,
 * so a file of thousands of copies of one block stays readable.
 */
export const subnetOverlapRule: ValidationRule = {
  name: 'subnet-overlap',
  codes: ['subnet-overlap'],
  check(context, report) {
    const { index } = context;
    const groups = new Map<string, SubnetFacts[]>();
    // Subnets of one VPC usually come together: look the group up only when the VPC changes.
    let lastKey: string | undefined;
    let list: SubnetFacts[] = [];
    // Indexed: `for...of` allocates per step where this runs unoptimized (once per validation).
    const subnets = context.subnets;
    for (let s = 0; s < subnets.length; s++) {
      const facts = subnets[s]!;
      const { node: subnet, span } = facts;
      if (!span || subnet.parent === undefined) continue;
      const key = span.version === 4 ? subnet.parent : `${subnet.parent}|6`;
      if (key !== lastKey) {
        lastKey = key;
        const existing = groups.get(key);
        if (existing) list = existing;
        else groups.set(key, (list = []));
      }
      list.push(facts);
    }
    for (const members of groups.values()) {
      // A VPC's subnets listed in address order without sharing any: nothing to sweep, no intervals to build.
      if (members.length < 2 || ascendingAndDisjoint(members)) continue;
      const intervals: Interval<SubnetNode>[] = members.map((facts) => ({ first: facts.span!.first, last: facts.span!.last, key: facts.node }));
      for (const { interval, earlier, total } of findEarlierOverlaps(intervals, MAX_OVERLAPS_NAMED)) {
        const moved = interval.key;
        const path = index.pathOf(moved.id, 'cidr');
        for (const other of earlier) {
          const kept = other.key;
          const same = other.first === interval.first && other.last === interval.last;
          const inside = other.first <= interval.first && interval.last <= other.last;
          const relation = same
            ? `is the same block as subnet ${nameOf(context, kept.id)} ${kept.cidr} in the same VPC`
            : `overlaps subnet ${nameOf(context, kept.id)} ${kept.cidr} in the same VPC (it ${inside ? 'lies inside' : 'contains'} it)`;
          report({
            code: 'subnet-overlap',
            severity: 'error',
            message: `Subnet ${nameOf(context, moved.id)} ${moved.cidr} ${relation}; subnets of one VPC must not share addresses`,
            nodeIds: [moved.id, kept.id],
            path,
          });
        }
        const more = total - earlier.length;
        if (more > 0) {
          report({
            code: 'subnet-overlap',
            severity: 'error',
            message: `Subnet ${nameOf(context, moved.id)} ${moved.cidr} also overlaps ${more} more subnet${more === 1 ? '' : 's'} listed before it in the same VPC; only the first ${earlier.length} are named, each in its own diagnostic`,
            nodeIds: [moved.id],
            path,
          });
        }
      }
    }
  },
};

/** Whether each block starts after the previous one ends, in file order (so none overlaps another). */
function ascendingAndDisjoint(members: readonly SubnetFacts[]): boolean {
  for (let i = 1; i < members.length; i++) if (!(members[i - 1]!.span!.last < members[i]!.span!.first)) return false;
  return true;
}
