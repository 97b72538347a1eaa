import type { RouteRecord, RouteTarget } from '../inventory.js';
import type { AwsReadState } from './common.js';
import { eachItem, firstTime, tagRecord } from './common.js';
import { RouteTableShape, type RouteShape } from './shapes.js';
import type { z } from 'zod';

type Route = z.output<typeof RouteShape>;

/** Gateway id prefixes AWS uses for targets the format has no kind for. */
const UNMODELLED_GATEWAYS: Record<string, string> = { vgw: 'VpnGateway', vpce: 'VpcEndpoint', lgw: 'LocalGateway', cagw: 'CarrierGateway', eigw: 'EgressOnlyInternetGateway' };

/** Where a route sends traffic, as the format can say it (or why it cannot). */
export function awsRouteTarget(route: Route): RouteTarget {
  if (route.State === 'blackhole') return { kind: 'blackhole' };
  if (route.GatewayId === 'local') return { kind: 'local' };
  if (route.GatewayId) {
    const prefix = route.GatewayId.split('-')[0] ?? '';
    if (prefix === 'igw') return { kind: 'node', id: route.GatewayId };
    return { kind: 'unmodelled', type: UNMODELLED_GATEWAYS[prefix] ?? 'Gateway', id: route.GatewayId };
  }
  if (route.NatGatewayId) return { kind: 'node', id: route.NatGatewayId };
  if (route.VpcPeeringConnectionId) return { kind: 'node', id: route.VpcPeeringConnectionId };
  if (route.InstanceId) return { kind: 'node', id: route.InstanceId };
  if (route.TransitGatewayId) return { kind: 'unmodelled', type: 'TransitGateway', id: route.TransitGatewayId };
  if (route.EgressOnlyInternetGatewayId) return { kind: 'unmodelled', type: 'EgressOnlyInternetGateway', id: route.EgressOnlyInternetGatewayId };
  if (route.CarrierGatewayId) return { kind: 'unmodelled', type: 'CarrierGateway', id: route.CarrierGatewayId };
  if (route.LocalGatewayId) return { kind: 'unmodelled', type: 'LocalGateway', id: route.LocalGatewayId };
  if (route.CoreNetworkArn) return { kind: 'unmodelled', type: 'CoreNetwork', id: route.CoreNetworkArn };
  if (route.NetworkInterfaceId) return { kind: 'unmodelled', type: 'NetworkInterface', id: route.NetworkInterfaceId };
  return { kind: 'unmodelled', type: 'Route', id: 'no target' };
}

/**
 * `RouteTables`: routes and associations. The main association names no subnet: a subnet
 * with no explicit association uses the main table, which the design says with `main`.
 */
export function readRouteTables(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'RouteTables', file, RouteTableShape, (table) => {
    if (!firstTime(state, 'rtb', table.RouteTableId)) return;
    const routes: RouteRecord[] = [];
    for (const route of table.Routes) {
      const destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
      if (destination === undefined) {
        const what = route.DestinationPrefixListId ? `prefix list ${route.DestinationPrefixListId}` : 'no destination';
        state.inventory.ignored.push({ type: 'Route', id: `${table.RouteTableId} ${what}`, reason: route.DestinationPrefixListId ? 'a route to a prefix list: the format has no prefix lists' : 'a route with no destination block' });
        continue;
      }
      routes.push({ destination, target: awsRouteTarget(route) });
    }
    state.inventory.routeTables.push({
      id: table.RouteTableId,
      vpcId: table.VpcId,
      main: table.Associations.some((a) => a.Main === true),
      subnets: table.Associations.filter((a) => a.Main !== true && a.SubnetId !== undefined).map((a) => a.SubnetId as string),
      routes,
      tags: tagRecord(table.Tags),
    });
    for (const edge of table.Associations.filter((a) => a.GatewayId !== undefined)) {
      state.inventory.ignored.push({ type: 'RouteTableAssociation', id: `${table.RouteTableId} ${edge.GatewayId}`, reason: 'a gateway route table (edge association): the format has no ingress routing' });
    }
  });
}
