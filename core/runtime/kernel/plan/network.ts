import { groupInstanceAddresses, resolveAddresses } from '../../../model/addresses.js';
import { TopologyIndex } from '../../../model/queries.js';
import type { Topology } from '../../../model/types.js';
import { FilterSet } from '../../../routing/filters/index.js';
import { isInternalUnlessFacing } from '../../../routing/public-address.js';
import { RouteTables, isInternetGatewayOf } from '../../../routing/tables.js';
import type { Diagnostic } from '../../../validate/diagnostic.js';
import { familyOf } from './addressing.js';
import type { PlanContext } from './context.js';
import { groupMembers } from './filters.js';
import { hostNamespace, internetNamespace, routerNamespace, type Filtering } from './namespaces.js';
import { INTERNET_NS, isGlobal, placeDesign } from './sites.js';
import type { KernelNetworkPlan, KernelPlanProblem, KernelPlanResult, LinkEnd, NodeAddressing } from './types.js';

/**
 * Error diagnostics that say nothing about building the network: an edge to a node that
 * serves nothing, and filter mistakes, which the filter module (core/routing/filters)
 * resolves as trace does (an invalid rule or a refused group reference matches nothing, a
 * duplicate rule number goes in file order, the first ACL listing a subnet holds it), and
 * a drawn edge the design blocks (`connection-blocked`, which the loopback lab runs too:
 * the kernel then blocks it as trace says, which the differential test checks).
 */
const NETWORK_NEUTRAL_CODES = new Set(['connection-blocked', 'edge-invalid', 'sg-rule-invalid', 'sg-reference-invalid', 'sg-quota', 'nacl-rule-invalid', 'nacl-rule-duplicate', 'nacl-subnet-conflict', 'nacl-quota']);

/** Options of `planKernelNetwork`. */
export interface KernelPlanOptions {
  /** The design the route tables come from, when routes were dropped by a fault; default the design itself. */
  routing?: Topology;
  /** The validator's findings: an error about the network (not about edges) refuses the design. */
  diagnostics?: readonly Diagnostic[];
}

/**
 * The design as a kernel network: a namespace per VPC router, per node and auto-scaling
 * instance and per internet client, plus one for the internet; each subnet a bridge on
 * its router holding the router address; each design route table a kernel table chosen by
 * the subnet the traffic enters from (policy routing); internet gateways as 1:1 NAT to
 * public addresses from 198.18.0.0/15; NAT gateways as masquerade; peerings as links
 * between routers. Pure: the sandbox carries it out (../sandbox.ts).
 */
export function planKernelNetwork(topology: Topology, options: KernelPlanOptions = {}): KernelPlanResult {
  const problems: KernelPlanProblem[] = (options.diagnostics ?? [])
    .filter((d) => d.severity === 'error' && !NETWORK_NEUTRAL_CODES.has(d.code))
    .map((d) => ({ code: d.code, message: d.message, nodeIds: d.nodeIds }));
  const index = new TopologyIndex(topology);
  // With zones, each VPC's resolver answers at base + 2 (the lab's DNS, relayed from the router's namespace).
  const dns = index.ofKind('dns-zone').length > 0;
  const addresses = resolveAddresses(index);
  const instances = groupInstanceAddresses(index, addresses);
  const ctx = placeDesign(index, addresses, instances, problems);
  if (problems.length > 0) return { ok: false, problems };

  const routingIndex = options.routing ? new TopologyIndex(options.routing) : index;
  const routing = { index: routingIndex, tables: new RouteTables(routingIndex) };
  const addressing = assignPublicAddresses(ctx, index, new RouteTables(index));
  const filters = new FilterSet(index, addresses, () => instances);
  const filtering: Filtering | undefined = filters.isEmpty ? undefined : { index, filters, members: groupMembers(filters, ctx) };
  if (!dns) for (const vpc of ctx.vpcs.values()) delete vpc.resolver;
  const namespaces = [...ctx.vpcs.values()].map((vpc) => routerNamespace(vpc, ctx, routing, addressing, filtering));
  const needsInternet = [...ctx.vpcs.values()].some((v) => v.gateway) || [...ctx.hosts.values()].some((h) => h.link);
  if (needsInternet) namespaces.push(internetNamespace(ctx, addressing));
  for (const host of ctx.hosts.values()) namespaces.push(hostNamespace(host, ctx, filtering));

  const plan: KernelNetworkPlan = {
    namespaces,
    nodeNamespaces: Object.fromEntries([...ctx.hosts.values()].map((h) => [h.id, h.ns])),
    addressing: Object.fromEntries(addressing),
    links: linksOf(ctx),
    routers: Object.fromEntries([...ctx.vpcs.values()].map((v) => [v.id, v.ns])),
    resolvers: Object.fromEntries([...ctx.vpcs.values()].flatMap((v) => (v.resolver ? [[v.id, v.resolver]] : []))),
  };
  return { ok: true, plan };
}

