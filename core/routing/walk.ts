import { formatIp, type IpAddress } from '../cidr/address.js';
import { containsAddress, formatCidr, safeParseCidr, type CidrBlock } from '../cidr/block.js';
import { KIND_LABELS, KIND_TRAITS, kindsWhere } from '../model/kinds/index.js';
import { DEFAULT_TLS_PORT } from '../model/kinds/tls.js';
import { nodeTls } from '../model/tls-hosts.js';
import type { PeeringNode, RouteTableNode, SubnetNode, TopologyNode, VpcNode } from '../model/types.js';
import { TraceWords } from './describe.js';
import { describeVpcCidrs, type Endpoint, type TraceContext } from './endpoints.js';
import { PathFilters, type TraceFlow } from './filters/path.js';
import { fromTheInternet, outThroughInternetGateway } from './internet.js';
import { localReturn } from './local-return.js';
import { missingPublicAddress } from './public-address.js';
import { longestPrefixMatch, type EffectiveRoute, type EffectiveRouteTable } from './tables.js';
import type { BlockedBy, Hop, RoutingBlockCode, TraceFix, TraceResult } from './trace-types.js';

/** The most hops a path can take through NAT gateways before it is called a loop. */
const MAX_FORWARDS = 8;

/** "server or forward proxy": the kinds a route may target as an instance (their descriptors say so). */
const INSTANCE_WORDS = kindsWhere((d) => d.traits.routeTarget === 'instance').map((kind) => KIND_LABELS[kind].toLowerCase()).join(' or ');

/**
 * Where the traffic stands while it is routed: the subnet it leaves from, its source
 * address (rewritten by a NAT gateway), and whether that source has a public address
 * (`undefined`), or why not, for an internet gateway to decide.
 */
export interface Leg {
  subnet: SubnetNode;
  sourceAddress: IpAddress | undefined;
  /** Why the traffic has no public source address (a sentence naming who sends it); `undefined` when it has one. */
  notPublic: string | undefined;
  /**
   * A block known to hold the source address without reading it (the source subnet's, on
   * the first leg): a decision that is the same for every address of it, such as a reply
   * route no route splits, then does not depend on the source (see `PathWalk`).
   */
  sourceBlock?: CidrBlock;
}

/**
 * One flow, walked hop by hop through the designed routing: subnet, its effective route
 * table, the longest-prefix route, then local delivery, an internet gateway, a NAT gateway
 * or instance router (which forwards again from its own subnet) or a peering (whose far
 * side must route the replies back). The internet legs live in ./internet.ts.
 *
 * **Reading the source.** Everything about the source besides its subnet (its node, its
 * address, whether it has a public one, and, in a design with security groups or network
 * ACLs, everything the filters read: its groups, its address, its ephemeral ports, its name
 * in their reasons) is read through `source`, which records that the walk depends on it
 * (`dependsOnSource`). A walk that never read it was decided by its source subnet,
 * destination, port and protocol alone, so `Tracer` shares its result with every source in
 * that subnet (after replacing the start hop); one that read it is cached for its own
 * source only. Only the start hop, the subnet and the address family (part of the Tracer's
 * subnet key) come from the unrecorded `start`: any new check that needs the source must read `source`.
 */
export class PathWalk {
  readonly words: TraceWords;
  readonly hops: Hop[] = [];
  private readSource = false;
  /** The security groups and network ACLs along the way (./filters/path.ts). */
  readonly filters: PathFilters;
  /** Only a tcp flow meets the destination's listening port (the lab's nodes listen on tcp). */
  private readonly tcp: boolean;

  /**
   * @param port the port the request named, checked against the destination's listening port
   * @param flow the protocol and ports the filters judge (the port defaults to the destination's)
   */
  constructor(
    readonly context: TraceContext,
    private readonly start: Endpoint,
    readonly destination: Endpoint,
    private readonly port: number | undefined,
    flow: TraceFlow,
  ) {
    this.words = new TraceWords(context);
    this.tcp = flow.protocol === 'tcp';
    // The filters read the source through the recording getter, and only when the design has filters.
    this.filters = new PathFilters(context, () => this.source, destination, flow, this.words, this.hops);
  }

  /** The source of the flow; reading it marks the walk as depending on its source (see the class comment). */
  get source(): Endpoint {
    this.readSource = true;
    return this.start;
  }

  /** Whether the walk read anything of its source besides its subnet. */
  get dependsOnSource(): boolean {
    return this.readSource;
  }

