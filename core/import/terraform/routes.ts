import { terraformNodeId } from '../ids.js';
import type { RouteRecord, RouteTarget } from '../inventory.js';
import { awsRouteTarget } from '../aws/routes.js';
import type { TfResource } from './document.js';
import { blocks, cidrAt, link, str, tagsOf, type TfReadState, type TfReader } from './common.js';

/** aws_route_table (inline routes), aws_route, aws_route_table_association, aws_main_route_table_association, aws_default_route_table. */

/** Route target attributes, and the AWS describe field each one is. */
const TARGETS: readonly (readonly [attribute: string, field: string])[] = [
  ['gateway_id', 'GatewayId'],
  ['nat_gateway_id', 'NatGatewayId'],
  ['vpc_peering_connection_id', 'VpcPeeringConnectionId'],
  ['instance_id', 'InstanceId'],
  ['transit_gateway_id', 'TransitGatewayId'],
  ['egress_only_gateway_id', 'EgressOnlyInternetGatewayId'],
  ['carrier_gateway_id', 'CarrierGatewayId'],
  ['local_gateway_id', 'LocalGatewayId'],
  ['core_network_arn', 'CoreNetworkArn'],
  ['vpc_endpoint_id', 'GatewayId'],
  ['network_interface_id', 'NetworkInterfaceId'],
];

/** Resource types a route may target, as the design's kinds hold them. */
const MODELLED = new Set(['aws_internet_gateway', 'aws_nat_gateway', 'aws_vpc_peering_connection', 'aws_instance']);

function routeTarget(state: TfReadState, r: TfResource, base: readonly (string | number)[], configBase: readonly (string | number)[]): RouteTarget {
  if (state.links.value(r, [...base, 'state']) === 'blackhole') return { kind: 'blackhole' };
  for (const [attribute, field] of TARGETS) {
    const [first] = state.links.linkedResources(r, [...base, attribute], [...configBase, attribute]);
    if (!first) continue;
    if (first.resource) return MODELLED.has(first.resource.type) ? { kind: 'node', id: first.id } : { kind: 'unmodelled', type: first.resource.type, id: first.id };
    // An id of a resource outside the document: classified by its prefix, as in describe output.
    return awsRouteTarget({ [field]: first.id } as Parameters<typeof awsRouteTarget>[0]);
  }
  return { kind: 'unmodelled', type: 'Route', id: 'no target known before apply' };
}

/** A route's destination: its IPv4 or IPv6 block (`key4`, `key6`); a prefix list or an unknown one is listed in `ignored`. */
function destination(state: TfReadState, r: TfResource, base: readonly (string | number)[], key4: string, key6: string, table: string): string | undefined {
  const known = cidrAt(state, r, [...base, key4], 4) ?? cidrAt(state, r, [...base, key6], 6);
  if (known !== undefined) return known;
  const list = state.links.value(r, [...base, 'destination_prefix_list_id']);
  const isList = typeof list === 'string' && list !== '';
  state.inventory.ignored.push({ type: 'aws_route', id: `${table} ${isList ? `prefix list ${list}` : 'an unknown destination'}`, reason: isList ? 'a route to a prefix list: the format has no prefix lists' : 'no destination known before apply' });
  return undefined;
}

function inlineRoutes(state: TfReadState, r: TfResource, tableId: string): RouteRecord[] {
  const out: RouteRecord[] = [];
  blocks(r, 'route').forEach((_block, i) => {
    const dest = destination(state, r, ['route', i], 'cidr_block', 'ipv6_cidr_block', tableId);
    if (dest !== undefined) out.push({ destination: dest, target: routeTarget(state, r, ['route', i], ['route', i]) });
  });
  return out;
}

export const readRouteTable: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const vpcId = link(state, r, ['vpc_id']);
  if (vpcId === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: 'its VPC is unknown' });
    return;
  }
  state.inventory.routeTables.push({ id, vpcId, main: false, subnets: [], routes: inlineRoutes(state, r, id), tags: tagsOf(r) });
};

/** The table AWS made with the VPC, managed: the VPC's main table. */
export const readDefaultRouteTable: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const vpcId = str(r, 'vpc_id') !== undefined ? link(state, r, ['vpc_id']) : link(state, r, ['default_route_table_id']);
  if (vpcId === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: 'its VPC is unknown' });
    return;
  }
  state.inventory.routeTables.push({ id, vpcId, main: true, subnets: [], routes: inlineRoutes(state, r, id), tags: tagsOf(r) });
};

export const readRoute: TfReader = (r, state) => {
  const tableId = link(state, r, ['route_table_id']);
  if (tableId === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'its route table is unknown' });
    return;
  }
  const dest = destination(state, r, [], 'destination_cidr_block', 'destination_ipv6_cidr_block', tableId);
  if (dest !== undefined) state.routes.push({ tableId, route: { destination: dest, target: routeTarget(state, r, [], []) } });
};

export const readRouteTableAssociation: TfReader = (r, state) => {
  const tableId = link(state, r, ['route_table_id']);
  const subnetId = link(state, r, ['subnet_id']);
  if (tableId !== undefined && subnetId !== undefined) state.routeAssociations.push({ tableId, subnetId });
  else state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: subnetId === undefined ? 'not a subnet association (a gateway edge association is not modelled)' : 'its route table is unknown' });
};

export const readMainRouteTableAssociation: TfReader = (r, state) => {
  const tableId = link(state, r, ['route_table_id']);
  const vpcId = link(state, r, ['vpc_id']);
  if (tableId !== undefined && vpcId !== undefined) state.mainAssociations.push({ tableId, vpcId });
};

/**
 * After every resource: separate routes and associations join their tables, and each VPC
 * without a main table gets the one AWS creates with it (only the local route), since the
 * subnets that name no table use it.
 */
export function finishRouteTables(state: TfReadState): void {
  const { inventory } = state;
  const tables = new Map(inventory.routeTables.map((t) => [t.id, t]));
  for (const { tableId, route } of state.routes) {
    const table = tables.get(tableId);
    // A state lists separate routes in the table's `route` too: once is enough.
    if (table) {
      if (!table.routes.some((x) => x.destination === route.destination)) table.routes.push(route);
    }
    else inventory.ignored.push({ type: 'aws_route', id: `${tableId} ${route.destination}`, reason: `its route table ${tableId} is not in the document` });
  }
  for (const { tableId, subnetId } of state.routeAssociations) {
    const table = tables.get(tableId);
    if (table && !table.subnets.includes(subnetId)) table.subnets.push(subnetId);
  }
  for (const { tableId, vpcId } of state.mainAssociations) {
    for (const table of inventory.routeTables) if (table.vpcId === vpcId) table.main = table.id === tableId;
  }
  for (const vpc of inventory.vpcs) {
    if (inventory.routeTables.some((t) => t.vpcId === vpc.id && t.main)) continue;
    inventory.routeTables.push({
      id: `${vpc.id}.main_route_table`.slice(0, 128),
      vpcId: vpc.id,
      main: true,
      subnets: [],
      routes: [],
      tags: {},
      implicit: 'The main route table AWS creates with the VPC (not managed in Terraform): only the local route. Subnets with no association use it.',
    });
  }
}
