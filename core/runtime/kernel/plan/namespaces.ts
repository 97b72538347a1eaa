import { formatCidr } from '../../../cidr/block.js';
import { LINUX_EPHEMERAL } from '../../../model/kinds/filters.js';
import { KIND_TRAITS, type NodeKind } from '../../../model/kinds/index.js';
import type { TopologyIndex } from '../../../model/queries.js';
import type { FilterSet } from '../../../routing/filters/index.js';
import type { RouteTables } from '../../../routing/tables.js';
import { LINK_V6, familyOf, hostCidr, withPrefix } from './addressing.js';
import type { HostSite, PlanContext, VpcSite } from './context.js';
import { networkAclTable, securityGroupTable, type GroupMembers } from './filters.js';
import { gatewayRuleset, natGatewayRuleset, type GatewayMapping } from './nft.js';
import { INTERNET_NS, isGlobal } from './sites.js';
import { FIRST_ROUTE_TABLE, INGRESS_TABLE, ingressRoutes, kernelTableRoutes } from './tables.js';
import type { KernelRoute, KernelRule, NamespacePlan, NodeAddressing } from './types.js';

/**
 * The ephemeral port range a namespace uses for the connections it opens: the one trace
 * assumes for the node's kind (its descriptor's `ephemeralPorts`: 1024-65535 for balancers,
 * proxies, caches and NAT gateways as AWS documents, Linux's 32768-60999 for servers and
 * clients), as `ip_local_port_range` takes it.
 */
export function ephemeralPorts(kind: NodeKind): string {
  const range = KIND_TRAITS[kind].ephemeralPorts || LINUX_EPHEMERAL;
  return `${range.from} ${range.to}`;
}

/** Sysctls every namespace gets first: no reverse-path filter, no duplicate detection or router adverts. */
const BASE_SYSCTLS: [string, string][] = [
  ['net/ipv4/conf/all/rp_filter', '0'],
  ['net/ipv4/conf/default/rp_filter', '0'],
  ['net/ipv6/conf/all/accept_dad', '0'],
  ['net/ipv6/conf/default/accept_dad', '0'],
  ['net/ipv6/conf/default/dad_transmits', '0'],
  ['net/ipv6/conf/all/accept_ra', '0'],
  ['net/ipv6/conf/default/accept_ra', '0'],
  // Linux has no switch to stop a router sending IPv6 redirects, and a host that obeys one then
  // talks to its subnet neighbours directly, past the VPC router trace models, after a neighbour
  // resolution of its own in the middle of a flow (the differential test's lb6 -> web6 timed out so).
  ['net/ipv6/conf/all/accept_redirects', '0'],
  ['net/ipv6/conf/default/accept_redirects', '0'],
  ['net/ipv4/conf/all/accept_redirects', '0'],
  ['net/ipv4/conf/default/accept_redirects', '0'],
  // A link fault takes interfaces down and up: IPv6 addresses must survive it, as IPv4 ones do.
  ['net/ipv6/conf/all/keep_addr_on_down', '1'],
  ['net/ipv6/conf/default/keep_addr_on_down', '1'],
];

/** Forwarding on, no ICMP redirects (a router that sends traffic back out of the interface it came in on must not advertise a shortcut). */
const FORWARDING_SYSCTLS: [string, string][] = [
  ['net/ipv4/ip_forward', '1'],
  ['net/ipv6/conf/all/forwarding', '1'],
  ['net/ipv4/conf/all/send_redirects', '0'],
  ['net/ipv4/conf/default/send_redirects', '0'],
];