  run(): TraceResult {
    this.hops.push(this.words.endHop(this.start, 'start at'));
    const [sent, wanted] = [this.start.address, this.destination.address];
    if (sent && wanted && sent.version !== wanted.version) {
      // A node has one address: IPv4 cannot reach IPv6 (a design has no NAT64), as the kernel lab shows.
      // The address family is read unrecorded: it is part of the Tracer's subnet key; the reason reads `source`.
      const from = this.source;
      return this.blocked('no-shared-protocol', (from.node as TopologyNode).id, `${this.words.describeEnd(from)} has only an IPv${sent.version} address and ${this.destinationText()} is IPv${wanted.version}: they share no protocol`);
    }
    const outbound = this.filters.start();
    if (outbound) return this.stop(outbound);
    const subnet = this.start.subnet;
    if (!subnet) {
      const from = this.source.node as TopologyNode;
      if (from.kind === 'client' && from.parent === undefined) return fromTheInternet(this);
      return this.blocked('no-subnet', from.id, `${this.label(from.id)} sits in no subnet, so no route table carries its traffic`);
    }
    return this.forward(this.firstLeg(subnet));
  }

  /** The leg from the source's subnet: its address and public status are read only by the legs that need them. */
  private firstLeg(subnet: SubnetNode): Leg {
    const source = (): Endpoint => this.source;
    const isPublic = (): boolean => this.context.tables.isPublic(subnet.id);
    const words = this.words;
    let notPublic: { value: string | undefined } | undefined;
    const parsed = safeParseCidr(subnet.cidr);
    // Read unrecorded, as the Tracer's key holds the family; a source outside its own subnet (an invalid design) gets no block.
    const own = this.start.address;
    const sourceBlock = parsed.ok && own && containsAddress(parsed.block, own) ? parsed.block : undefined;
    return {
      subnet,
      ...(sourceBlock ? { sourceBlock } : {}),
      get sourceAddress() {
        return source().address;
      },
      get notPublic() {
        const from = source();
        notPublic ??= { value: missingPublicAddress(from.node as TopologyNode, from.address, { id: subnet.id, public: isPublic() }, words.describeEnd(from), (id) => words.label(id)) };
        return notPublic.value;
      },
    };
  }

  // ---- inside a VPC ----------------------------------------------------------------

  /** Routes from a subnet; repeats only through NAT gateways and instance routers, which forward from their own subnet. */
  private forward(start: Leg): TraceResult {
    let leg = start;
    const seenForwarders = new Set<string>();
    for (let step = 0; step < MAX_FORWARDS; step++) {
      const subnet = leg.subnet;
      const vpc = this.context.index.vpcOf(subnet.id);
      this.hops.push(this.words.subnetHop(subnet));
      const leaving = this.filters.leave(subnet);
      if (leaving) return this.stop(leaving);
      const effective = this.context.tables.forSubnet(subnet.id) as EffectiveRouteTable;
      const table = effective.table;
      if (!table && vpc && this.destination.vpc?.id === vpc.id) {
        // AWS gives every VPC a main table with the local route, whether or not the design
        // draws one: traffic inside the VPC needs no table of the design.
        if (!this.destination.subnet) return this.blocked('address-unowned', vpc.id, `no subnet of VPC ${this.label(vpc.id)} contains ${this.destinationText()}`);
        this.hops.push({ kind: 'local', nodeId: vpc.id, description: `delivered inside VPC ${this.label(vpc.id)} by the local route of its implicit main table (the design draws no route table for subnet ${this.label(subnet.id)})` });
        this.hops.push(this.words.subnetHop(this.destination.subnet));
        return localReturn(this, this.destination.subnet, leg, vpc) ?? this.arriveIn(this.destination.subnet);
      }
      if (!table) {
        return this.blocked(
          'no-route-table',
          subnet.id,
          `subnet ${this.label(subnet.id)} has no route table: it is not associated with one${vpc ? ` and VPC ${this.label(vpc.id)} has no main table` : ' and sits in no VPC'}`,
        );
      }
      this.hops.push(this.words.tableHop(table, effective.association));
      const route = this.lookup(effective.routes, this.destination.address);
      if (!route) return this.blocked('no-route', table.id, this.noRouteReason(table, vpc));
      this.hops.push(this.words.routeHop('route', table, route));
      if (route.target === 'blackhole') {
        return this.blocked('blackhole', table.id, `route ${route.destination} in route table ${this.label(table.id)} is a blackhole: traffic to ${this.destinationText()} is dropped`);
      }
      if (route.target === 'local') return this.deliverLocal(table, route, vpc, leg);
      const target = this.context.index.node(route.target);
      if (!target) {
        return this.blocked('route-target-invalid', table.id, `route ${route.destination} in route table ${this.label(table.id)} targets "${route.target}", which is not a node of this topology`);
      }
      if (target.kind === 'internet-gateway') return outThroughInternetGateway(this, { table, route, gateway: target, vpc, leg });
      if (target.kind === 'peering') return this.viaPeering(table, route, target, vpc, leg.sourceAddress);
      const next = this.throughForwarder(table, route, target, vpc, seenForwarders);
      if ('verdict' in next) return next;
      const block = next.source ? undefined : leg.sourceBlock;
      leg = { subnet: next.subnet, sourceAddress: next.source ?? leg.sourceAddress, notPublic: next.notPublic, ...(block ? { sourceBlock: block } : {}) };
    }
    return this.blocked('routing-loop', start.subnet.id, `the path passes through more than ${MAX_FORWARDS} NAT gateways or instances; check the route tables for a loop`);
  }

