import type { IpAddress } from '../cidr/address.js';
import { makeBlock } from '../cidr/block.js';
import { classifyBlock } from '../cidr/ranges.js';
import { KIND_TRAITS } from '../model/kinds/index.js';
import type { TopologyNode } from '../model/types.js';

/**
 * What counts as a public address, the one set of rules for every internet gateway hop.
 * An internet gateway carries traffic only to and from public addresses (AWS: it
 * translates an instance's private IPv4 address to its public one, and drops anything it
 * has no public address for), so these decide both directions.
 */

/** Whether a node only accepts internet traffic when marked `internetFacing` (as an AWS internet-facing scheme); its descriptor says so. */
export function isInternalUnlessFacing(node: TopologyNode): boolean {
  return KIND_TRAITS[node.kind].internet === 'when-facing' && (node as { internetFacing?: boolean }).internetFacing !== true;
}

/**
 * Whether the internet carries an address: not private (RFC 1918), shared (RFC 6598),
 * loopback, link-local, multicast, reserved or IPv6 unique-local. Documentation ranges
 * count as public, since designs use them to stand for real internet addresses.
 */
export function isInternetRoutable(address: IpAddress): boolean {
  const kind = classifyBlock(makeBlock(address.version, address.value, address.version === 4 ? 32 : 128)).kind;
  return kind === 'public' || kind === 'documentation';
}

/** The name of the range an address the internet does not carry belongs to: `private (RFC 1918)`. */
export function rangeName(address: IpAddress): string {
  return classifyBlock(makeBlock(address.version, address.value, address.version === 4 ? 32 : 128)).name;
}

/**
 * Whether a node of a VPC has a public address of its own, as AWS gives one: instances
 * (servers, forward proxies, clients, auto-scaling instances) and NAT gateways in a public
 * subnet, and internet-facing balancers, reverse proxies and caches in a public subnet.
 * IPv6 addresses outside ULA are global: public wherever the node sits, except that an
 * internal balancer, proxy or cache is never reachable from the internet.
 * Returns `undefined` when it has one, else a sentence saying why not, about `who`.
 */
export function missingPublicAddress(
  node: TopologyNode,
  address: IpAddress | undefined,
  subnet: { id: string; public: boolean },
  who: string,
  label: (id: string) => string,
): string | undefined {
  if (isInternalUnlessFacing(node)) {
    return `${who} is internal (not "internetFacing"), so it has no public address`;
  }
  if (address?.version === 6) {
    return isInternetRoutable(address) ? undefined : `${who} has an address in ${rangeName(address)}, which the internet does not carry`;
  }
  if (subnet.public) return undefined;
  return `${who} is in private subnet ${label(subnet.id)} (no default route to an internet gateway), so it has no public IPv4 address`;
}
