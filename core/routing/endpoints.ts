import { containsAddress, formatCidr, safeParseCidr, type CidrBlock } from '../cidr/block.js';
import { formatIp, safeParseIp, type IpAddress } from '../cidr/address.js';
import { groupInstanceAddresses, groupInstancePort, resolveAddresses, type InstanceAddress, type ResolvedAddress } from '../model/addresses.js';
import { KIND_LABELS, KIND_TRAITS, isAddressableKind } from '../model/kinds/index.js';
import type { TopologyIndex } from '../model/queries.js';
import type { AutoscalingGroupNode, SubnetNode, TopologyNode, VpcNode } from '../model/types.js';
import type { RouteTableAssociations } from './associations.js';
import { FilterSet } from './filters/resolve.js';
import { RouteTables } from './tables.js';

/** Why a trace could not start: an id that is not a node, or a node that cannot send or receive. */
export class TraceInputError extends Error {
  constructor(
    readonly code: 'unknown-node' | 'bad-endpoint',
    message: string,
  ) {
    super(message);
    this.name = 'TraceInputError';
  }
}

/**
 * What every trace of one topology shares, built once: the index, the effective route
 * tables, the designed addresses and (on first use) the instance addresses of the
 * auto-scaling groups, from the same allocation the lab and the exports use.
 */
export class TraceContext {
  readonly tables: RouteTables;
  readonly addresses: ReadonlyMap<string, ResolvedAddress>;
  private instances?: Map<string, InstanceAddress[]>;
  private filterSet?: FilterSet;

  /** Labels as reasons quote them, by node id (every walk of a tracer names the same nodes). */
  readonly quoted = new Map<string, string>();

  /** `parts`: what the caller has computed already of the same index (`resolveAddresses`, `routeTableAssociations`). */
  constructor(
    readonly index: TopologyIndex,
    parts: { addresses?: ReadonlyMap<string, ResolvedAddress>; associations?: RouteTableAssociations } = {},
  ) {
    this.tables = new RouteTables(index, parts.associations);
    this.addresses = parts.addresses ?? resolveAddresses(index);
  }

  /** The security groups and network ACLs of the design, resolved on first use. */
  get filters(): FilterSet {
    this.filterSet ??= new FilterSet(this.index, this.addresses, () => {
      this.instances ??= groupInstanceAddresses(this.index, this.addresses);
      return this.instances;
    });
    return this.filterSet;
  }

  /** The addresses of a group's instances 1..max, in the lab's order. */
  instancesOf(groupId: string): readonly InstanceAddress[] {
    this.instances ??= groupInstanceAddresses(this.index, this.addresses);
    return this.instances.get(groupId) ?? [];
  }
}

/** An instance of an auto-scaling group: not a node of the file, numbered as the lab runs it. */
export interface GroupInstance {
  /** `group#n`, 1-based. */
  id: string;
  group: AutoscalingGroupNode;
}

/** One end of a trace, located in the topology. */
export interface Endpoint {
  /** The node (given by id, or the owner of the given IP; the group for an instance); absent for a bare address. */
  node?: TopologyNode;
  /** Set when the end is one instance of an auto-scaling group (`node` is then the group). */
  instance?: GroupInstance;
  /** The address used for route lookups; absent for an internet client without an `ip`. */
  address?: IpAddress;
  /** The port the node listens on (destinations), from the file or the kind's default. */
  listenPort?: number;
  subnet?: SubnetNode;
  vpc?: VpcNode;
  /** Whether the request named a node id or an address (a private address never crosses the internet). */
  givenAs: 'id' | 'address';
}

/** `asg#2`: ids cannot hold `#`, so this never shadows a node. */
const INSTANCE_ID = /^(.+)#([1-9]\d{0,2})$/;

/**
 * The ends a request names: one endpoint, or for an auto-scaling group one per instance
 * (each in its own subnet). A group whose instances got no address is traced on its own
 * subnet, as one end; the validator and the lab report the missing addresses.
 */
export function endpointsFor(context: TraceContext, id: string, role: 'from' | 'to'): { ends: Endpoint[]; group?: AutoscalingGroupNode } {
  const group = context.index.nodeOfKind(id, 'autoscaling-group');
  if (group) {
    const count = context.instancesOf(group.id).length;
    if (count > 0) return { ends: Array.from({ length: count }, (_, i) => instanceEndpoint(context, group, i + 1)), group };
  }
  return { ends: [role === 'from' ? nodeEndpoint(context, id) : destinationEndpoint(context, id)] };
}