/**
 * Which nodes the internet reaches, and at which address. A node gets a public address
 * when its subnet's route table sends anything to its VPC's internet gateway: IPv4 by 1:1
 * NAT from 198.18.0.0/15, a global IPv6 address as itself. The internet may open
 * connections only to nodes that accept them, as trace decides: not NAT gateways (replies
 * only) and not internal balancers, proxies or caches, which have no public address at all.
 */
function assignPublicAddresses(ctx: PlanContext, index: TopologyIndex, tables: RouteTables): Map<string, NodeAddressing> {
  const out = new Map<string, NodeAddressing>();
  for (const host of ctx.hosts.values()) {
    const entry: NodeAddressing = { private: host.ip, inbound: false };
    if (host.extra) entry.extra = [...host.extra];
    out.set(host.id, entry);
    if (host.link) {
      entry.inbound = true;
      continue;
    }
    const subnet = host.subnet;
    const vpc = subnet ? ctx.vpcs.get(subnet.vpcId) : undefined;
    if (!subnet || !vpc?.gateway) continue;
    const routes = tables.forSubnet(subnet.id)?.routes ?? [];
    // Only a route of the host's own IP version to the gateway gives it a public address (as
    // in AWS and in trace's "public": `::/0` to the gateway leaves an IPv4 host private).
    const family = familyOf(host.ip);
    if (!routes.some((r) => r.block.version === family && isInternetGatewayOf(index, r.target, vpc.id))) continue;
    const node = index.node(host.nodeId);
    const internal = node !== undefined && isInternalUnlessFacing(node);
    if (internal) continue;
    if (familyOf(host.ip) === 4) entry.public = ctx.publicV4.take();
    else if (isGlobal(host.ip)) entry.public = host.ip;
    entry.inbound = entry.public !== undefined && host.kind !== 'nat-gateway';
  }
  return out;
}

/** What link faults act on, by design node id. */
function linksOf(ctx: PlanContext): Record<string, LinkEnd[]> {
  const links: Record<string, LinkEnd[]> = {};
  for (const host of ctx.hosts.values()) {
    const side = host.link ? { ns: INTERNET_NS, dev: host.link.a.dev } : { ns: ctx.vpcs.get(host.subnet?.vpcId ?? '')?.ns ?? '', dev: host.port };
    links[host.id] = [side, { ns: host.ns, dev: 'eth0' }];
  }
  for (const subnet of ctx.subnets.values()) {
    const ns = ctx.vpcs.get(subnet.vpcId)?.ns;
    if (ns) links[subnet.id] = [{ ns, dev: subnet.bridge }];
  }
  for (const vpc of ctx.vpcs.values()) {
    if (!vpc.gateway) continue;
    const { link } = vpc.gateway;
    links[vpc.gateway.nodeId] = [{ ns: link.a.ns, dev: link.a.dev }, { ns: link.b.ns, dev: link.b.dev }];
  }
  for (const peering of ctx.peerings.values()) {
    links[peering.id] = [{ ns: peering.link.a.ns, dev: peering.link.a.dev }, { ns: peering.link.b.ns, dev: peering.link.b.dev }];
  }
  return links;
}
