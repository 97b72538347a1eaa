import { formatIp, type IpAddress } from '../cidr/address.js';
import { formatCidr, makeBlock } from '../cidr/block.js';
import { classifyBlock } from '../cidr/ranges.js';
import { resolveAddresses, type ResolvedAddress } from '../model/addresses.js';
import { KIND_LABELS } from '../model/kinds.js';
import { TopologyIndex } from '../model/queries.js';
import type { InternetGatewayNode, PeeringNode, RouteTableNode, SubnetNode, Topology, TopologyNode, VpcNode } from '../model/types.js';
import { describeVpcCidrs, destinationEndpoint, formatEndpointAddress, nodeEndpoint, type Endpoint } from './endpoints.js';
import { longestPrefixMatch, RouteTables, type EffectiveRoute, type EffectiveRouteTable } from './tables.js';

/** What to trace: from a node id to a node id or an IP address, optionally on a port. */
export interface TraceRequest {
  from: string;
  to: string;
  port?: number;
}

/** The kind of one step of a path. */
export type HopKind =
  | 'node' // the source or destination node
  | 'address' // a destination address that no node owns
  | 'subnet'
  | 'route-table'
  | 'route' // the route the table chose for the destination
  | 'return-route' // the route the far side uses for the replies
  | 'local' // delivered inside the VPC by its local route
  | 'internet-gateway'
  | 'nat-gateway'
  | 'instance' // a server or forward proxy a route targets, forwarding as a router
  | 'peering'
  | 'internet';

/** One step of a traced path. `--json` prints these as they are. */
export interface Hop {
  kind: HopKind;
  /** The node of this step; absent for the internet, routes and bare addresses. */
  nodeId?: string;
  /** One sentence a person reads. */
  description: string;
  /** The address at this step (`10.0.1.10:80`), for nodes and addresses. */
  address?: string;
  /** The route chosen, for `route` and `return-route` steps. */
  route?: { table: string; destination: string; target: string; implicit: boolean };
}

/** The verdict of a trace; `blockedBy` names the node to fix and why. */
export interface TraceResult {
  verdict: 'reachable' | 'blocked';
  hops: Hop[];
  blockedBy?: { nodeId: string; reason: string };
}

/** Kinds that only accept internet traffic when marked `internetFacing` (as an AWS internet-facing scheme). */
const FACING_KINDS = new Set<string>(['load-balancer', 'reverse-proxy', 'cache']);

/** The most hops a path can take through NAT gateways before it is called a loop. */
const MAX_FORWARDS = 8;

/**
 * Traces a flow hop by hop through the designed routing: subnet, its effective route
 * table, the longest-prefix route, then local delivery, an internet gateway, a NAT
 * gateway (which forwards again from its own subnet) or a peering (whose far side must
 * route the replies back). Internet clients (clients outside every VPC) reach only
 * addresses in public subnets, and only nodes that accept internet traffic. The
 * verdict names the node that blocks and a reason a person understands. Pure; throws
 * `TraceInputError` only when `from` or `to` names nothing traceable.
 */
export function trace(topology: Topology, request: TraceRequest): TraceResult {
  return new Tracer(new TopologyIndex(topology), request).run();
}

class Tracer {
  private readonly tables: RouteTables;
  private readonly addresses: Map<string, ResolvedAddress>;
  private readonly hops: Hop[] = [];
  private source!: Endpoint;
  private destination!: Endpoint;

  constructor(
    private readonly index: TopologyIndex,
    private readonly request: TraceRequest,
  ) {
    this.tables = new RouteTables(index);
    this.addresses = resolveAddresses(index);
  }