/** Settings of an interface another namespace created into this one (it missed this namespace's defaults). */
function interfaceSysctls(dev: string): [string, string][] {
  return [
    [`net/ipv4/conf/${dev}/rp_filter`, '0'],
    [`net/ipv6/conf/${dev}/accept_dad`, '0'],
    [`net/ipv6/conf/${dev}/dad_transmits`, '0'],
    [`net/ipv6/conf/${dev}/accept_ra`, '0'],
    [`net/ipv6/conf/${dev}/accept_redirects`, '0'],
    [`net/ipv4/conf/${dev}/accept_redirects`, '0'],
    [`net/ipv6/conf/${dev}/keep_addr_on_down`, '1'],
  ];
}

/** The design's security groups and network ACLs, for the namespaces that enforce them; absent when the design has none. */
export interface Filtering {
  index: TopologyIndex;
  filters: FilterSet;
  members: GroupMembers;
}

/** A VPC's router: a bridge per subnet, the design's route tables as policy routing, the internet gateway's NAT. */
export function routerNamespace(
  vpc: VpcSite,
  ctx: PlanContext,
  routing: { index: TopologyIndex; tables: RouteTables },
  addressing: ReadonlyMap<string, NodeAddressing>,
  filtering?: Filtering,
): NamespacePlan {
  const plan: NamespacePlan = { name: vpc.ns, role: 'router', nodeId: vpc.id, sysctls: [...BASE_SYSCTLS, ...FORWARDING_SYSCTLS], bridges: [], veths: [], up: ['lo'], addresses: [], routes: [], rules: [], nftables: {} };
  const subnets = [...ctx.subnets.values()].filter((s) => s.vpcId === vpc.id);
  // The resolver at base + 2 is the router's own address: hosts send everything to the router, which delivers it locally before any design table.
  if (vpc.resolver) plan.addresses.push({ dev: 'lo', cidr: `${vpc.resolver}/32` });
  for (const subnet of subnets) {
    plan.bridges.push(subnet.bridge);
    plan.up.push(subnet.bridge);
    plan.addresses.push({ dev: subnet.bridge, cidr: withPrefix(subnet.gateway, subnet.block.prefix) });
  }
  for (const host of ctx.hosts.values()) {
    if (host.subnet?.vpcId !== vpc.id) continue;
    plan.veths.push({ a: { ns: vpc.ns, dev: host.port }, b: { ns: host.ns, dev: 'eth0' }, master: host.subnet.bridge });
    plan.up.push(host.port);
  }
  let priority = 1000;
  const ingress = (dev: string): void => {
    for (const family of [4, 6] as const) plan.rules.push({ family, priority: priority++, iif: dev, table: INGRESS_TABLE });
  };
  if (vpc.gateway) {
    const { link } = vpc.gateway;
    plan.veths.push({ a: { ns: vpc.ns, dev: link.a.dev }, b: { ns: link.b.ns, dev: link.b.dev } });
    plan.up.push(link.a.dev);
    plan.addresses.push({ dev: link.a.dev, cidr: withPrefix(link.a.v4, link.prefix) }, { dev: link.a.dev, cidr: `${LINK_V6.a}/64` });
    ingress(link.a.dev);
  }
  for (const peering of ctx.peerings.values()) {
    if (!peering.vpcs.includes(vpc.id)) continue;
    const first = peering.vpcs[0] === vpc.id;
    const mine = first ? peering.link.a : peering.link.b;
    if (first) plan.veths.push({ a: { ns: mine.ns, dev: mine.dev }, b: { ns: peering.link.b.ns, dev: peering.link.b.dev } });
    else plan.sysctls.push(...interfaceSysctls(mine.dev));
    plan.up.push(mine.dev);
    plan.addresses.push({ dev: mine.dev, cidr: withPrefix(mine.v4, peering.link.prefix) }, { dev: mine.dev, cidr: `${first ? LINK_V6.a : LINK_V6.b}/64` });
    ingress(mine.dev);
  }
  plan.routes.push(...ingressRoutes(vpc, ctx));
  const numbers = new Map(routing.index.ofKind('route-table').filter((t) => t.parent === vpc.id).map((t, k) => [t.id, FIRST_ROUTE_TABLE + k]));
  const done = new Set<number>();
  // AWS gives every VPC a main table with its local routes even where the design draws none:
  // a subnet without a table still reaches its own VPC (as trace says, core/routing/walk.ts).
  const implicitMain = FIRST_ROUTE_TABLE + numbers.size;
  const vpcNode = routing.index.nodeOfKind(vpc.id, 'vpc');
  for (const subnet of subnets) {
    const effective = routing.tables.forSubnet(subnet.id);
    const drawn = effective?.table ? numbers.get(effective.table.id) : undefined;
    const number = drawn ?? (!effective?.table && vpcNode ? implicitMain : undefined);
    const rules: KernelRule[] = [4, 6].map((family) => ({ family: family as 4 | 6, priority: priority++, iif: subnet.bridge, ...(number === undefined ? { blackhole: true } : { table: number }) }));
    plan.rules.push(...rules);
    if (number === undefined || done.has(number)) continue;
    done.add(number);
    if (effective?.table) plan.routes.push(...kernelTableRoutes(effective.routes, { id: effective.table.id, number }, vpc, ctx, routing));
    else if (vpcNode) {
      const local = routing.tables.blocksOf(vpcNode).map((block) => ({ destination: formatCidr(block), block, target: 'local', implicit: true }) as const);
      plan.routes.push(...kernelTableRoutes(local, { id: `${vpc.id} (implicit main table)`, number }, vpc, ctx, routing));
    }
  }
  if (vpc.gateway) plan.nftables['topolab-igw'] = gatewayNft(vpc, ctx, addressing);
  const acl = filtering ? networkAclTable(subnets, filtering.index, filtering.filters) : undefined;
  if (acl) plan.nftables['topolab-acl'] = acl;
  return plan;
}

