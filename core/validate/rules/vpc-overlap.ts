import { findEarlierOverlaps, type Interval } from '../../cidr/sweep.js';
import type { ValidationContext, VpcBlock } from '../context.js';
import { spansOverlap } from '../span.js';
import { fieldParts, nameOf, type Report, type ValidationRule } from './rule.js';

interface Owned {
  vpcId: string;
  block: VpcBlock;
}

/** The overlapping blocks named for one VPC block; more are counted in one summary diagnostic. */
export const MAX_VPC_OVERLAPS_NAMED = 5;

/**
 * vpc-overlap: two VPCs whose blocks (primary or secondary) overlap, when they are peered
 * (error: traffic between them cannot be routed) or in the same region (warning: they can
 * never be peered or joined by a VPN later). VPCs without `region` count as one region.
 * Every overlapping pair of VPCs is reported once. One sweep per region and IP version,
 * so thousands of VPCs cost n log n; a block overlapping more than MAX_VPC_OVERLAPS_NAMED
 * blocks listed before it gets one summary diagnostic for the rest (peered pairs are
 * always named: they are checked pair by pair below).
 * vpc-secondary-overlap: a VPC's own blocks overlap each other (the provider refuses it),
 * checked within each VPC, whose few blocks are compared directly.
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
      for (const { interval, earlier, total } of findEarlierOverlaps(intervals, MAX_VPC_OVERLAPS_NAMED)) {
        let named = 0;
        for (const other of earlier) {
          if (other.key.vpcId === interval.key.vpcId) continue; // vpc-secondary-overlap, below
          reportPair(context, report, other.key, interval.key, peered, reported);
          named++;
        }
        const more = total - earlier.length;
        if (more > 0) reportMore(context, report, interval.key, more, named);
      }
    }
    for (const vpc of index.ofKind('vpc')) {
      const blocks = context.vpcBlocks.get(vpc.id) ?? [];
      for (let j = 1; j < blocks.length; j++) {
        for (let i = 0; i < j; i++) {
          if (spansOverlap(blocks[i]!.span, blocks[j]!.span)) reportSecondary(context, report, { vpcId: vpc.id, block: blocks[i]! }, { vpcId: vpc.id, block: blocks[j]! });
        }
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

function reportMore(context: ValidationContext, report: Report, owned: Owned, more: number, named: number): void {
  report({
    code: 'vpc-overlap',
    severity: 'warning',
    message: `VPC ${nameOf(context, owned.vpcId)} ${owned.block.text} also overlaps ${more} more block${more === 1 ? '' : 's'} of VPCs listed before it in the same region; only the first ${named} are named, each in its own diagnostic`,
    nodeIds: [owned.vpcId],
    path: context.index.pathOf(owned.vpcId, ...fieldParts(owned.block.field)),
  });
}

/** `moved` is the later field (a secondary block): the one to change. */
function reportSecondary(context: ValidationContext, report: Report, kept: Owned, moved: Owned): void {
  report({
    code: 'vpc-secondary-overlap',
    severity: 'error',
    message: `VPC ${nameOf(context, moved.vpcId)} ${moved.block.field} ${moved.block.text} overlaps its own ${kept.block.field} ${kept.block.text}: the CIDR blocks of one ${context.profile.label} ${context.profile.vpcWord} must not overlap`,
    nodeIds: [moved.vpcId],
    path: context.index.pathOf(moved.vpcId, ...fieldParts(moved.block.field)),
  });
}