  run(): TraceResult {
    this.source = nodeEndpoint(this.index, this.addresses, this.request.from);
    this.destination = destinationEndpoint(this.index, this.tables, this.addresses, this.request.to);
    const from = this.source.node as TopologyNode;
    this.hops.push({ kind: 'node', nodeId: from.id, description: `start at ${this.describeNode(from)}`, ...this.addressOf(this.source) });
    const [sent, wanted] = [this.source.address, this.destination.address];
    if (sent && wanted && sent.version !== wanted.version) {
      // A node has one address: IPv4 cannot reach IPv6 (there is no NAT64 in a design).
      return this.blocked(from.id, `${this.describeNode(from)} has only an IPv${sent.version} address and ${this.destinationText()} is IPv${wanted.version}: they share no protocol`);
    }
    if (!this.source.subnet) {
      if (from.kind === 'client' && from.parent === undefined) return this.fromInternet();
      return this.blocked(from.id, `${this.label(from.id)} sits in no subnet, so no route table carries its traffic`);
    }
    return this.forward(this.source.subnet, this.source.address);
  }

  // ---- inside a VPC ----------------------------------------------------------------

  /** Routes from a subnet; repeats only through NAT gateways and instance routers, which forward from their own subnet. */
  private forward(start: SubnetNode, startSource: IpAddress | undefined): TraceResult {
    let subnet = start;
    let sourceAddress = startSource;
    // Who the traffic comes from as the next hop sees it: the source, or the NAT gateway that translated it.
    let sender: TopologyNode | undefined = this.source.node;
    const seenForwarders = new Set<string>();
    for (let step = 0; step < MAX_FORWARDS; step++) {
      const vpc = this.index.vpcOf(subnet.id);
      this.hops.push(this.subnetHop(subnet));
      const effective = this.tables.forSubnet(subnet.id) as EffectiveRouteTable;
      const table = effective.table;
      if (!table) {
        return this.blocked(
          subnet.id,
          `subnet ${this.label(subnet.id)} has no route table: it is not associated with one${vpc ? ` and VPC ${this.label(vpc.id)} has no main table` : ' and sits in no VPC'}`,
        );
      }
      this.hops.push(this.tableHop(table, effective.association));
      const route = this.lookup(effective.routes, this.destination.address);
      if (!route) return this.blocked(table.id, this.noRouteReason(table, vpc));
      this.hops.push(this.routeHop('route', table, route));
      if (route.target === 'blackhole') {
        return this.blocked(table.id, `route ${route.destination} in route table ${this.label(table.id)} is a blackhole: traffic to ${this.destinationText()} is dropped`);
      }
      if (route.target === 'local') return this.deliverLocal(table, route, vpc, sourceAddress);
      const target = this.index.node(route.target);
      if (!target) {
        return this.blocked(table.id, `route ${route.destination} in route table ${this.label(table.id)} targets "${route.target}", which is not a node of this topology`);
      }
      if (target.kind === 'internet-gateway') {
        const gap = sender && sourceAddress ? this.publicAddressGap(sender, sourceAddress) : undefined;
        if (gap && sender) {
          return this.blocked(sender.id, `${this.describeNode(sender)} has no public address (${gap}), so internet gateway ${this.label(target.id)} does not carry its traffic to ${this.destinationText()}`);
        }
        return this.viaInternetGateway(table, route, target, vpc);
      }
      if (target.kind === 'peering') return this.viaPeering(table, route, target, vpc, sourceAddress);
      const next = this.throughForwarder(table, route, target, vpc, seenForwarders);
      if ('verdict' in next) return next;
      subnet = next.subnet;
      if (next.source) {
        sourceAddress = next.source;
        sender = target;
      }
    }
    return this.blocked(start.id, `the path passes through more than ${MAX_FORWARDS} NAT gateways or instances; check the route tables for a loop`);
  }

