import { addressKey, formatIpValue, safeParseIp, type AddressKey } from '../../../cidr/address.js';
import { formatCidr, makeBlock, overlaps, safeParseCidr, type CidrBlock } from '../../../cidr/block.js';
import { classifyBlock } from '../../../cidr/ranges.js';
import type { InstanceAddress, ResolvedAddress } from '../../../model/addresses.js';
import { KIND_TRAITS, isAddressableKind } from '../../../model/kinds/index.js';
import type { TopologyIndex } from '../../../model/queries.js';
import { vpcBlocks } from '../../../routing/tables.js';
import { AddressPool, LINK_BLOCK, PUBLIC_V4_BLOCK, PUBLIC_V6_BLOCK, linkAddresses, routerAddress } from './addressing.js';
import type { HostSite, LinkSite, PeeringSite, PlanContext, VpcSite } from './context.js';
import type { KernelPlanProblem } from './types.js';

/** The namespace of the internet. */
export const INTERNET_NS = 'inet';

/**
 * Places every part of a design in the lab: a router namespace per VPC, a bridge per
 * subnet with its router address, a link per internet gateway and peering, a namespace
 * per node, auto-scaling instance and internet client. Names are derived from positions in
 * the file (`r3`, `br5`, `n7`, `p7`), short enough for interface names (15 bytes).
 */
export function placeDesign(
  index: TopologyIndex,
  addresses: ReadonlyMap<string, ResolvedAddress>,
  instances: ReadonlyMap<string, readonly InstanceAddress[]>,
  problems: KernelPlanProblem[],
): PlanContext {
  const publicAvoid = designBlocks(index, addresses);
  const ctx: PlanContext = {
    provider: index.topology.provider,
    subnets: new Map(),
    vpcs: new Map(),
    peerings: new Map(),
    hosts: new Map(),
    forwarders: new Set(),
    publicV4: new AddressPool(PUBLIC_V4_BLOCK, publicAvoid),
  };
  let links = 0;
  const link = (a: { ns: string; dev: string }, b: { ns: string; dev: string }): LinkSite => {
    const pair = linkAddresses(++links);
    return { a: { ...a, v4: pair.a }, b: { ...b, v4: pair.b }, prefix: pair.prefix };
  };
  const pos = (id: string): number => index.indexOf(id);
  checkLinkSpace(index, addresses, problems);

  for (const vpc of index.ofKind('vpc')) {
    const ns = `r${pos(vpc.id)}`;
    const blocks = vpcBlocks(vpc);
    const primary = blocks[0];
    const site: VpcSite = { id: vpc.id, ns, blocks, ...(primary?.version === 4 && primary.prefix <= 30 ? { resolver: formatIpValue(4, primary.first + 2n) } : {}) };
    const gateway = index.children(vpc.id).find((n) => n.kind === 'internet-gateway');
    if (gateway) site.gateway = { nodeId: gateway.id, link: link({ ns, dev: 'igw' }, { ns: INTERNET_NS, dev: `g${pos(vpc.id)}` }) };
    ctx.vpcs.set(vpc.id, site);
  }

  const used = usedBySubnet(index, addresses, instances);
  for (const subnet of index.ofKind('subnet')) {
    const parsed = safeParseCidr(subnet.cidr);
    const vpc = subnet.parent === undefined ? undefined : ctx.vpcs.get(subnet.parent);
    if (!parsed.ok || !vpc) continue; // the validator reports both
    const gateway = routerAddress(parsed.block, index.topology.provider, used.get(subnet.id) ?? new Set());
    if (!gateway) {
      problems.push({ code: 'lab-netns-no-router-address', message: `subnet ${index.label(subnet.id)} (${subnet.cidr}) has no free address for its router`, nodeIds: [subnet.id] });
      continue;
    }
    const text = formatIpValue(parsed.block.version, gateway.value);
    ctx.subnets.set(subnet.id, { id: subnet.id, vpcId: vpc.id, block: parsed.block, bridge: `br${pos(subnet.id)}`, gateway: text });
  }

  for (const peering of index.ofKind('peering')) {
    const [first, second] = peering.vpcs;
    const one = ctx.vpcs.get(first);
    const two = ctx.vpcs.get(second);
    if (!one || !two || one === two) continue; // trace blocks a peering of a VPC with itself or a missing one
    // The router earlier in the file creates the link, so routers can be set up in file order.
    const [a, b] = pos(one.id) < pos(two.id) ? [one, two] : [two, one];
    const dev = `x${pos(peering.id)}`;
    ctx.peerings.set(peering.id, { id: peering.id, vpcs: [a.id, b.id], link: link({ ns: a.ns, dev }, { ns: b.ns, dev }) } satisfies PeeringSite);
  }

  const clientV4 = ctx.publicV4;
  const clientV6 = new AddressPool(PUBLIC_V6_BLOCK, publicAvoid);
  for (const node of index.topology.nodes) {
    if (!isAddressableKind(node.kind) || index.nodeOfKind(node.parent, 'autoscaling-group')) continue;
    const resolved = addresses.get(node.id);
    if (node.kind === 'client' && node.parent === undefined) {
      const ns = `n${pos(node.id)}`;
      const ip = resolved?.ip ?? clientV4.take();
      const extra = resolved ? [] : [clientV6.take()];
      const site: HostSite = { id: node.id, nodeId: node.id, kind: node.kind, ns, ip, port: `c${pos(node.id)}`, link: link({ ns: INTERNET_NS, dev: `c${pos(node.id)}` }, { ns, dev: 'eth0' }) };
      if (extra.length > 0) site.extra = extra;
      ctx.hosts.set(node.id, site);
      continue;
    }
    const subnet = ctx.subnets.get(index.subnetOf(node.id)?.id ?? '');
    if (!resolved || !subnet || resolved.version !== subnet.block.version) continue;
    ctx.hosts.set(node.id, { id: node.id, nodeId: node.id, kind: node.kind, ns: `n${pos(node.id)}`, ip: resolved.ip, subnet, port: `p${pos(node.id)}` });
  }
  for (const [groupId, list] of instances) {
    list.forEach((instance, i) => {
      const subnet = ctx.subnets.get(instance.subnetId);
      if (!subnet) return;
      const n = i + 1;
      ctx.hosts.set(`${groupId}#${n}`, { id: `${groupId}#${n}`, nodeId: groupId, kind: 'server', ns: `n${pos(groupId)}i${n}`, ip: instance.ip, subnet, port: `p${pos(groupId)}i${n}` });
    });
  }
  for (const table of index.ofKind('route-table')) {
    for (const route of table.routes) {
      const target = index.node(route.target);
      if (target && KIND_TRAITS[target.kind].routeTarget === 'instance') ctx.forwarders.add(target.id);
    }
  }
  return ctx;
}

