import { formatIp, type IpAddress } from '../cidr/address.js';
import { contains, containsAddress, type CidrBlock } from '../cidr/block.js';
import { KIND_TRAITS } from '../model/kinds/index.js';
import type { SubnetNode, VpcNode } from '../model/types.js';
import { longestPrefixMatch, type EffectiveRoute, type EffectiveRouteTable } from './tables.js';
import type { TraceResult } from './trace-types.js';
import type { Leg, PathWalk } from './walk.js';

/** The most instance routers the replies may pass on their way back before it is called a loop. */
const MAX_RETURN_FORWARDS = 8;

/**
 * The replies of a flow delivered inside a VPC by the local route follow the destination
 * subnet's own table (as in AWS and in the kernel lab's policy routing), which may send the
 * source's address elsewhere with a route more specific than `local`: a blackhole, a NAT
 * gateway (which would rewrite the replies), an internet gateway or a peering drops them;
 * an instance router (a kind whose descriptor says a route may target it as an instance)
 * of the same VPC forwards them again from its own subnet. A subnet without a table uses
 * AWS's implicit main table, whose local route carries replies to any address of the VPC.
 * The verdict when the replies cannot get back, else `undefined`.
 *
 * The source address is read only where the leg's `sourceBlock` (the source subnet) does
 * not decide alone, so most walks stay shareable across a subnet (`PathWalk`).
 */
export function localReturn(walk: PathWalk, start: SubnetNode, leg: Pick<Leg, 'sourceAddress' | 'sourceBlock'>, vpc: VpcNode): TraceResult | undefined {
  const { index, tables } = walk.context;
  const block = leg.sourceBlock;
  if (!block && !leg.sourceAddress) return undefined;
  const text = (): string => {
    const address = leg.sourceAddress;
    return address ? formatIp(address) : 'the source';
  };
  const routeBack = (routes: readonly EffectiveRoute[]): EffectiveRoute | undefined => (block ? uniformRoute(routes, block) : undefined) ?? walk.lookup(routes, leg.sourceAddress);
  const seen = new Set<string>();
  let subnet = start;
  for (let step = 0; step < MAX_RETURN_FORWARDS; step++) {
    const effective = tables.forSubnet(subnet.id) as EffectiveRouteTable;
    if (!effective.table) {
      const vpcBlocks = tables.blocksOf(vpc);
      if (block && vpcBlocks.some((b) => contains(b, block))) return undefined;
      const address = leg.sourceAddress as IpAddress;
      if (vpcBlocks.some((b) => containsAddress(b, address))) return undefined;
      return walk.blocked('no-route-table', subnet.id, `subnet ${walk.label(subnet.id)} has no route table, so replies to ${text()} cannot go back`);
    }
    const back = routeBack(effective.routes);
    if (!back) return walk.blocked('no-route', effective.table.id, `route table ${walk.label(effective.table.id)} has no route back to ${text()}, so the replies are dropped`);
    if (back.target === 'local') return undefined;
    const forwarder = index.node(back.target);
    const forwarderSubnet = forwarder && KIND_TRAITS[forwarder.kind].routeTarget === 'instance' ? index.subnetOf(forwarder.id) : undefined;
    if (forwarder && forwarderSubnet && index.vpcOf(forwarderSubnet.id)?.id === vpc.id && !seen.has(forwarder.id)) {
      seen.add(forwarder.id);
      subnet = forwarderSubnet; // the instance forwards the replies from its own subnet
      continue;
    }
    const where = back.target === 'blackhole' ? 'a blackhole' : seen.has(back.target) ? `${walk.label(back.target)} again (a loop)` : walk.label(back.target);
    walk.hops.push(walk.words.routeHop('return-route', effective.table, back));
    return walk.blocked(
      'no-return-route',
      effective.table.id,
      `replies to ${text()} cannot go back: route table ${walk.label(effective.table.id)} sends them to ${where} (route ${back.destination}), which is more specific than the local route`,
    );
  }
  return walk.blocked('routing-loop', start.id, `the replies to ${text()} pass through more than ${MAX_RETURN_FORWARDS} instances; check the route tables for a loop`);
}

/**
 * The route every address of `block` takes, when one does: the longest match of its first
 * address, provided no route is more specific inside the block (which would split it).
 */
function uniformRoute(routes: readonly EffectiveRoute[], block: CidrBlock): EffectiveRoute | undefined {
  const first: IpAddress = { version: block.version, value: block.first };
  const best = longestPrefixMatch(routes, first);
  if (!best || best.block.prefix > block.prefix) return undefined;
  const splits = routes.some((route) => route.block.version === block.version && route.block.prefix > block.prefix && route.block.first >= block.first && route.block.last <= block.last);
  return splits ? undefined : best;
}
