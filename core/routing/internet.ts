import { formatIp, type IpAddress } from '../cidr/address.js';
import { KIND_LABELS } from '../model/kinds/index.js';
import type { InternetGatewayNode, RouteTableNode, TopologyNode, VpcNode } from '../model/types.js';
import { describeVpcCidrs } from './endpoints.js';
import { isInternalUnlessFacing, isInternetRoutable, rangeName } from './public-address.js';
import type { EffectiveRoute, EffectiveRouteTable } from './tables.js';
import type { TraceFix, TraceResult } from './trace-types.js';
import type { Leg, PathWalk } from './walk.js';

/**
 * The internet legs of a trace. An internet gateway carries traffic only to and from
 * public addresses: out, the destination must be one (never a VPC's own IPv4 address,
 * nor a private, shared or unique-local one) and so must the source (an instance with a
 * public address, or a NAT gateway's); in, an internet client reaches only a node with a
 * public address, in a public subnet, that accepts internet traffic.
 */

/** A route sent the traffic to an internet gateway. */
export interface GatewayRoute {
  table: RouteTableNode;
  route: EffectiveRoute;
  gateway: InternetGatewayNode;
  vpc: VpcNode | undefined;
  leg: Leg;
}

/** Out through an internet gateway: to an address on the internet, or (IPv6) into another VPC's public subnet. */
export function outThroughInternetGateway(walk: PathWalk, { table, route, gateway, vpc, leg }: GatewayRoute): TraceResult {
  const label = (id: string): string => walk.label(id);
  const destination = walk.destination;
  const address = destination.address;
  const named = destination.node && address && !destination.instance ? `${walk.destinationText()} (${formatIp(address)})` : walk.destinationText();
  const sends = `route table ${label(table.id)} sends ${named} to internet gateway ${label(gateway.id)} (route ${route.destination})`;
  if (!vpc || gateway.parent !== vpc.id) {
    const attached = gateway.parent ? `attached to ${label(gateway.parent)}` : 'attached to no VPC';
    return walk.blocked(
      'igw-not-attached',
      table.id,
      `route ${route.destination} in route table ${label(table.id)} targets internet gateway ${label(gateway.id)}, which is ${attached}${vpc ? `, not to VPC ${label(vpc.id)}` : ''}`,
    );
  }
  // An IPv6 address of another VPC outside ULA is global: the internet carries it to that VPC's gateway.
  const globalInOtherVpc = destination.vpc !== undefined && destination.vpc.id !== vpc.id && address?.version === 6 && isInternetRoutable(address);
  if (destination.vpc && !globalInOtherVpc) {
    const other = destination.vpc.id !== vpc.id;
    return walk.blocked(
      'not-internet-routable',
      table.id,
      `${sends}, but ${address ? formatIp(address) : 'it'} is a private address of VPC ${label(destination.vpc.id)} (${describeVpcCidrs(walk.context.tables, destination.vpc)}): an internet gateway carries only public addresses, and a VPC's own addresses never cross the internet${other ? `; peer VPC ${label(vpc.id)} with ${label(destination.vpc.id)} and route ${describeVpcCidrs(walk.context.tables, destination.vpc)} through the peering` : ''}`,
    );
  }
  if (!destination.vpc && address && !isInternetRoutable(address)) {
    return walk.blocked(
      'not-internet-routable',
      table.id,
      `${sends}, but ${formatIp(address)} is ${rangeName(address)}: the internet does not carry it, so no internet gateway reaches it; reach another network's private addresses through a peering (or a VPN)`,
    );
  }
  if (leg.notPublic !== undefined) {
    return walk.blocked(
      'no-public-source',
      table.id,
      `${sends}, but the traffic has no public source address (${leg.notPublic}): an internet gateway carries traffic only from public addresses; route it through a NAT gateway in a public subnet, or place the sender in a public subnet`,
    );
  }
  walk.filters.toInternet();
  walk.hops.push(walk.words.gatewayHop(gateway, 'out to'));
  walk.hops.push({ kind: 'internet', description: 'across the internet' });
  if (destination.vpc) return enterFromInternet(walk, destination.vpc, leg.sourceAddress);
  return walk.arrive();
}

/** A trace that starts at an internet client (a client outside every VPC). */
export function fromTheInternet(walk: PathWalk): TraceResult {
  walk.hops.push({ kind: 'internet', description: 'across the internet' });
  const destination = walk.destination;
  const vpc = destination.vpc;
  if (vpc) return enterFromInternet(walk, vpc, walk.source.address);
  const address = destination.address;
  if (address && !isInternetRoutable(address)) {
    const client = walk.source.node as TopologyNode;
    return walk.blocked('not-internet-routable', client.id, `${formatIp(address)} is ${rangeName(address)}: the internet does not carry it, so ${walk.words.describeNode(client)} cannot reach it`);
  }
  return walk.arrive();
}