/** Whether an address is one the internet carries (not private, shared, loopback, link-local or unique-local). */
export function isGlobal(ip: string): boolean {
  const parsed = safeParseIp(ip);
  if (!parsed) return false;
  const kind = classifyBlock(makeBlock(parsed.version, parsed.value, parsed.version === 4 ? 32 : 128)).kind;
  return kind === 'public' || kind === 'documentation';
}

function usedBySubnet(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>, instances: ReadonlyMap<string, readonly InstanceAddress[]>): Map<string, Set<AddressKey>> {
  const used = new Map<string, Set<AddressKey>>();
  const add = (subnetId: string | undefined, value: AddressKey): void => {
    if (subnetId === undefined) return;
    let set = used.get(subnetId);
    if (!set) used.set(subnetId, (set = new Set()));
    set.add(value);
  };
  for (const [id, address] of addresses) add(index.subnetOf(id)?.id, addressKey(address.version, address.value));
  for (const list of instances.values()) for (const instance of list) add(instance.subnetId, addressKey(instance.version, instance.value));
  return used;
}

/** Every CIDR, address and route destination of the design: lab addresses stay out of them. */
function designBlocks(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>): CidrBlock[] {
  const out: CidrBlock[] = [];
  const texts = [...index.ofKind('vpc').flatMap((vpc) => [vpc.cidr, ...(vpc.secondaryCidrs ?? [])]), ...index.ofKind('subnet').map((subnet) => subnet.cidr)];
  for (const text of texts) {
    const parsed = safeParseCidr(text);
    if (parsed.ok) out.push(parsed.block);
  }
  for (const address of addresses.values()) out.push(...hostBlock(address.ip));
  // Route destinations too: an address the lab hands out must only ever match a default route.
  for (const table of index.ofKind('route-table')) {
    for (const route of table.routes) {
      const parsed = safeParseCidr(route.destination);
      if (parsed.ok && parsed.block.prefix > 0) out.push(parsed.block);
    }
  }
  return out;
}

function hostBlock(ip: string): CidrBlock[] {
  const parsed = safeParseIp(ip);
  return parsed ? [makeBlock(parsed.version, parsed.value, parsed.version === 4 ? 32 : 128)] : [];
}

/** The lab's links use 169.254.0.0/16: a design that puts anything there cannot run as a kernel lab. */
function checkLinkSpace(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>, problems: KernelPlanProblem[]): void {
  for (const block of designBlocks(index, addresses)) {
    if (block.version === 4 && overlaps(block, LINK_BLOCK)) {
      problems.push({
        code: 'lab-netns-address-clash',
        message: `${formatCidr(block)} is in 169.254.0.0/16, which the kernel lab uses for its own links: move it elsewhere to run the design in network namespaces`,
        nodeIds: [],
      });
      return;
    }
  }
}
