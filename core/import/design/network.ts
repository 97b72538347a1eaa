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
    // AWS gives every VPC an IPv4 primary block; only a plan that does not know it yet leaves an IPv6 block to stand first.
    const [cidr, ...rest] = [...(vpc.cidr !== undefined ? [vpc.cidr] : []), ...vpc.secondaryCidrs, ...vpc.ipv6Cidrs];
    if (cidr === undefined) continue;
    const secondary = rest.slice(0, 5);
    for (const extra of rest.slice(5)) b.ignore('VpcCidrBlock', `${vpc.id} ${extra}`, 'the format holds at most 5 secondary blocks per VPC (IPv4 and IPv6 together)');
    b.add({ id: vpc.id, kind: 'vpc', ...nameAndTags(vpc.tags), cidr, ...(secondary.length > 0 ? { secondaryCidrs: secondary } : {}), ...(region ? { region } : {}) }, 'Vpc');
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
    const cidr = subnet.cidr ?? subnet.ipv6Cidr;
    if (cidr === undefined) continue;
    if (subnet.cidr !== undefined && subnet.ipv6Cidr !== undefined) {
      // A subnet of the format holds one block: the IPv4 one keeps every IPv4 answer right.
      b.ignore('SubnetIpv6CidrBlock', `${subnet.id} ${subnet.ipv6Cidr}`, `a dual-stack subnet: the format's subnet holds one block, so it is imported with its IPv4 block ${subnet.cidr} only; IPv6 traffic to and from its nodes is not modelled`);
    }
    b.add({ id: subnet.id, kind: 'subnet', parent: subnet.vpcId, ...nameAndTags(subnet.tags), cidr, ...(subnet.zone ? { zone: subnet.zone } : {}) }, 'Subnet');
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
    else if (target.kind === 'unmodelled') b.ignore('Route', `${table.id} ${destination}`, `to ${target.type} ${target.id}: ${unmodelledReason(target.type, destination)}`);
    else if (!b.has(target.id)) b.ignore('Route', `${table.id} ${destination}`, `to ${target.id}, which is not in the imported files (or was left out)`);
    else routes.push({ destination, target: target.id });
  }
  return routes;
}

/** Why a route to a target the format has no kind for is left out, and what the design then lacks. */
function unmodelledReason(type: string, destination: string): string {
  if (type === 'Route') return 'the route has no target';
  if (type === 'EgressOnlyInternetGateway' || type === 'aws_egress_only_internet_gateway') {
    return `the format has no egress-only internet gateway, so the design has no route for ${destination}: IPv6 traffic this route lets out to the internet (outbound only) finds no route in the design`;
  }
  return 'the format cannot express this target';
}