/** Locates a node id or instance id as an endpoint; throws `TraceInputError` for unknown ids and kinds that carry no traffic. */
export function nodeEndpoint(context: TraceContext, id: string): Endpoint {
  const { index, addresses } = context;
  const node = index.node(id);
  if (!node) {
    const instance = INSTANCE_ID.exec(id);
    const group = instance ? index.nodeOfKind(instance[1], 'autoscaling-group') : undefined;
    if (instance && group) return instanceEndpoint(context, group, Number(instance[2]));
    throw new TraceInputError('unknown-node', `no node "${id}" in this topology`);
  }
  // Kinds a trace may start or end at: things with an address, plus subnets and groups.
  if (!KIND_TRAITS[node.kind].traceEndpoint) {
    throw new TraceInputError(
      'bad-endpoint',
      `"${id}" is a ${KIND_LABELS[node.kind].toLowerCase()}: a trace runs between servers, balancers, proxies, caches, NAT gateways, clients, auto-scaling groups (or their instances, "group#n") or subnets`,
    );
  }
  const subnet = index.subnetOf(id);
  const vpc = subnet ? index.vpcOf(subnet.id) : undefined;
  const resolved = addresses.get(id);
  let address: IpAddress | undefined = resolved ? { version: resolved.version, value: resolved.value } : undefined;
  if (!address && subnet) {
    // A subnet, a group, or a node whose address could not be assigned: route on the subnet's network address.
    const parsed = safeParseCidr(subnet.cidr);
    if (parsed.ok) address = { version: parsed.block.version, value: parsed.block.first };
  }
  const endpoint: Endpoint = { node, givenAs: 'id' };
  if (address) endpoint.address = address;
  if (subnet) endpoint.subnet = subnet;
  if (vpc) endpoint.vpc = vpc;
  if (resolved && isAddressableKind(node.kind) && resolved.port > 0) endpoint.listenPort = resolved.port;
  return endpoint;
}

/** Instance `n` (1-based) of a group, at the address the shared allocation gives it. */
function instanceEndpoint(context: TraceContext, group: AutoscalingGroupNode, n: number, givenAs: Endpoint['givenAs'] = 'id'): Endpoint {
  const reserved = context.instancesOf(group.id);
  const slot = reserved[n - 1];
  if (!slot) {
    const range = reserved.length === 0 ? 'has no instance addresses (its subnets are full or invalid)' : `has ${reserved.length} instance address${reserved.length === 1 ? '' : 'es'} (${group.id}#1 to ${group.id}#${reserved.length})`;
    throw new TraceInputError('unknown-node', `auto-scaling group "${group.id}" ${range}; "${group.id}#${n}" is none of them`);
  }
  const subnet = context.index.nodeOfKind(slot.subnetId, 'subnet') as SubnetNode;
  const vpc = context.index.vpcOf(subnet.id);
  return {
    node: group,
    instance: { id: `${group.id}#${n}`, group },
    address: { version: slot.version, value: slot.value },
    listenPort: groupInstancePort(context.index, group),
    subnet,
    ...(vpc ? { vpc } : {}),
    givenAs,
  };
}

/**
 * Locates the destination of a trace: a node id (preferred, since an id may look like an
 * address) or instance id, else an IP address, which is matched to the node or instance
 * that owns it, the most specific subnet containing it and the VPC whose CIDRs contain it.
 * An address in no VPC is on the internet.
 */
export function destinationEndpoint(context: TraceContext, to: string): Endpoint {
  const { index, addresses } = context;
  if (index.node(to) || INSTANCE_ID.test(to)) return nodeEndpoint(context, to);
  const ip = safeParseIp(to);
  if (!ip) throw new TraceInputError('unknown-node', `"${to}" is neither a node id of this topology nor an IP address`);
  const endpoint: Endpoint = { address: ip, givenAs: 'address' };
  for (const [id, resolved] of addresses) {
    if (resolved.version === ip.version && resolved.value === ip.value) {
      const owner = nodeEndpoint(context, id);
      return { ...owner, address: ip, givenAs: 'address' };
    }
  }
  for (const group of index.ofKind('autoscaling-group')) {
    const n = context.instancesOf(group.id).findIndex((a) => a.version === ip.version && a.value === ip.value);
    if (n >= 0) return instanceEndpoint(context, group, n + 1, 'address');
  }
  let best: { subnet: SubnetNode; block: CidrBlock } | undefined;
  for (const subnet of index.ofKind('subnet')) {
    const parsed = safeParseCidr(subnet.cidr);
    if (parsed.ok && containsAddress(parsed.block, ip) && (!best || parsed.block.prefix > best.block.prefix)) best = { subnet, block: parsed.block };
  }
  if (best) {
    endpoint.subnet = best.subnet;
    const vpc = index.vpcOf(best.subnet.id);
    if (vpc) endpoint.vpc = vpc;
  }
  if (!endpoint.vpc) {
    const vpc = index.ofKind('vpc').find((v) => context.tables.blocksOf(v).some((block) => containsAddress(block, ip)));
    if (vpc) endpoint.vpc = vpc;
  }
  return endpoint;
}

/** `10.0.1.10`, `10.0.1.10:80`, `[2001:db8::1]:80`. */
export function formatEndpointAddress(address: IpAddress | undefined, port?: number): string | undefined {
  if (!address) return undefined;
  const ip = formatIp(address);
  if (port === undefined || port <= 0) return ip;
  return address.version === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `10.0.0.0/16` or `10.0.0.0/16 + 10.1.0.0/16`: a VPC's CIDRs for messages. */
export function describeVpcCidrs(tables: RouteTables, vpc: VpcNode): string {
  const blocks = tables.blocksOf(vpc);
  return blocks.length > 0 ? blocks.map(formatCidr).join(' + ') : vpc.cidr;
}
