import { TopologyIndex } from '../model/queries.js';
import type { AutoscalingGroupNode, Topology } from '../model/types.js';
import { TraceWords } from './describe.js';
import { endpointsFor, formatEndpointAddress, TraceContext, type Endpoint } from './endpoints.js';
import type { InstanceVerdict, TraceRequest, TraceResult } from './trace-types.js';
import type { TraceFlow } from './filters/path.js';
import { PathWalk } from './walk.js';

export type { BlockCode, BlockedBy, FilterDirection, FlowLeg, Hop, HopFilter, HopKind, InstanceVerdict, NetworkAclBlock, RoutingBlock, RoutingBlockCode, SecurityGroupBlock, TraceRequest, TraceResult, TrafficProtocol } from './trace-types.js';
export { ROUTING_BLOCK_CODES } from './trace-types.js';

/** Instance ids listed per subnet in a reason before the rest are only counted. */
const IDS_PER_SUBNET = 4;

/**
 * Traces a flow hop by hop through the designed routing: subnet, its effective route
 * table, the longest-prefix route, then local delivery, an internet gateway, a NAT
 * gateway (which forwards again from its own subnet) or a peering (whose far side must
 * route the replies back). An internet gateway carries only public addresses, both ways.
 * An auto-scaling group is traced per instance, each from (or to) its own subnet at the
 * address the lab gives it; the flow is reachable only when it is for every instance.
 * Security groups and network ACLs filter the flow along the way (./filters/path.ts), for
 * the request's protocol (tcp unless given) and port (the destination's unless given).
 * The verdict names what blocks (`code`), the node to fix and a reason a person
 * understands. Pure; throws
 * `TraceInputError` only when `from` or `to` names nothing traceable.
 */
export function trace(topology: Topology, request: TraceRequest): TraceResult {
  const context = new TraceContext(new TopologyIndex(topology));
  const from = endpointsFor(context, request.from, 'from');
  const to = endpointsFor(context, request.to, 'to');
  const walk = (source: Endpoint, destination: Endpoint): TraceResult => {
    const flow: TraceFlow = { protocol: request.protocol ?? 'tcp', port: request.port ?? destination.listenPort, sourcePort: request.sourcePort };
    return new PathWalk(context, source, destination, request.port, flow).run();
  };
  const toAll = (source: Endpoint): TraceResult => {
    if (!to.group) return walk(source, to.ends[0] as Endpoint);
    return perInstance(context, to.group, 'to', to.ends.map((end) => ({ end, result: walk(source, end) })));
  };
  if (!from.group) return toAll(from.ends[0] as Endpoint);
  return perInstance(context, from.group, 'from', from.ends.map((end) => ({ end, result: toAll(end) })));
}

/** One instance's end of a group trace and what its trace found. */
interface InstanceOutcome {
  end: Endpoint;
  result: TraceResult;
}

/**
 * The verdict of a trace from or to a group: reachable only when every instance is, since a
 * flow that works for some instances and not others fails for whatever lands on the others.
 * A blocked verdict counts and names the blocked instances by subnet, and gives the first
 * one's blocker and hops; `instances` has every instance's own verdict.
 */
function perInstance(context: TraceContext, group: AutoscalingGroupNode, side: 'from' | 'to', outcomes: readonly InstanceOutcome[]): TraceResult {
  const words = new TraceWords(context);
  const instances: InstanceVerdict[] = outcomes.map(({ end, result }) => ({
    id: end.instance?.id ?? group.id,
    subnetId: end.subnet?.id ?? '',
    address: formatEndpointAddress(end.address, end.listenPort) ?? '',
    verdict: result.verdict,
    ...(result.blockedBy ? { blockedBy: result.blockedBy } : {}),
  }));
  const blocked = outcomes.filter((o) => o.result.verdict === 'blocked');
  const first = blocked[0];
  if (!first?.result.blockedBy) return { verdict: 'reachable', hops: (outcomes[0] as InstanceOutcome).result.hops, instances };
  const reachable = outcomes.filter((o) => o.result.verdict === 'reachable');
  const whose = `auto-scaling group ${words.label(group.id)}`;
  const summary =
    reachable.length === 0
      ? `traffic ${side} every instance of ${whose} is blocked (${bySubnet(words, blocked)})`
      : `traffic ${side} ${blocked.length} of ${outcomes.length} instances of ${whose} is blocked: ${bySubnet(words, blocked)}; only ${bySubnet(words, reachable)} ${reachable.length === 1 ? 'is' : 'are'} reachable`;
  return {
    verdict: 'blocked',
    hops: first.result.hops,
    blockedBy: { ...first.result.blockedBy, reason: `${summary}. ${first.end.instance?.id ?? group.id}: ${first.result.blockedBy.reason}` },
    instances,
  };
}

/** `asg#2, asg#4 in subnet "app-b" and asg#5 in subnet "app-c"`, long lists shortened. */
function bySubnet(words: TraceWords, outcomes: readonly InstanceOutcome[]): string {
  const groups = new Map<string, string[]>();
  for (const { end } of outcomes) {
    const key = end.subnet?.id ?? '';
    const ids = groups.get(key) ?? [];
    ids.push(end.instance?.id ?? '');
    groups.set(key, ids);
  }
  return [...groups]
    .map(([subnetId, ids]) => {
      const shown = ids.length > IDS_PER_SUBNET ? `${ids.slice(0, IDS_PER_SUBNET - 1).join(', ')} and ${ids.length - IDS_PER_SUBNET + 1} more` : ids.join(', ');
      return subnetId ? `${shown} in subnet ${words.label(subnetId)}` : shown;
    })
    .join(' and ');
}
