import { formatIp } from '../cidr/address.js';
import type { ResolvedAddress } from '../model/addresses.js';
import type { RouteTableAssociations } from './associations.js';
import { TopologyIndex } from '../model/queries.js';
import type { AutoscalingGroupNode, Topology } from '../model/types.js';
import { TraceWords } from './describe.js';
import { endpointsFor, formatEndpointAddress, TraceContext, type Endpoint } from './endpoints.js';
import type { InstanceVerdict, TraceRequest, TraceResult } from './trace-types.js';
import type { TraceFlow } from './filters/path.js';
import { PathWalk } from './walk.js';

export type { BlockCode, BlockedBy, FilterDirection, FlowLeg, Hop, HopFilter, HopKind, InstanceVerdict, NetworkAclBlock, RoutingBlock, RoutingBlockCode, SecurityGroupBlock, TraceFix, TraceRequest, TraceResult, TrafficProtocol } from './trace-types.js';
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
 * The verdict names what blocks (`code`), the node to fix, a reason a person understands
 * and, where the edit that clears it is clear, a suggested `fix`. Pure; throws
 * `TraceInputError` only when `from` or `to` names nothing traceable. To trace many flows
 * of one design, use one `Tracer`.
 */
export function trace(topology: Topology, request: TraceRequest): TraceResult {
  return new Tracer(topology).trace(request);
}

/** Parts of a design a caller has already computed, so a `Tracer` need not compute them again. */
export interface TracerParts {
  index?: TopologyIndex;
  /** `resolveAddresses(index)` of the same index. */
  addresses?: ReadonlyMap<string, ResolvedAddress>;
  /** `routeTableAssociations(index)` of the same index. */
  associations?: RouteTableAssociations;
}

/**
 * Traces many flows of one design: the route tables and addresses are built once, and
 * results are cached per source subnet. A walk that read nothing of its source but its
 * subnet (see `PathWalk`) is shared by every source in that subnet going to the same
 * destination, port, protocol and source port; any other walk is cached for its own source
 * (with the same flow). Security groups and network ACLs read the source (its groups, its
 * address, its ephemeral ports, its name in their reasons), so in a design that has any,
 * every walk is cached for its own source: two servers of one subnet with different groups
 * never share a verdict. So checking every edge of a design without filters costs one walk
 * per distinct (source subnet, destination) pair inside a VPC. Answers equal those of `trace` (a unit test compares them over every pair
 * of nodes of the examples); results are shared, so callers must not change them.
 */
export class Tracer {
  private readonly context: TraceContext;
  private readonly words: TraceWords;
  private readonly bySubnet = new Map<string, TraceResult>();
  private readonly bySource = new Map<string, TraceResult>();
  private readonly sources = new Map<string, ReturnType<typeof endpointsFor>>();
  private readonly destinations = new Map<string, ReturnType<typeof endpointsFor>>();
  private walked = 0;

  constructor(topology: Topology, parts: TracerParts = {}) {
    this.context = new TraceContext(parts.index ?? new TopologyIndex(topology), parts);
    this.words = new TraceWords(this.context);
  }

  /** How many walks this tracer made (the rest came from its cache). */
  get walks(): number {
    return this.walked;
  }

  /** The verdict of one flow, as `trace` gives it. */
  trace(request: TraceRequest): TraceResult {
    const context = this.context;
    const from = this.ends(request.from, 'from');
    const to = this.ends(request.to, 'to');
    const protocol = request.protocol ?? 'tcp';
    // Everything of the request a walk reads besides its ends: the port, the protocol, the source port.
    const flow = `\u0000${request.port ?? ''}\u0000${protocol}\u0000${request.sourcePort ?? ''}`;
    const toAll = (source: Endpoint): TraceResult => {
      if (!to.group) return this.walk(source, to.ends[0] as Endpoint, request, flow);
      return perInstance(context, to.group, 'to', to.ends.map((end) => ({ end, result: this.walk(source, end, request, flow) })));
    };
    if (!from.group) return toAll(from.ends[0] as Endpoint);
    return perInstance(context, from.group, 'from', from.ends.map((end) => ({ end, result: toAll(end) })));
  }

  /** The ends an id names (`endpointsFor`), located once per id and role. */
  private ends(id: string, role: 'from' | 'to'): ReturnType<typeof endpointsFor> {
    const cache = role === 'from' ? this.sources : this.destinations;
    let ends = cache.get(id);
    if (!ends) {
      ends = endpointsFor(this.context, id, role);
      cache.set(id, ends);
    }
    return ends;
  }

  /** One walk, from the cache when a walk of the same subnet (or source) to the same end was made. */
  private walk(source: Endpoint, destination: Endpoint, request: TraceRequest, flow: string): TraceResult {
    const to = `${endKey(destination)}${flow}`;
    // The walk reads the source's address family unrecorded (PathWalk.run), so it is part of the key.
    const subnetKey = source.subnet ? `${source.subnet.id}\u0000${source.address?.version ?? ''}\u0000${to}` : undefined;
    const shared = subnetKey === undefined ? undefined : this.bySubnet.get(subnetKey);
    if (shared) return { ...shared, hops: [this.words.endHop(source, 'start at'), ...shared.hops.slice(1)] };
    const sourceKey = `${endKey(source)}\u0000${to}`;
    const own = this.bySource.get(sourceKey);
    if (own) return own;
    const filtered: TraceFlow = { protocol: request.protocol ?? 'tcp', port: request.port ?? destination.listenPort, sourcePort: request.sourcePort };
    const walk = new PathWalk(this.context, source, destination, request.port, filtered);
    const result = walk.run();
    this.walked += 1;
    if (subnetKey !== undefined && !walk.dependsOnSource) this.bySubnet.set(subnetKey, result);
    else this.bySource.set(sourceKey, result);
    return result;
  }
}

/** What identifies one end of a walk: the node or instance and how it was named, or the bare address. */
function endKey(end: Endpoint): string {
  if (end.instance) return `i:${end.instance.id}:${end.givenAs}`;
  if (end.node) return `n:${end.node.id}:${end.givenAs}`;
  return `a:${end.address ? formatIp(end.address) : ''}`;
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