function gatewayNft(vpc: VpcSite, ctx: PlanContext, addressing: ReadonlyMap<string, NodeAddressing>): string {
  const mappings: GatewayMapping[] = [];
  const v6 = { inbound: [] as string[], outbound: [] as string[] };
  for (const host of ctx.hosts.values()) {
    const address = addressing.get(host.id);
    if (host.subnet?.vpcId !== vpc.id || address?.public === undefined) continue;
    if (familyOf(host.ip) === 4) mappings.push({ private: host.ip, public: address.public, inbound: address.inbound });
    else {
      v6.outbound.push(host.ip);
      if (address.inbound) v6.inbound.push(host.ip);
    }
  }
  return gatewayRuleset(vpc.gateway?.link.a.dev ?? 'igw', mappings, v6);
}

/** The internet: a router between the VPCs' gateways and the internet clients, with nothing beyond (unreachable). */
export function internetNamespace(ctx: PlanContext, addressing: ReadonlyMap<string, NodeAddressing>): NamespacePlan {
  const plan: NamespacePlan = { name: INTERNET_NS, role: 'internet', sysctls: [...BASE_SYSCTLS, ...FORWARDING_SYSCTLS], bridges: [], veths: [], up: ['lo'], addresses: [], routes: [], rules: [], nftables: {} };
  for (const vpc of ctx.vpcs.values()) {
    if (!vpc.gateway) continue;
    const { link } = vpc.gateway;
    plan.sysctls.push(...interfaceSysctls(link.b.dev));
    plan.up.push(link.b.dev);
    plan.addresses.push({ dev: link.b.dev, cidr: withPrefix(link.b.v4, link.prefix) }, { dev: link.b.dev, cidr: `${LINK_V6.b}/64` });
    for (const host of ctx.hosts.values()) {
      const address = addressing.get(host.id);
      if (host.subnet?.vpcId !== vpc.id || address?.public === undefined || familyOf(address.public) !== 4) continue;
      plan.routes.push({ family: 4, destination: hostCidr(address.public), type: 'unicast', via: link.a.v4, dev: link.b.dev });
    }
    for (const block of vpc.blocks) {
      if (block.version === 6 && isGlobal(formatCidr(block).split('/')[0] as string)) {
        plan.routes.push({ family: 6, destination: formatCidr(block), type: 'unicast', via: LINK_V6.a, dev: link.b.dev });
      }
    }
  }
  for (const host of ctx.hosts.values()) {
    if (!host.link) continue;
    plan.veths.push({ a: { ns: INTERNET_NS, dev: host.link.a.dev }, b: { ns: host.ns, dev: 'eth0' } });
    plan.up.push(host.link.a.dev);
    plan.addresses.push({ dev: host.link.a.dev, cidr: withPrefix(host.link.a.v4, host.link.prefix) }, { dev: host.link.a.dev, cidr: `${LINK_V6.a}/64` });
    for (const ip of [host.ip, ...(host.extra ?? [])]) plan.routes.push({ family: familyOf(ip), destination: hostCidr(ip), type: 'unicast', dev: host.link.a.dev, scopeLink: true });
  }
  plan.routes.push({ family: 4, destination: '0.0.0.0/0', type: 'unreachable' }, { family: 6, destination: '::/0', type: 'unreachable' });
  return plan;
}