  /**
   * A NAT gateway, or an instance (server, forward proxy) a route targets, takes the traffic
   * and forwards it again from its own subnet. Returns that subnet (and, after a NAT, the
   * new source address), or the verdict when the hand-over is impossible.
   */
  private throughForwarder(
    table: RouteTableNode,
    route: EffectiveRoute,
    target: TopologyNode,
    vpc: VpcNode | undefined,
    seen: Set<string>,
  ): TraceResult | { subnet: SubnetNode; source?: IpAddress } {
    if (target.kind !== 'nat-gateway' && target.kind !== 'server' && target.kind !== 'forward-proxy') {
      return this.blocked(
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets ${this.describeNode(target)}; a route sends traffic to local, blackhole, an internet gateway, a NAT gateway, a peering, or an instance (server or forward proxy)`,
      );
    }
    if (seen.has(target.id)) {
      return this.blocked(table.id, `routing loop: route table ${this.label(table.id)} sends the traffic back to ${this.describeNode(target)}`);
    }
    seen.add(target.id);
    const isNat = target.kind === 'nat-gateway';
    const subnet = this.index.subnetOf(target.id);
    if (!subnet) return this.blocked(target.id, `${this.describeNode(target)} sits in no subnet, so it cannot forward traffic`);
    const targetVpc = this.index.vpcOf(subnet.id);
    if (vpc && targetVpc?.id !== vpc.id) {
      return this.blocked(
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets ${this.describeNode(target)}, which is ${targetVpc ? `in VPC ${this.label(targetVpc.id)}` : 'in no VPC'}, not in ${this.label(vpc.id)}`,
      );
    }
    if (isNat && !this.tables.isPublic(subnet.id)) {
      const natTable = this.tables.forSubnet(subnet.id)?.table;
      return this.blocked(
        target.id,
        `NAT gateway ${this.label(target.id)} sits in private subnet ${this.label(subnet.id)} (${natTable ? `its route table ${this.label(natTable.id)} has no default route to an internet gateway` : 'it has no route table'}): a NAT gateway reaches the internet only from a public subnet`,
      );
    }
    const address = this.addresses.get(target.id);
    this.hops.push({
      kind: isNat ? 'nat-gateway' : 'instance',
      nodeId: target.id,
      description: isNat
        ? `NAT gateway ${this.label(target.id)} replaces the source address with its own and forwards from subnet ${this.label(subnet.id)}`
        : `${this.describeNode(target)} receives the traffic as a router and forwards it from subnet ${this.label(subnet.id)}`,
      ...(address ? { address: address.ip } : {}),
    });
    // Only a NAT rewrites the source; an instance router passes it on unchanged.
    return isNat && address ? { subnet, source: { version: address.version, value: address.value } } : { subnet };
  }

