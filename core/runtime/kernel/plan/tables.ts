import { contains, formatCidr } from '../../../cidr/block.js';
import { KIND_TRAITS } from '../../../model/kinds/index.js';
import type { TopologyIndex } from '../../../model/queries.js';
import type { EffectiveRoute, RouteTables } from '../../../routing/tables.js';
import { LINK_V6 } from './addressing.js';
import type { PlanContext, VpcSite } from './context.js';
import type { KernelRoute } from './types.js';

/** Kernel table of traffic entering a router from outside its VPC (internet gateway, peering): local delivery only. */
export const INGRESS_TABLE = 10;
/** Kernel tables of the design's route tables are numbered from here, in file order per VPC. */
export const FIRST_ROUTE_TABLE = 100;
/** Metric of the catch-all blackhole that ends every table, so a lookup never falls through to `main`. */
export const CATCH_ALL_METRIC = 4294967295;
/** Metric of every route that stands for a design route: explicit, so a fault can replace or delete exactly that route. */
export const DESIGN_METRIC = 10;

/**
 * The kernel routes of one design route table, as trace reads it (core/routing/trace.ts):
 * - the winner among routes with the same destination is the first in the effective list
 *   (implicit local routes come first, as longestPrefixMatch prefers them on a tie);
 * - `local` delivers to the subnets of the VPC inside its block (each a connected route on
 *   its bridge), unless a more specific route of the table covers the subnet; other
 *   addresses of the block are dropped ("no subnet contains it");
 * - `blackhole` drops; an internet gateway, a peering, a NAT gateway or an instance sends
 *   to that next hop; a target trace refuses (another VPC's gateway, a NAT gateway in a
 *   private subnet, a kind that does not forward, a missing node) drops, as trace blocks;
 * - a catch-all blackhole per family ends the table.
 */
export function kernelTableRoutes(
  routes: readonly EffectiveRoute[],
  table: { id: string; number: number },
  vpc: VpcSite,
  ctx: PlanContext,
  routing: { index: TopologyIndex; tables: RouteTables },
): KernelRoute[] {
  const winners: EffectiveRoute[] = [];
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.block.version}/${route.block.first}/${route.block.prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    winners.push(route);
  }
  const out: KernelRoute[] = [];
  for (const route of winners) {
    const design = { table: table.id, destination: route.destination, target: route.target };
    const family = route.block.version;
    const destination = formatCidr(route.block);
    const drop: KernelRoute = { family, table: table.number, destination, type: 'blackhole', metric: DESIGN_METRIC, design };
    if (route.target === 'local') {
      out.push(drop);
      for (const subnet of ctx.subnets.values()) {
        if (subnet.vpcId !== vpc.id || subnet.block.version !== family || !contains(route.block, subnet.block)) continue;
        if (winners.some((w) => w !== route && w.block.version === family && w.block.prefix > route.block.prefix && contains(w.block, subnet.block))) continue;
        out.push({ family, table: table.number, destination: formatCidr(subnet.block), type: 'unicast', dev: subnet.bridge, metric: DESIGN_METRIC, design });
      }
      continue;
    }
    const hop = nextHop(route, family, vpc, ctx, routing);
    out.push(hop ? { family, table: table.number, destination, type: 'unicast', via: hop.via, dev: hop.dev, metric: DESIGN_METRIC, design } : drop);
  }
  out.push(...catchAll(table.number));
  return out;
}

/** The routes of the ingress table: every subnet of the VPC on its bridge, nothing else. */
export function ingressRoutes(vpc: VpcSite, ctx: PlanContext): KernelRoute[] {
  const out: KernelRoute[] = [];
  for (const subnet of ctx.subnets.values()) {
    if (subnet.vpcId !== vpc.id) continue;
    out.push({ family: subnet.block.version, table: INGRESS_TABLE, destination: formatCidr(subnet.block), type: 'unicast', dev: subnet.bridge });
  }
  out.push(...catchAll(INGRESS_TABLE));
  return out;
}

function catchAll(table: number): KernelRoute[] {
  return [
    { family: 4, table, destination: '0.0.0.0/0', type: 'blackhole', metric: CATCH_ALL_METRIC },
    { family: 6, table, destination: '::/0', type: 'blackhole', metric: CATCH_ALL_METRIC },
  ];
}

/** Where a route to a gateway, peering, NAT gateway or instance sends traffic; `undefined` when trace refuses the target. */
function nextHop(
  route: EffectiveRoute,
  family: 4 | 6,
  vpc: VpcSite,
  ctx: PlanContext,
  routing: { index: TopologyIndex; tables: RouteTables },
): { via: string; dev: string } | undefined {
  if (route.target === 'blackhole') return undefined;
  const target = routing.index.node(route.target);
  if (!target) return undefined;
  switch (KIND_TRAITS[target.kind].routeTarget) {
    case 'internet-gateway': {
      const link = vpc.gateway?.link;
      if (target.parent !== vpc.id || !link) return undefined;
      return { via: family === 4 ? link.b.v4 : LINK_V6.b, dev: link.a.dev };
    }
    case 'peering': {
      const site = ctx.peerings.get(target.id);
      if (!site || !site.vpcs.includes(vpc.id)) return undefined;
      const mine = site.vpcs[0] === vpc.id ? site.link.a : site.link.b;
      const far = site.vpcs[0] === vpc.id ? site.link.b : site.link.a;
      return { via: family === 4 ? far.v4 : far === site.link.a ? LINK_V6.a : LINK_V6.b, dev: mine.dev };
    }
    case 'nat-gateway':
    case 'instance': {
      const host = ctx.hosts.get(target.id);
      if (!host?.subnet || host.subnet.vpcId !== vpc.id || !sameVersion(host.ip, family)) return undefined;
      // A NAT gateway only forwards from a public subnet (trace blocks it otherwise).
      if (KIND_TRAITS[target.kind].routeTarget === 'nat-gateway' && !routing.tables.isPublic(host.subnet.id)) return undefined;
      return { via: host.ip, dev: host.subnet.bridge };
    }
    default:
      return undefined;
  }
}

function sameVersion(ip: string, family: 4 | 6): boolean {
  return (ip.includes(':') ? 6 : 4) === family;
}
