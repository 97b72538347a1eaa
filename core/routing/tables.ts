import type { IpAddress } from '../cidr/address.js';
import { formatCidr, safeParseCidr, type CidrBlock } from '../cidr/block.js';
import type { TopologyIndex } from '../model/queries.js';
import type { RouteTableNode, SubnetNode, VpcNode } from '../model/types.js';
import { routeTableAssociations, type RouteTableAssociations } from './associations.js';

/** One route as the router sees it: a parsed destination and where it sends traffic. */
export interface EffectiveRoute {
  /** The destination as written in the file (canonical CIDR for an implicit local route). */
  destination: string;
  block: CidrBlock;
  /** A node id (gateway, NAT, peering), `local` or `blackhole`. */
  target: string;
  /** True for the VPC's `local` route, which every table has without writing it (as in AWS). */
  implicit: boolean;
  /** Position in the table's `routes` array (for JSON paths); absent for implicit routes. */
  index?: number;
}

/** How a subnet got its table: an explicit association, the VPC's main table, or none. */
export type Association = 'explicit' | 'main' | 'none';

/** The table a subnet really uses, with the implicit local routes added. */
export interface EffectiveRouteTable {
  subnetId: string;
  /** The subnet's VPC (absent when the subnet sits in no VPC, which the validator reports). */
  vpcId?: string;
  /** The route table node; absent when `association` is `none`. */
  table?: RouteTableNode;
  association: Association;
  /** Implicit local routes first, then the file's routes whose destination parses, in file order. */
  routes: EffectiveRoute[];
}

/** The parsed CIDR blocks of a VPC: primary first, then secondaries; unparsable ones are skipped. */
export function vpcBlocks(vpc: VpcNode): CidrBlock[] {
  const out: CidrBlock[] = [];
  for (const text of [vpc.cidr, ...(vpc.secondaryCidrs ?? [])]) {
    const parsed = safeParseCidr(text);
    if (parsed.ok) out.push(parsed.block);
  }
  return out;
}

/** Whether a destination is the default route of its version: `0.0.0.0/0` or `::/0`. */
export function isDefaultRoute(destination: { prefix: number }): boolean {
  return destination.prefix === 0;
}

/** Whether `target` is an internet gateway attached to the VPC. */
export function isInternetGatewayOf(index: TopologyIndex, target: string, vpcId: string | undefined): boolean {
  const gateway = index.nodeOfKind(target, 'internet-gateway');
  return gateway !== undefined && vpcId !== undefined && gateway.parent === vpcId;
}

/**
 * Whether a route makes the subnets that use its table public: the default route to an
 * internet gateway of the table's VPC. The one definition for routing and validation;
 * `public` is derived, never stored. With `family`, only the default route of that IP
 * version counts (a subnet's block has one version: `::/0` to the gateway does not give an
 * IPv4 subnet a way out, as in AWS, where a dual-stack table may send IPv6 to the internet
 * gateway and IPv4 to a NAT gateway).
 */
export function makesSubnetsPublic(index: TopologyIndex, destination: { prefix: number; version?: 4 | 6 }, target: string, vpcId: string | undefined, family?: 4 | 6): boolean {
  if (family !== undefined && destination.version !== undefined && destination.version !== family) return false;
  return isDefaultRoute(destination) && isInternetGatewayOf(index, target, vpcId);
}

/**
 * The route that carries traffic to `destination`: among the routes whose block contains
 * it (same IP version), the one with the longest prefix. On a tie the implicit local
 * route wins (AWS refuses a route that competes with it), then the first in file order.
 * Linear in the number of routes, which is small per table.
 */
export function longestPrefixMatch<R extends { block: CidrBlock; implicit?: boolean }>(
  routes: readonly R[],
  destination: IpAddress,
): R | undefined {
  let best: R | undefined;
  for (const route of routes) {
    const block = route.block;
    if (block.version !== destination.version || destination.value < block.first || destination.value > block.last) continue;
    if (!best || block.prefix > best.block.prefix || (block.prefix === best.block.prefix && route.implicit === true && best.implicit !== true)) {
      best = route;
    }
  }
  return best;
}

/**
 * Effective route tables of every subnet of a topology, built once in O(nodes + routes).
 * Explicit associations win; a subnet with none uses its VPC's main table, as in AWS.
 * When a subnet is associated with several tables or a VPC has several main tables (both
 * are diagnostics), the first in file order is used, so the answer is deterministic.
 */
export class RouteTables {
  /** Associations shared with the validator: entries naming another VPC's subnet are ignored. */
  readonly associations: RouteTableAssociations;
  private readonly vpcBlockCache = new Map<string, CidrBlock[]>();
  private readonly fileRoutes = new Map<string, EffectiveRoute[]>();
  private readonly effective = new Map<string, EffectiveRouteTable>();
  private readonly publicSubnets = new Map<string, boolean>();
  private readonly tableRoutes = new Map<string, EffectiveRoute[]>();