  /**
   * A NAT gateway, or an instance (server, forward proxy) a route targets, takes the traffic
   * and forwards it again from its own subnet. Returns that subnet (and, after a NAT, the
   * new source address), or the verdict when the hand-over is impossible. Toward an internet
   * gateway both send from their own address (a NAT gateway's elastic IP; an instance router
   * acts as a NAT instance), so whether the traffic has a public source is theirs.
   */
  private throughForwarder(
    table: RouteTableNode,
    route: EffectiveRoute,
    target: TopologyNode,
    vpc: VpcNode | undefined,
    seen: Set<string>,
  ): TraceResult | { subnet: SubnetNode; source?: IpAddress; notPublic: string | undefined } {
    const words = this.words;
    if (KIND_TRAITS[target.kind].routeTarget !== 'nat-gateway' && KIND_TRAITS[target.kind].routeTarget !== 'instance') {
      return this.blocked(
        'route-target-invalid',
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets ${words.describeNode(target)}; a route sends traffic to local, blackhole, an internet gateway, a NAT gateway, a peering, or an instance (${INSTANCE_WORDS})`,
      );
    }
    if (seen.has(target.id)) {
      return this.blocked('routing-loop', table.id, `routing loop: route table ${this.label(table.id)} sends the traffic back to ${words.describeNode(target)}`);
    }
    seen.add(target.id);
    const isNat = target.kind === 'nat-gateway';
    const subnet = this.context.index.subnetOf(target.id);
    if (!subnet) return this.blocked('route-target-invalid', target.id, `${words.describeNode(target)} sits in no subnet, so it cannot forward traffic`);
    const targetVpc = this.context.index.vpcOf(subnet.id);
    if (vpc && targetVpc?.id !== vpc.id) {
      return this.blocked(
        'route-target-invalid',
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets ${words.describeNode(target)}, which is ${targetVpc ? `in VPC ${this.label(targetVpc.id)}` : 'in no VPC'}, not in ${this.label(vpc.id)}`,
      );
    }
    const isPublic = this.context.tables.isPublic(subnet.id);
    if (isNat && !isPublic) {
      const natTable = this.context.tables.forSubnet(subnet.id)?.table;
      return this.blocked(
        'nat-in-private-subnet',
        target.id,
        `NAT gateway ${this.label(target.id)} sits in private subnet ${this.label(subnet.id)} (${natTable ? `its route table ${this.label(natTable.id)} has no default route to an internet gateway` : 'it has no route table'}): a NAT gateway reaches the internet only from a public subnet`,
      );
    }
    const address = this.context.addresses.get(target.id);
    this.hops.push({
      kind: isNat ? 'nat-gateway' : 'instance',
      nodeId: target.id,
      description: isNat
        ? `NAT gateway ${this.label(target.id)} replaces the source address with its own and forwards from subnet ${this.label(subnet.id)}`
        : `${words.describeNode(target)} receives the traffic as a router and forwards it from subnet ${this.label(subnet.id)}`,
      ...(address ? { address: address.ip } : {}),
    });
    const own = address ? { version: address.version, value: address.value } : undefined;
    const filtered = this.filters.enter(subnet) ?? this.filters.forwarder(target, own);
    if (filtered) return this.stop(filtered);
    const notPublic = missingPublicAddress(target, own, { id: subnet.id, public: isPublic }, `${words.describeNode(target)}, which forwards it,`, (id) => this.label(id));
    // Only a NAT rewrites the source for the rest of the path; an instance router passes it on unchanged.
    return isNat && own ? { subnet, source: own, notPublic } : { subnet, notPublic };
  }

