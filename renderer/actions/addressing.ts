import { addressKey, formatCidr, formatIpValue, nextFreeBlock, safeParseCidr, safeParseIp, type AddressKey, type CidrBlock } from '../../core/cidr/index.js';
import { nextFreeAddress, resolveAddresses, TopologyIndex, type Topology } from '../../core/model/index.js';

/**
 * The CIDR a new subnet of `prefix` gets in a VPC: the lowest aligned block not used by
 * the VPC's other subnets, or a reason why there is none.
 */
export function proposeSubnetCidr(doc: Topology, vpcId: string, prefix: number): { cidr: string } | { reason: string } {
  const index = new TopologyIndex(doc);
  const vpc = index.nodeOfKind(vpcId, 'vpc');
  if (!vpc) return { reason: `"${vpcId}" is not a VPC` };
  const outer = safeParseCidr(vpc.cidr);
  if (!outer.ok) return { reason: `the VPC's CIDR is not valid (${outer.problem.message}); fix it first` };
  if (prefix < outer.block.prefix) return { reason: `a /${prefix} subnet is larger than the VPC ${vpc.cidr}` };
  const used: CidrBlock[] = [];
  for (const child of index.children(vpcId)) {
    if (child.kind !== 'subnet') continue;
    const parsed = safeParseCidr(child.cidr);
    if (parsed.ok) used.push(parsed.block);
  }
  const block = nextFreeBlock(outer.block, used, prefix);
  return block ? { cidr: formatCidr(block) } : { reason: `the VPC ${vpc.cidr} has no free /${prefix} left` };
}

/** A /16 for a new VPC in 10.0.0.0/8 that overlaps no other VPC (10.0, 10.1, ...). */
export function proposeVpcCidr(doc: Topology): string {
  const used: CidrBlock[] = [];
  for (const node of doc.nodes) {
    if (node.kind !== 'vpc') continue;
    const parsed = safeParseCidr(node.cidr);
    if (parsed.ok) used.push(parsed.block);
  }
  const ten = safeParseCidr('10.0.0.0/8');
  const block = ten.ok ? nextFreeBlock(ten.block, used, 16) : undefined;
  return block ? formatCidr(block) : '172.16.0.0/16';
}

/**
 * The next free usable address of the subnet that contains (or is) `containerId`:
 * provider reservations and every address already designed or assigned there are skipped.
 * `ignore` leaves a node's own address out (when it moves, it may keep it).
 */
export function proposeAddress(doc: Topology, containerId: string, ignore?: string): { ip: string } | { reason: string } {
  const index = new TopologyIndex(doc);
  const subnet = index.subnetOf(containerId);
  if (!subnet) return { reason: 'the node is not inside a subnet' };
  const parsed = safeParseCidr(subnet.cidr);
  if (!parsed.ok) return { reason: `the subnet's CIDR is not valid (${parsed.problem.message}); fix it first` };
  const used = new Set<AddressKey>();
  for (const [id, address] of resolveAddresses(index)) {
    if (id !== ignore && index.subnetOf(id)?.id === subnet.id) used.add(addressKey(address.version, address.value));
  }
  const next = nextFreeAddress(parsed.block, used, doc.provider);
  return next ? { ip: formatIpValue(next.version, next.value) } : { reason: `subnet ${subnet.cidr} has no free address left` };
}

/** Whether an address text lies inside the subnet that contains `containerId`. */
export function addressFitsSubnet(doc: Topology, containerId: string, ip: string): boolean {
  const subnet = new TopologyIndex(doc).subnetOf(containerId);
  const block = subnet ? safeParseCidr(subnet.cidr) : undefined;
  const address = safeParseIp(ip);
  if (!block?.ok || !address) return false;
  return block.block.version === address.version && block.block.first <= address.value && address.value <= block.block.last;
}