  /** `associations`: `routeTableAssociations(index)`, when the caller has it already. */
  constructor(
    readonly index: TopologyIndex,
    associations?: RouteTableAssociations,
  ) {
    this.associations = associations ?? routeTableAssociations(index);
  }

  /** The VPC's main route table, if it has one. */
  mainTable(vpcId: string): RouteTableNode | undefined {
    return this.associations.mainByVpc.get(vpcId)?.[0];
  }

  /** The table explicitly associated with a subnet, if any. */
  explicitTable(subnetId: string): RouteTableNode | undefined {
    const position = this.index.indexOf(subnetId);
    return position < 0 ? undefined : this.associations.explicitAt[position];
  }

  /** Parsed blocks of a VPC (primary and secondary CIDRs), cached. */
  blocksOf(vpc: VpcNode): CidrBlock[] {
    let blocks = this.vpcBlockCache.get(vpc.id);
    if (!blocks) {
      blocks = vpcBlocks(vpc);
      this.vpcBlockCache.set(vpc.id, blocks);
    }
    return blocks;
  }

  /** A table's own routes with parsed destinations; routes whose CIDR does not parse are left out (the validator reports them). */
  routesOf(table: RouteTableNode): EffectiveRoute[] {
    let routes = this.fileRoutes.get(table.id);
    if (!routes) {
      routes = [];
      table.routes.forEach((route, i) => {
        const parsed = safeParseCidr(route.destination);
        if (parsed.ok) routes?.push({ destination: route.destination, block: parsed.block, target: route.target, implicit: false, index: i });
      });
      this.fileRoutes.set(table.id, routes);
    }
    return routes;
  }

  /**
   * A table's routes as a subnet of `vpc` uses them: the VPC's implicit local routes, then
   * the table's own. The same for every subnet of the VPC that uses the table (cached).
   */
  private routesIn(table: RouteTableNode, vpc: VpcNode | undefined): EffectiveRoute[] {
    const key = `${table.id}\u0000${vpc?.id ?? ''}`;
    let routes = this.tableRoutes.get(key);
    if (routes) return routes;
    routes = [];
    const own = this.routesOf(table);
    if (vpc) {
      for (const block of this.blocksOf(vpc)) {
        // A file may spell out the local route itself; do not list it twice.
        const written = own.some((r) => r.target === 'local' && r.block.version === block.version && r.block.first === block.first && r.block.prefix === block.prefix);
        if (!written) routes.push({ destination: formatCidr(block), block, target: 'local', implicit: true });
      }
    }
    routes.push(...own);
    this.tableRoutes.set(key, routes);
    return routes;
  }

  /** The effective table of a subnet (cached). `undefined` when the id is not a subnet. */
  forSubnet(subnetId: string): EffectiveRouteTable | undefined {
    const cached = this.effective.get(subnetId);
    if (cached) return cached;
    const subnet: SubnetNode | undefined = this.index.nodeOfKind(subnetId, 'subnet');
    if (!subnet) return undefined;
    const vpc = this.index.vpcOf(subnetId);
    let table = this.explicitTable(subnetId);
    let association: Association = table ? 'explicit' : 'none';
    if (!table && vpc) {
      table = this.mainTable(vpc.id);
      if (table) association = 'main';
    }
    const routes = table ? this.routesIn(table, vpc) : [];
    const result: EffectiveRouteTable = {
      subnetId,
      association,
      routes,
      ...(vpc ? { vpcId: vpc.id } : {}),
      ...(table ? { table } : {}),
    };
    this.effective.set(subnetId, result);
    return result;
  }

  /** Whether a subnet is public: its effective table has a route that `makesSubnetsPublic` (cached). */
  isPublic(subnetId: string): boolean {
    const cached = this.publicSubnets.get(subnetId);
    if (cached !== undefined) return cached;
    const effective = this.forSubnet(subnetId);
    const subnet = this.index.nodeOfKind(subnetId, 'subnet');
    const block = subnet ? safeParseCidr(subnet.cidr) : undefined;
    const family = block?.ok ? block.block.version : undefined;
    const result = effective?.table !== undefined && effective.routes.some((route) => makesSubnetsPublic(this.index, route.block, route.target, effective.vpcId, family));
    this.publicSubnets.set(subnetId, result);
    return result;
  }

  /** Whether `target` is an internet gateway attached to the VPC. */
  isGatewayOf(target: string, vpcId: string): boolean {
    return isInternetGatewayOf(this.index, target, vpcId);
  }
}