/** A node, auto-scaling instance or internet client: one interface, its addresses, a default route to its router. */
export function hostNamespace(host: HostSite, ctx: PlanContext, filtering?: Filtering): NamespacePlan {
  const forwards = host.kind === 'nat-gateway' || ctx.forwarders.has(host.nodeId);
  const plan: NamespacePlan = {
    name: host.ns,
    role: host.link ? 'client' : 'node',
    nodeId: host.id,
    sysctls: [
      ...BASE_SYSCTLS,
      ...interfaceSysctls('eth0'),
      ['net/ipv4/ip_local_port_range', ephemeralPorts(host.kind)],
      ...(forwards ? [...FORWARDING_SYSCTLS, ['net/ipv4/conf/eth0/send_redirects', '0'] as [string, string]] : []),
    ],
    bridges: [],
    veths: [],
    up: ['lo', 'eth0'],
    addresses: [],
    routes: [],
    rules: [],
    nftables: {},
  };
  if (host.link) {
    const gateway = host.link.a.v4;
    for (const ip of [host.ip, ...(host.extra ?? [])]) plan.addresses.push({ dev: 'eth0', cidr: hostCidr(ip) });
    plan.routes.push({ family: 4, destination: hostCidr(gateway), type: 'unicast', dev: 'eth0', scopeLink: true }, { family: 4, destination: '0.0.0.0/0', type: 'unicast', via: gateway, dev: 'eth0' });
    if ([host.ip, ...(host.extra ?? [])].some((ip) => familyOf(ip) === 6)) plan.routes.push({ family: 6, destination: '::/0', type: 'unicast', via: LINK_V6.a, dev: 'eth0' });
    return plan;
  }
  const subnet = host.subnet;
  if (!subnet) return plan;
  const family = subnet.block.version;
  plan.addresses.push({ dev: 'eth0', cidr: withPrefix(host.ip, subnet.block.prefix), noPrefixRoute: true });
  const routes: KernelRoute[] = [
    { family, destination: hostCidr(subnet.gateway), type: 'unicast', dev: 'eth0', scopeLink: true },
    { family, destination: family === 4 ? '0.0.0.0/0' : '::/0', type: 'unicast', via: subnet.gateway, dev: 'eth0' },
  ];
  plan.routes.push(...routes);
  if (host.kind === 'nat-gateway') plan.nftables['topolab-nat'] = natGatewayRuleset('eth0', host.ip);
  const resolver = ctx.vpcs.get(subnet.vpcId)?.resolver;
  const groups = filtering ? securityGroupTable(host, filtering.index, filtering.filters, filtering.members, forwards, resolver) : undefined;
  if (groups) plan.nftables['topolab-sg'] = groups;
  return plan;
}