/** Traffic arriving from the internet (from `sourceAddress`, when known) at an address of a VPC. */
function enterFromInternet(walk: PathWalk, vpc: VpcNode, sourceAddress: IpAddress | undefined): TraceResult {
  const label = (id: string): string => walk.label(id);
  const destination = walk.destination;
  const context = walk.context;
  const address = destination.address;
  // Named by its VPC address (IPv4, or IPv6 ULA), a node is out of the internet's reach: the
  // internet reaches it only at its public address, which tracing by id stands for.
  if (destination.givenAs === 'address' && address && (address.version === 4 || !isInternetRoutable(address))) {
    const owner = destination.instance ? `"${destination.instance.id}"` : destination.node ? label(destination.node.id) : undefined;
    const what = address.version === 4 ? `an IPv4 address of VPC ${label(vpc.id)}, private to it` : `an address of VPC ${label(vpc.id)} in ${rangeName(address)}`;
    return walk.blocked(
      'not-internet-routable',
      vpc.id,
      `${formatIp(address)} is ${what}: the internet does not carry it${owner ? `; from the internet, ${owner} is reached at its public address (trace to its id)` : ''}`,
    );
  }
  const gateway = context.index.children(vpc.id).find((n): n is InternetGatewayNode => n.kind === 'internet-gateway');
  if (!gateway) return walk.blocked('no-internet-gateway', vpc.id, `VPC ${label(vpc.id)} has no internet gateway, so nothing on the internet can reach ${walk.destinationText()}`);
  if (!destination.subnet) return walk.blocked('address-unowned', vpc.id, `no subnet of VPC ${label(vpc.id)} contains ${walk.destinationText()}`);
  walk.hops.push(walk.words.gatewayHop(gateway, 'in through'));
  const subnet = destination.subnet;
  const effective = context.tables.forSubnet(subnet.id) as EffectiveRouteTable;
  const advice = 'the internet reaches only public subnets (0.0.0.0/0 -> an internet gateway); put an internet-facing load balancer or reverse proxy in a public subnet in front of it';
  if (!effective.table) {
    return walk.blocked('private-subnet', subnet.id, `${walk.destinationText()} is in subnet ${label(subnet.id)}, which has no route table and so no route to the internet gateway: ${advice}`);
  }
  const back = walk.lookup(effective.routes, sourceAddress);
  if (!back || !context.tables.isGatewayOf(back.target, vpc.id)) {
    const sends = back
      ? `sends the replies to ${sourceAddress ? formatIp(sourceAddress) : 'the internet'} to ${label(back.target)} (route ${back.destination}), not to internet gateway ${label(gateway.id)}`
      : `has no route back to the internet (no 0.0.0.0/0 -> internet gateway ${label(gateway.id)})`;
    return walk.blocked('private-subnet', subnet.id, `${walk.destinationText()} is in private subnet ${label(subnet.id)}: its route table ${label(effective.table.id)} ${sends}; ${advice}`);
  }
  walk.hops.push(walk.words.subnetHop(subnet));
  walk.hops.push(walk.words.tableHop(effective.table, effective.association));
  walk.hops.push(walk.words.routeHop('return-route', effective.table, back));
  if (destination.node) {
    const refusal = refusesInternet(destination.node, label);
    if (refusal) return walk.blocked('not-internet-facing', destination.node.id, refusal.reason, refusal.fix);
    // Traced by id, an IPv6 node is reached at its own address, which the internet carries only outside ULA.
    if (address?.version === 6 && !isInternetRoutable(address)) {
      return walk.blocked(
        'not-internet-routable',
        destination.node.id,
        `${walk.words.describeNode(destination.node)} has no address the internet reaches: ${formatIp(address)} is in ${rangeName(address)}, which the internet does not carry`,
      );
    }
  }
  return walk.arriveIn(subnet);
}

/** `undefined` when the node accepts connections from the internet, else why not (and the fix, for an internal balancer). */
function refusesInternet(node: TopologyNode, label: (id: string) => string): { reason: string; fix?: TraceFix } | undefined {
  if (node.kind === 'nat-gateway') {
    return { reason: `NAT gateway ${label(node.id)} only carries connections that start inside its VPC; it accepts none from the internet` };
  }
  if (isInternalUnlessFacing(node)) {
    return {
      reason: `${KIND_LABELS[node.kind].toLowerCase()} ${label(node.id)} is internal: set "internetFacing": true to accept traffic from the internet (only internet-facing load balancers, reverse proxies and caches do)`,
      fix: { title: `Make ${node.id} internet-facing`, nodeId: node.id, field: 'internetFacing', value: true },
    };
  }
  return undefined;
}