  private deliverLocal(table: RouteTableNode, route: EffectiveRoute, vpc: VpcNode | undefined, leg: Leg): TraceResult {
    const destination = this.destination;
    if (!vpc || destination.vpc?.id !== vpc.id) {
      const where = destination.vpc ? `in VPC ${this.label(destination.vpc.id)}` : 'on the internet';
      return this.blocked(
        'local-route-only',
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} is local, but ${this.destinationText()} is ${where}${vpc ? `, not inside VPC ${this.label(vpc.id)} (${describeVpcCidrs(this.context.tables, vpc)})` : ''}: a local route only reaches its own VPC`,
      );
    }
    if (!destination.subnet) return this.blocked('address-unowned', vpc.id, `no subnet of VPC ${this.label(vpc.id)} contains ${this.destinationText()}`);
    this.hops.push({ kind: 'local', nodeId: vpc.id, description: `delivered inside VPC ${this.label(vpc.id)} by the local route` });
    this.hops.push(this.words.subnetHop(destination.subnet));
    return localReturn(this, destination.subnet, leg, vpc) ?? this.arriveIn(destination.subnet);
  }

  private viaPeering(table: RouteTableNode, route: EffectiveRoute, peering: PeeringNode, vpc: VpcNode | undefined, sourceAddress: IpAddress | undefined): TraceResult {
    const [a, b] = peering.vpcs;
    if (!vpc || (a !== vpc.id && b !== vpc.id)) {
      return this.blocked(
        'peering-mismatch',
        table.id,
        `route ${route.destination} in route table ${this.label(table.id)} targets peering ${this.label(peering.id)}, which connects ${this.label(a)} and ${this.label(b)}${vpc ? `, not ${this.label(vpc.id)}` : ''}`,
      );
    }
    if (a === b) return this.blocked('peering-mismatch', peering.id, `peering ${this.label(peering.id)} connects VPC ${this.label(a)} with itself`);
    const farId = a === vpc.id ? b : a;
    const destination = this.destination;
    if (destination.vpc?.id !== farId) {
      const where = destination.vpc ? `in VPC ${this.label(destination.vpc.id)}` : 'on the internet';
      return this.blocked(
        'peering-mismatch',
        peering.id,
        `peering ${this.label(peering.id)} leads to VPC ${this.label(farId)}, but ${this.destinationText()} is ${where}; peering is not transitive and does not reach the internet`,
      );
    }
    this.hops.push({ kind: 'peering', nodeId: peering.id, description: `peering ${this.label(peering.id)} carries the traffic from VPC ${this.label(vpc.id)} to VPC ${this.label(farId)}` });
    if (!destination.subnet) return this.blocked('address-unowned', farId, `no subnet of VPC ${this.label(farId)} contains ${this.destinationText()}`);
    this.hops.push(this.words.subnetHop(destination.subnet));
    const back = this.context.tables.forSubnet(destination.subnet.id) as EffectiveRouteTable;
    const sourceText = sourceAddress ? formatIp(sourceAddress) : `VPC ${this.label(vpc.id)}`;
    const fix = `add a route ${describeVpcCidrs(this.context.tables, vpc)} -> ${peering.id}`;
    if (!back.table) {
      return this.blocked('peering-no-return-route', destination.subnet.id, `peering without a return route: subnet ${this.label(destination.subnet.id)} has no route table, so replies to ${sourceText} cannot go back (${fix} to its table)`);
    }
    this.hops.push(this.words.tableHop(back.table, back.association));
    const returnRoute = this.lookup(back.routes, sourceAddress);
    const returnPeering = returnRoute ? this.context.index.nodeOfKind(returnRoute.target, 'peering') : undefined;
    if (!returnRoute || !returnPeering || !returnPeering.vpcs.includes(vpc.id) || !returnPeering.vpcs.includes(farId)) {
      const best = returnRoute ? `; its best match, ${returnRoute.destination}, goes to ${returnRoute.target}` : '';
      return this.blocked(
        'peering-no-return-route',
        back.table.id,
        `peering without a return route: route table ${this.label(back.table.id)} (of subnet ${this.label(destination.subnet.id)} in VPC ${this.label(farId)}) has no route back to ${sourceText} through peering ${this.label(peering.id)}${best}; ${fix}`,
        this.returnRouteFix(back.table, vpc, peering),
      );
    }
    this.hops.push(this.words.routeHop('return-route', back.table, returnRoute));
    return this.arriveIn(destination.subnet);
  }

  /** The far table with a route for each of the near VPC's blocks through the peering (a written route to the same block is re-targeted). */
  private returnRouteFix(table: RouteTableNode, vpc: VpcNode, peering: PeeringNode): TraceFix | undefined {
    const blocks = this.context.tables.blocksOf(vpc).map(formatCidr);
    if (blocks.length === 0) return undefined;
    const routes = table.routes.map((route) => (blocks.includes(route.destination) ? { ...route, target: peering.id } : route));
    for (const block of blocks) if (!routes.some((route) => route.destination === block)) routes.push({ destination: block, target: peering.id });
    return { title: `Route ${blocks.join(' and ')} through ${peering.id} in ${table.id}`, nodeId: table.id, field: 'routes', value: routes };
  }

  // ---- shared with the internet legs --------------------------------------------------

  /** The request enters the destination's subnet (its ACL, inbound, when it comes from elsewhere), then arrives. */
  arriveIn(subnet: SubnetNode): TraceResult {
    const entering = this.filters.enter(subnet);
    return entering ? this.stop(entering) : this.arrive();
  }

  /**
   * The last hop: the destination's security groups, then the port when the destination is
   * a node that listens on one, then the reply back through the ACLs it crossed.
   */
  arrive(): TraceResult {
    const destination = this.destination;
    const port = this.port;
    if (destination.node) {
      const node = destination.node;
      const inbound = this.filters.arrive();
      if (inbound) return this.stop(inbound);
      this.hops.push(this.words.endHop(destination, 'arrive at', port));
      // A node with tls listens on its HTTPS port too (the lab's TLS listener, the exports' ssl listener).
      const tls = destination.instance === undefined ? nodeTls(node) : undefined;
      const httpsPort = tls === undefined ? undefined : (tls.port ?? DEFAULT_TLS_PORT);
      if (port !== undefined && this.tcp && destination.listenPort !== undefined && KIND_TRAITS[node.kind].receives !== false && destination.listenPort !== port && httpsPort !== port) {
        const ports = httpsPort === undefined ? `port ${destination.listenPort}` : `ports ${destination.listenPort} and ${httpsPort} (HTTPS)`;
        return this.blocked('port-closed', node.id, `${this.words.name(destination)} listens on ${ports}, not ${port}`);
      }
    } else {
      const onInternet = !destination.vpc;
      this.hops.push({
        kind: onInternet ? 'internet' : 'address',
        description: onInternet ? 'arrive at an address on the internet' : `arrive at an address of VPC ${this.label((destination.vpc as VpcNode).id)} that no node of the design owns`,
        ...this.words.addressOf(destination, port),
      });
    }
    const reply = this.filters.replies();
    if (reply) return this.stop(reply);
    return { verdict: 'reachable', hops: this.hops };
  }

  /** The routing blocks the flow at `nodeId`; `fix` where the edit that clears it is clear. */
  blocked(code: RoutingBlockCode, nodeId: string, reason: string, fix?: TraceFix): TraceResult {
    return this.stop({ code, nodeId, reason, ...(fix ? { fix } : {}) });
  }

  /** The flow stops here: the hops so far and what blocks it. */
  stop(blockedBy: BlockedBy): TraceResult {
    return { verdict: 'blocked', hops: this.hops, blockedBy };
  }

  /** Longest-prefix match; with no address (an internet client without `ip`), the default route. */
  lookup(routes: readonly EffectiveRoute[], address: IpAddress | undefined): EffectiveRoute | undefined {
    if (address) return longestPrefixMatch(routes, address);
    return routes.find((route) => route.block.prefix === 0 && route.block.version === 4) ?? routes.find((route) => route.block.prefix === 0);
  }

  /** The destination as a short phrase for reasons. */
  destinationText(): string {
    return this.words.name(this.destination);
  }

  label(id: string): string {
    return this.words.label(id);
  }

  private noRouteReason(table: RouteTableNode, vpc: VpcNode | undefined): string {
    const base = `route table ${this.label(table.id)} has no route for ${this.destinationText()}`;
    const destinationVpc = this.destination.vpc;
    if (destinationVpc) {
      return destinationVpc.id === vpc?.id ? base : `${base}, an address of VPC ${this.label(destinationVpc.id)}: peer the VPCs and route ${describeVpcCidrs(this.context.tables, destinationVpc)} through the peering`;
    }
    const any = this.destination.address?.version === 6 ? '::/0' : '0.0.0.0/0';
    const gateway = vpc ? this.context.index.children(vpc.id).find((n) => n.kind === 'internet-gateway') : undefined;
    const hint = gateway
      ? `add ${any} -> ${gateway.id} (a public subnet) or ${any} -> a NAT gateway that sits in a public subnet (a private subnet)`
      : `${vpc ? `VPC ${this.label(vpc.id)}` : 'the VPC'} has no internet gateway; add one and a route ${any} -> it`;
    return `${base} (no default route ${any} to the internet): ${hint}`;
  }
}