  private deliverLocal(table: RouteTableNode, route: EffectiveRoute, vpc: VpcNode | undefined, sourceAddress: IpAddress | undefined): TraceResult {
    const destination = this.destination;
    if (!vpc || destination.vpc?.id !== vpc.id) {
      const where = destination.vpc ? `in VPC ${this.label(destination.vpc.id)}` : 'on the internet';
      return this.blocked(
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} is local, but ${this.destinationText()} is ${where}${vpc ? `, not inside VPC ${this.label(vpc.id)} (${describeVpcCidrs(this.tables, vpc)})` : ''}: a local route only reaches its own VPC`,
      );
    }
    if (!destination.subnet) return this.blocked(vpc.id, `no subnet of VPC ${this.label(vpc.id)} contains ${this.destinationText()}`);
    this.hops.push({ kind: 'local', nodeId: vpc.id, description: `delivered inside VPC ${this.label(vpc.id)} by the local route` });
    this.hops.push(this.subnetHop(destination.subnet));
    const back = this.localReturn(destination.subnet, sourceAddress, vpc);
    return back ?? this.arrive();
  }

  /**
   * The replies of a flow delivered inside a VPC follow the destination subnet's own table
   * (as in AWS), which may send the source's addresses elsewhere with a route more specific
   * than the local one: a blackhole, a NAT gateway (which would rewrite the replies), a
   * gateway or a peering drops them; an instance forwards them from its own subnet. The
   * verdict when the replies cannot get back, else `undefined`.
   */
  private localReturn(start: SubnetNode, sourceAddress: IpAddress | undefined, vpc: VpcNode): TraceResult | undefined {
    if (!sourceAddress) return undefined;
    const source = formatIp(sourceAddress);
    const seen = new Set<string>();
    let subnet = start;
    for (let step = 0; step < MAX_FORWARDS; step++) {
      const effective = this.tables.forSubnet(subnet.id) as EffectiveRouteTable;
      if (!effective.table) return this.blocked(subnet.id, `subnet ${this.label(subnet.id)} has no route table, so replies to ${source} cannot go back`);
      const back = this.lookup(effective.routes, sourceAddress);
      if (!back) return this.blocked(effective.table.id, `route table ${this.label(effective.table.id)} has no route back to ${source}, so the replies are dropped`);
      if (back.target === 'local') return undefined;
      const forwarder = this.index.node(back.target);
      const forwarderSubnet = forwarder && (forwarder.kind === 'server' || forwarder.kind === 'forward-proxy') ? this.index.subnetOf(forwarder.id) : undefined;
      if (forwarder && forwarderSubnet && this.index.vpcOf(forwarderSubnet.id)?.id === vpc.id && !seen.has(forwarder.id)) {
        seen.add(forwarder.id);
        subnet = forwarderSubnet; // the instance forwards the replies from its own subnet
        continue;
      }
      const where = back.target === 'blackhole' ? 'a blackhole' : seen.has(back.target) ? `${this.label(back.target)} again (a loop)` : this.label(back.target);
      this.hops.push(this.routeHop('return-route', effective.table, back));
      return this.blocked(
        effective.table.id,
        `replies to ${source} cannot go back: route table ${this.label(effective.table.id)} sends them to ${where} (route ${back.destination}), which is more specific than the local route`,
      );
    }
    return this.blocked(start.id, `the replies to ${source} pass through more than ${MAX_FORWARDS} instances; check the route tables for a loop`);
  }

  private viaInternetGateway(table: RouteTableNode, route: EffectiveRoute, gateway: InternetGatewayNode, vpc: VpcNode | undefined): TraceResult {
    if (!vpc || gateway.parent !== vpc.id) {
      const attached = gateway.parent ? `attached to ${this.label(gateway.parent)}` : 'attached to no VPC';
      return this.blocked(
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets internet gateway ${this.label(gateway.id)}, which is ${attached}${vpc ? `, not to VPC ${this.label(vpc.id)}` : ''}`,
      );
    }
    const destination = this.destination;
    if (destination.vpc) {
      // A node of another VPC named by id, which accepts internet traffic, is reached through
      // its public address; a private address given as such never crosses the internet.
      if (destination.vpc.id !== vpc.id && destination.givenAs === 'id' && destination.node && this.acceptsInternet(destination.node) === undefined) {
        this.hops.push(this.gatewayHop(gateway, 'out to'));
        this.hops.push({ kind: 'internet', description: 'across the internet' });
        return this.enterFromInternet(destination.vpc);
      }
      return this.blocked(
        table.id,
        `route table ${this.label(table.id)} sends ${this.destinationText()} to internet gateway ${this.label(gateway.id)} (route ${route.destination}), but it is a private address of VPC ${this.label(destination.vpc.id)}, which the internet does not carry${destination.vpc.id === vpc.id ? '' : `; peer VPC ${this.label(vpc.id)} with ${this.label(destination.vpc.id)} and route ${describeVpcCidrs(this.tables, destination.vpc)} through the peering`}`,
      );
    }
    this.hops.push(this.gatewayHop(gateway, 'out to'));
    this.hops.push({ kind: 'internet', description: 'across the internet' });
    return this.arrive();
  }

  private viaPeering(table: RouteTableNode, route: EffectiveRoute, peering: PeeringNode, vpc: VpcNode | undefined, sourceAddress: IpAddress | undefined): TraceResult {
    const [a, b] = peering.vpcs;
    if (!vpc || (a !== vpc.id && b !== vpc.id)) {
      return this.blocked(
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets peering ${this.label(peering.id)}, which connects ${this.label(a)} and ${this.label(b)}${vpc ? `, not ${this.label(vpc.id)}` : ''}`,
      );
    }
    if (a === b) return this.blocked(peering.id, `peering ${this.label(peering.id)} connects VPC ${this.label(a)} with itself`);
    const farId = a === vpc.id ? b : a;
    const destination = this.destination;
    if (destination.vpc?.id !== farId) {
      const where = destination.vpc ? `in VPC ${this.label(destination.vpc.id)}` : 'on the internet';
      return this.blocked(
        peering.id,
        `peering ${this.label(peering.id)} leads to VPC ${this.label(farId)}, but ${this.destinationText()} is ${where}; peering is not transitive and does not reach the internet`,
      );
    }
    this.hops.push({ kind: 'peering', nodeId: peering.id, description: `peering ${this.label(peering.id)} carries the traffic from VPC ${this.label(vpc.id)} to VPC ${this.label(farId)}` });
    if (!destination.subnet) return this.blocked(farId, `no subnet of VPC ${this.label(farId)} contains ${this.destinationText()}`);
    this.hops.push(this.subnetHop(destination.subnet));
    const back = this.tables.forSubnet(destination.subnet.id) as EffectiveRouteTable;
    const sourceText = sourceAddress ? formatIp(sourceAddress) : `VPC ${this.label(vpc.id)}`;
    const fix = `add a route ${describeVpcCidrs(this.tables, vpc)} -> ${peering.id}`;
    if (!back.table) {
      return this.blocked(destination.subnet.id, `peering without a return route: subnet ${this.label(destination.subnet.id)} has no route table, so replies to ${sourceText} cannot go back (${fix} to its table)`);
    }
    this.hops.push(this.tableHop(back.table, back.association));
    const returnRoute = this.lookup(back.routes, sourceAddress);
    const returnPeering = returnRoute ? this.index.nodeOfKind(returnRoute.target, 'peering') : undefined;
    if (!returnRoute || !returnPeering || !returnPeering.vpcs.includes(vpc.id) || !returnPeering.vpcs.includes(farId)) {
      const best = returnRoute ? `; its best match, ${returnRoute.destination}, goes to ${returnRoute.target}` : '';
      return this.blocked(
        back.table.id,
        `peering without a return route: route table ${this.label(back.table.id)} (of subnet ${this.label(destination.subnet.id)} in VPC ${this.label(farId)}) has no route back to ${sourceText} through peering ${this.label(peering.id)}${best}; ${fix}`,
      );
    }
    this.hops.push(this.routeHop('return-route', back.table, returnRoute));
    return this.arrive();
  }

  // ---- from the internet ------------------------------------------------------------

  private fromInternet(): TraceResult {
    this.hops.push({ kind: 'internet', description: 'across the internet' });
    const vpc = this.destination.vpc;
    if (!vpc) return this.arrive();
    return this.enterFromInternet(vpc);
  }

  /** Traffic arriving from the internet at an address of a VPC. */
  private enterFromInternet(vpc: VpcNode): TraceResult {
    const gateway = this.index.children(vpc.id).find((n): n is InternetGatewayNode => n.kind === 'internet-gateway');
    if (!gateway) return this.blocked(vpc.id, `VPC ${this.label(vpc.id)} has no internet gateway, so nothing on the internet can reach ${this.destinationText()}`);
    const destination = this.destination;
    if (!destination.subnet) return this.blocked(vpc.id, `no subnet of VPC ${this.label(vpc.id)} contains ${this.destinationText()}`);
    this.hops.push(this.gatewayHop(gateway, 'in through'));
    const subnet = destination.subnet;
    const effective = this.tables.forSubnet(subnet.id) as EffectiveRouteTable;
    const advice = 'the internet reaches only public subnets (0.0.0.0/0 -> an internet gateway); put an internet-facing load balancer or reverse proxy in a public subnet in front of it';
    if (!effective.table) {
      return this.blocked(subnet.id, `${this.destinationText()} is in subnet ${this.label(subnet.id)}, which has no route table and so no route to the internet gateway: ${advice}`);
    }
    const clientAddress = this.source.subnet ? undefined : this.source.address;
    const back = this.lookup(effective.routes, clientAddress);
    if (!back || !this.tables.isGatewayOf(back.target, vpc.id)) {
      const sends = back
        ? `sends the replies to ${clientAddress ? formatIp(clientAddress) : 'the internet'} to ${this.label(back.target)} (route ${back.destination}), not to internet gateway ${this.label(gateway.id)}`
        : `has no route back to the internet (no 0.0.0.0/0 -> internet gateway ${this.label(gateway.id)})`;
      return this.blocked(
        subnet.id,
        `${this.destinationText()} is in private subnet ${this.label(subnet.id)}: its route table ${this.label(effective.table.id)} ${sends}; ${advice}`,
      );
    }
    this.hops.push(this.subnetHop(subnet));
    this.hops.push(this.tableHop(effective.table, effective.association));
    this.hops.push(this.routeHop('return-route', effective.table, back));
    if (destination.node) {
      const refusal = this.acceptsInternet(destination.node);
      if (refusal) return this.blocked(destination.node.id, refusal);
    }
    return this.arrive();
  }

  /**
   * Why a node has no public address, as AWS gives them (an internet gateway carries traffic
   * only for addresses it translates): an internal balancer, proxy or cache has none; an
   * IPv6 address outside the global space (unique-local) is not carried; an IPv4 address
   * gets one only in a subnet whose route table sends something to an internet gateway.
   * `undefined` when it has one.
   */
  private publicAddressGap(node: TopologyNode, address: IpAddress): string | undefined {
    if (FACING_KINDS.has(node.kind) && (node as { internetFacing?: boolean }).internetFacing !== true) return 'it is internal: not "internetFacing"';
    if (address.version === 6) {
      const kind = classifyBlock(makeBlock(6, address.value, 128)).kind;
      return kind === 'public' || kind === 'documentation' ? undefined : `${formatIp(address)} is ${classifyBlock(makeBlock(6, address.value, 128)).name}, which the internet does not carry`;
    }
    const subnet = this.index.subnetOf(node.id);
    const effective = subnet ? this.tables.forSubnet(subnet.id) : undefined;
    if (effective?.routes.some((r) => this.tables.isGatewayOf(r.target, effective.vpcId ?? ''))) return undefined;
    return `its subnet${subnet ? ` ${this.label(subnet.id)}` : ''} routes nothing to an internet gateway`;
  }

  /** `undefined` when the node accepts connections from the internet, else why not. */
  private acceptsInternet(node: TopologyNode): string | undefined {
    if (node.kind === 'nat-gateway') {
      return `NAT gateway ${this.label(node.id)} only carries connections that start inside its VPC; it accepts none from the internet`;
    }
    if (FACING_KINDS.has(node.kind) && (node as { internetFacing?: boolean }).internetFacing !== true) {
      return `${KIND_LABELS[node.kind].toLowerCase()} ${this.label(node.id)} is internal: set "internetFacing": true to accept traffic from the internet (only internet-facing load balancers, reverse proxies and caches do)`;
    }
    const address = this.addresses.get(node.id);
    const gap = address?.version === 6 ? this.publicAddressGap(node, { version: 6, value: address.value }) : undefined;
    if (gap) return `${this.describeNode(node)} has no address the internet reaches: ${gap}`;
    return undefined;
  }

  // ---- the end ------------------------------------------------------------------------

  /** The last hop; checks the port when the destination is a node that listens on one. */
  private arrive(): TraceResult {
    const destination = this.destination;
    const port = this.request.port;
    if (destination.node) {
      const node = destination.node;
      this.hops.push({ kind: 'node', nodeId: node.id, description: `arrive at ${this.describeNode(node)}`, ...this.addressOf(destination, port) });
      if (port !== undefined && destination.listenPort !== undefined && node.kind !== 'client' && node.kind !== 'nat-gateway' && destination.listenPort !== port) {
        return this.blocked(node.id, `${this.label(node.id)} listens on port ${destination.listenPort}, not ${port}`);
      }
    } else {
      const onInternet = !destination.vpc;
      this.hops.push({
        kind: onInternet ? 'internet' : 'address',
        description: onInternet ? 'arrive at an address on the internet' : `arrive at an address of VPC ${this.label((destination.vpc as VpcNode).id)} that no node of the design owns`,
        ...this.addressOf(destination, port),
      });
    }
    return { verdict: 'reachable', hops: this.hops };
  }

  private blocked(nodeId: string, reason: string): TraceResult {
    return { verdict: 'blocked', hops: this.hops, blockedBy: { nodeId, reason } };
  }

  // ---- helpers ------------------------------------------------------------------------

  /** Longest-prefix match; with no address (an internet client without `ip`), the default route. */
  private lookup(routes: readonly EffectiveRoute[], address: IpAddress | undefined): EffectiveRoute | undefined {
    if (address) return longestPrefixMatch(routes, address);
    return routes.find((route) => route.block.prefix === 0 && route.block.version === 4) ?? routes.find((route) => route.block.prefix === 0);
  }

  private noRouteReason(table: RouteTableNode, vpc: VpcNode | undefined): string {
    const base = `route table ${this.label(table.id)} has no route for ${this.destinationText()}`;
    const destinationVpc = this.destination.vpc;
    if (destinationVpc) {
      return destinationVpc.id === vpc?.id ? base : `${base}, an address of VPC ${this.label(destinationVpc.id)}: peer the VPCs and route ${describeVpcCidrs(this.tables, destinationVpc)} through the peering`;
    }
    const any = this.destination.address?.version === 6 ? '::/0' : '0.0.0.0/0';
    const gateway = vpc ? this.index.children(vpc.id).find((n) => n.kind === 'internet-gateway') : undefined;
    const hint = gateway
      ? `add ${any} -> ${gateway.id} (a public subnet) or ${any} -> a NAT gateway that sits in a public subnet (a private subnet)`
      : `${vpc ? `VPC ${this.label(vpc.id)}` : 'the VPC'} has no internet gateway; add one and a route ${any} -> it`;
    return `${base} (no default route ${any} to the internet): ${hint}`;
  }

  private destinationText(): string {
    const destination = this.destination;
    if (destination.node) return this.label(destination.node.id);
    return destination.address ? formatIp(destination.address) : 'the destination';
  }

  private label(id: string): string {
    return `"${this.index.label(id)}"`;
  }

  private describeNode(node: TopologyNode): string {
    if (node.kind === 'client' && node.parent === undefined) return `internet client ${this.label(node.id)}`;
    return `${KIND_LABELS[node.kind].toLowerCase()} ${this.label(node.id)}`;
  }

  private addressOf(endpoint: Endpoint, port?: number): { address?: string } {
    const text = formatEndpointAddress(endpoint.address, port ?? endpoint.listenPort);
    return text === undefined ? {} : { address: text };
  }

  private subnetHop(subnet: SubnetNode): Hop {
    const kind = this.tables.isPublic(subnet.id) ? 'public' : 'private';
    return { kind: 'subnet', nodeId: subnet.id, description: `${kind} subnet ${this.label(subnet.id)} (${subnet.cidr})` };
  }

  private tableHop(table: RouteTableNode, association: EffectiveRouteTable['association']): Hop {
    const how = association === 'main' ? "the VPC's main table" : 'explicitly associated';
    return { kind: 'route-table', nodeId: table.id, description: `route table ${this.label(table.id)} (${how})` };
  }

  private routeHop(kind: 'route' | 'return-route', table: RouteTableNode, route: EffectiveRoute): Hop {
    const target = route.target === 'local' || route.target === 'blackhole' ? route.target : this.label(route.target);
    const what = kind === 'route' ? 'route' : 'return route';
    return {
      kind,
      description: `${what} ${formatCidr(route.block)} -> ${target}${route.implicit ? ' (implicit local route)' : ''}`,
      route: { table: table.id, destination: route.destination, target: route.target, implicit: route.implicit },
    };
  }

  private gatewayHop(gateway: InternetGatewayNode, direction: 'out to' | 'in through'): Hop {
    return {
      kind: 'internet-gateway',
      nodeId: gateway.id,
      description: direction === 'out to' ? `internet gateway ${this.label(gateway.id)} out to the internet` : `in through internet gateway ${this.label(gateway.id)}`,
    };
  }
}
