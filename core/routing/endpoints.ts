import { containsAddress, formatCidr, safeParseCidr, type CidrBlock } from '../cidr/block.js';
import { formatIp, safeParseIp, type IpAddress } from '../cidr/address.js';
import { KIND_LABELS, KIND_TRAITS, isAddressableKind } from '../model/kinds/index.js';
import type { ResolvedAddress } from '../model/addresses.js';
import type { TopologyIndex } from '../model/queries.js';
import type { SubnetNode, TopologyNode, VpcNode } from '../model/types.js';
import type { RouteTables } from './tables.js';

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

/** One end of a trace, located in the topology. */
export interface Endpoint {
  /** The node (given by id, or the owner of the given IP); absent for a bare address. */
  node?: TopologyNode;
  /** The address used for route lookups; absent for an internet client without an `ip`. */
  address?: IpAddress;
  /** The port the node listens on (destinations), from the file or the kind's default. */
  listenPort?: number;
  subnet?: SubnetNode;
  vpc?: VpcNode;
  /** Whether the request named a node id or an address (a private address never crosses the internet). */
  givenAs: 'id' | 'address';
}

/** Locates a node id as an endpoint; throws `TraceInputError` for unknown ids and kinds that carry no traffic. */
export function nodeEndpoint(index: TopologyIndex, addresses: Map<string, ResolvedAddress>, id: string): Endpoint {
  const node = index.node(id);
  if (!node) throw new TraceInputError('unknown-node', `no node "${id}" in this topology`);
  // Kinds a trace may start or end at: things with an address, plus subnets and groups.
  if (!KIND_TRAITS[node.kind].traceEndpoint) {
    throw new TraceInputError(
      'bad-endpoint',
      `"${id}" is a ${KIND_LABELS[node.kind].toLowerCase()}: a trace runs between servers, balancers, proxies, caches, NAT gateways, clients, auto-scaling groups or subnets`,
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

/**
 * Locates the destination of a trace: a node id (preferred, since an id may look like an
 * address), else an IP address, which is matched to the node that owns it, the most
 * specific subnet containing it and the VPC whose CIDRs contain it. An address in no VPC
 * is on the internet.
 */
export function destinationEndpoint(index: TopologyIndex, tables: RouteTables, addresses: Map<string, ResolvedAddress>, to: string): Endpoint {
  if (index.node(to)) return nodeEndpoint(index, addresses, to);
  const ip = safeParseIp(to);
  if (!ip) throw new TraceInputError('unknown-node', `"${to}" is neither a node id of this topology nor an IP address`);
  const endpoint: Endpoint = { address: ip, givenAs: 'address' };
  for (const [id, resolved] of addresses) {
    if (resolved.version === ip.version && resolved.value === ip.value) {
      const owner = nodeEndpoint(index, addresses, id);
      return { ...owner, address: ip, givenAs: 'address' };
    }
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
    const vpc = index.ofKind('vpc').find((v) => tables.blocksOf(v).some((block) => containsAddress(block, ip)));
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
