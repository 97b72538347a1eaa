import type { RouteTableNode } from '../../model/types.js';
import type { RouteTableRecord } from '../inventory.js';
import { type DesignBuilder, nameAndTags } from './context.js';

/** VPCs (with the peers known only from a peering), subnets, gateways, peerings, route tables. */

/** The region of a zone (`us-east-1a` is in `us-east-1`). */
function regionOf(zone: string | undefined): string | undefined {
  const match = zone?.match(/^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/);
  return match?.[1];
}

export function buildNetwork(b: DesignBuilder): void {
  const { inventory } = b;
  for (const vpc of inventory.vpcs) {
    const region = vpc.region ?? regionOf(inventory.subnets.find((s) => s.vpcId === vpc.id)?.zone);
    const secondary = vpc.secondaryCidrs.slice(0, 5);
    for (const extra of vpc.secondaryCidrs.slice(5)) b.ignore('VpcCidrBlock', `${vpc.id} ${extra}`, 'the format holds at most 5 secondary blocks per VPC');
    b.add({ id: vpc.id, kind: 'vpc', ...nameAndTags(vpc.tags), cidr: vpc.cidr, ...(secondary.length > 0 ? { secondaryCidrs: secondary } : {}), ...(region ? { region } : {}) }, 'Vpc');
  }
  // A peer VPC of another account or file: known from the peering connection alone.
  for (const pcx of inventory.peerings) {
    for (const side of [pcx.requester, pcx.accepter]) {
      if (b.has(side.vpcId) || side.cidr === undefined) continue;
      b.add({ id: side.vpcId, kind: 'vpc', cidr: side.cidr, ...(side.region ? { region: side.region } : {}), description: `Known only from peering connection ${pcx.id}: its subnets, tables and filters were not in the imported files.` }, 'Vpc');
    }
  }
  for (const subnet of inventory.subnets) {
    if (!b.has(subnet.vpcId, 'vpc')) {
      b.ignore('Subnet', subnet.id, `its VPC ${subnet.vpcId} is not in the imported files`);
      continue;
    }
    b.add({ id: subnet.id, kind: 'subnet', parent: subnet.vpcId, ...nameAndTags(subnet.tags), cidr: subnet.cidr, ...(subnet.zone ? { zone: subnet.zone } : {}) }, 'Subnet');
  }
  for (const igw of inventory.internetGateways) {
    if (!b.has(igw.vpcId, 'vpc')) b.ignore('InternetGateway', igw.id, `its VPC ${igw.vpcId} is not in the imported files`);
    else b.add({ id: igw.id, kind: 'internet-gateway', parent: igw.vpcId, ...nameAndTags(igw.tags) }, 'InternetGateway');
  }
  for (const nat of inventory.natGateways) {
    if (!b.has(nat.subnetId, 'subnet')) b.ignore('NatGateway', nat.id, `its subnet ${nat.subnetId} is not in the imported files`);
    else b.add({ id: nat.id, kind: 'nat-gateway', parent: nat.subnetId, ...nameAndTags(nat.tags), ...(nat.privateIp ? { ip: nat.privateIp } : {}) }, 'NatGateway');
  }
  for (const pcx of inventory.peerings) {
    const missing = [pcx.requester.vpcId, pcx.accepter.vpcId].filter((id) => !b.has(id, 'vpc'));
    if (missing.length > 0) b.ignore('VpcPeeringConnection', pcx.id, `VPC ${missing.join(' and ')} is not in the imported files and the connection does not give its CIDR`);
    else b.add({ id: pcx.id, kind: 'peering', ...nameAndTags(pcx.tags), vpcs: [pcx.requester.vpcId, pcx.accepter.vpcId] }, 'VpcPeeringConnection');
  }
}

/** Route tables, after every other node exists (routes name gateways, peerings and instances). */
export function buildRouteTables(b: DesignBuilder): void {
  for (const table of b.inventory.routeTables) {
    if (!b.has(table.vpcId, 'vpc')) {
      b.ignore('RouteTable', table.id, `its VPC ${table.vpcId} is not in the imported files`);
      continue;
    }
    const node: RouteTableNode = {
      id: table.id,
      kind: 'route-table',
      parent: table.vpcId,
      ...nameAndTags(table.tags),
      ...(table.implicit ? { description: table.implicit } : {}),
      ...(table.main ? { main: true } : {}),
      subnets: table.subnets.filter((s) => b.has(s, 'subnet')),
      routes: routesOf(b, table),
    };
    b.add(node, 'RouteTable');
  }
}

function routesOf(b: DesignBuilder, table: RouteTableRecord): RouteTableNode['routes'] {
  const routes: RouteTableNode['routes'] = [];
  for (const { destination, target } of table.routes) {
    // The VPC's own blocks: implicit in the format, as in AWS.
    if (target.kind === 'local') continue;
    if (target.kind === 'blackhole') routes.push({ destination, target: 'blackhole' });
    else if (target.kind === 'unmodelled') b.ignore('Route', `${table.id} ${destination}`, `to ${target.type} ${target.id}: ${target.type === 'Route' ? 'the route has no target' : 'the format cannot express this target'}`);
    else if (!b.has(target.id)) b.ignore('Route', `${table.id} ${destination}`, `to ${target.id}, which is not in the imported files (or was left out)`);
    else routes.push({ destination, target: target.id });
  }
  return routes;
}
