import { findOverlaps, type Interval } from '../../cidr/sweep.js';
import type { ValidationContext, VpcBlock } from '../context.js';
import { spansOverlap } from '../span.js';
import { fieldParts, nameOf, type Report, type ValidationRule } from './rule.js';

interface Owned {
  vpcId: string;
  block: VpcBlock;
}

/**
 * vpc-overlap: two VPCs whose blocks (primary or secondary) overlap, when they are peered
 * (error: traffic between them cannot be routed) or in the same region (warning: they can
 * never be peered or joined by a VPN later). VPCs without `region` count as one region.
 * vpc-secondary-overlap: a VPC's own blocks overlap each other (the provider refuses it).
 * Sort-and-sweep per region and IP version, so thousands of VPCs cost n log n.
 */
export const vpcOverlapRule: ValidationRule = {
  name: 'vpc-overlap',
  codes: ['vpc-overlap', 'vpc-secondary-overlap'],
  check(context, report) {
    const { index } = context;
    const groups = new Map<string, Interval<Owned>[]>();
    for (const vpc of index.ofKind('vpc')) {
      for (const block of context.vpcBlocks.get(vpc.id) ?? []) {
        const key = `${block.span.version}|${vpc.region ?? ''}`;
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        list.push({ first: block.span.first, last: block.span.last, key: { vpcId: vpc.id, block } });
      }
    }
    const peered = context.peeredVpcs;
    const reported = new Set<string>();
    for (const intervals of groups.values()) {
      for (const pair of findOverlaps(intervals)) {
        if (pair.earlier.vpcId === pair.later.vpcId) reportSecondary(context, report, pair.earlier, pair.later);
        else reportPair(context, report, pair.earlier, pair.later, peered, reported);
      }
    }
    // Peered VPCs in different regions are not in one sweep group: compare their few blocks directly.
    for (const peering of index.ofKind('peering')) {
      const [a, b] = peering.vpcs ?? [];
      if (a === undefined || b === undefined || a === b) continue;
      for (const blockA of context.vpcBlocks.get(a) ?? []) {
        for (const blockB of context.vpcBlocks.get(b) ?? []) {
          if (spansOverlap(blockA.span, blockB.span)) {
            reportPair(context, report, { vpcId: a, block: blockA }, { vpcId: b, block: blockB }, peered, reported);
          }
        }
      }
    }
  },
};

function reportPair(context: ValidationContext, report: Report, x: Owned, y: Owned, peered: ReadonlySet<string>, reported: Set<string>): void {
  // Report each VPC pair once, in file order, whichever blocks overlap first.
  const [first, second] = context.index.indexOf(x.vpcId) <= context.index.indexOf(y.vpcId) ? [x, y] : [y, x];
  const key = `${first.vpcId}|${second.vpcId}`;
  if (reported.has(key)) return;
  reported.add(key);
  const isPeered = peered.has(key);
  const why = isPeered
    ? 'they are peered, so traffic to the shared addresses cannot be routed'
    : 'they are in the same region, so they can never be peered or connected by VPN';
  report({
    code: 'vpc-overlap',
    severity: isPeered ? 'error' : 'warning',
    message:
      `VPC ${nameOf(context, first.vpcId)} ${first.block.text} overlaps VPC ${nameOf(context, second.vpcId)} ${second.block.text}: ${why}; ` +
      'give each VPC its own non-overlapping block',
    nodeIds: [first.vpcId, second.vpcId],
    path: context.index.pathOf(first.vpcId, ...fieldParts(first.block.field)),
  });
}

function reportSecondary(context: ValidationContext, report: Report, x: Owned, y: Owned): void {
  // The later field (a secondary block) is the one to change.
  const [kept, moved] = x.block.field === 'cidr' ? [x, y] : [y, x];
  report({
    code: 'vpc-secondary-overlap',
    severity: 'error',
    message: `VPC ${nameOf(context, moved.vpcId)} ${moved.block.field} ${moved.block.text} overlaps its own ${kept.block.field} ${kept.block.text}: the CIDR blocks of one ${context.profile.label} ${context.profile.vpcWord} must not overlap`,
    nodeIds: [moved.vpcId],
    path: context.index.pathOf(moved.vpcId, ...fieldParts(moved.block.field)),
  });
}
