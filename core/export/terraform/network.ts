import { safeParseCidr } from '../../cidr/block.js';
import type { RouteTableNode, SubnetNode, VpcNode } from '../../model/types.js';
import { commentText, describeNode } from '../escape.js';
import { hasInstance, output, rname, tags, zoneIndex, type Context } from './context.js';
import { Block, bool, list, ref, str, type Expr } from './hcl.js';

/** `aws_vpc` with its secondary CIDR associations. */
export function writeVpc(ctx: Context, vpc: VpcNode): void {
  const name = rname(ctx, vpc.id);
  const primary = safeParseCidr(vpc.cidr);
  const block = new Block('resource', ['aws_vpc', name]);
  if (primary.ok && primary.block.version === 6) {
    // An AWS VPC always has an IPv4 block; the design's IPv6 block is brought in from an IPAM pool.
    ctx.ipv6Vpcs.push(name);
    ctx.ipv6Pool = true;
    block
      .attr('cidr_block', ref(`var.${name}_ipv4_cidr`))
      .attr('ipv6_cidr_block', str(vpc.cidr))
      .attr('ipv6_ipam_pool_id', ref('var.ipv6_ipam_pool_id'));
    ctx.report.approximated(vpc.id, 'vpc', `IPv6 block ${vpc.cidr} from the IPAM pool var.ipv6_ipam_pool_id, plus the IPv4 block AWS requires (var.${name}_ipv4_cidr)`, `set var.ipv6_ipam_pool_id to a pool holding ${vpc.cidr} and var.${name}_ipv4_cidr to a free IPv4 block`);
  } else block.attr('cidr_block', str(vpc.cidr));
  block.attr('enable_dns_support', bool(true)).attr('enable_dns_hostnames', bool(true)).attr('tags', tags(ctx, vpc, 1));
  ctx.main.push(block);
  (vpc.secondaryCidrs ?? []).forEach((cidr, i) => {
    const association = secondaryAssociation(vpc, i);
    const resource = new Block('resource', [association.type, `${name}_secondary_${i + 1}`]).attr('vpc_id', ref(`aws_vpc.${name}.id`));
    if (association.type === 'aws_vpc_ipv6_cidr_block_association') {
      // A chosen IPv6 block comes from an IPAM pool, as for an IPv6 VPC.
      ctx.ipv6Pool = true;
      resource.attr('ipv6_cidr_block', str(cidr)).attr('ipv6_ipam_pool_id', ref('var.ipv6_ipam_pool_id'));
      ctx.report.approximated(vpc.id, 'vpc', `IPv6 block ${cidr} from the IPAM pool var.ipv6_ipam_pool_id`, `set var.ipv6_ipam_pool_id to a pool holding ${cidr}`);
    } else resource.attr('cidr_block', str(cidr));
    ctx.main.push(resource);
  });
  ctx.outputs.push(output(`${name}_id`, ref(`aws_vpc.${name}.id`), `ID of VPC ${describeNode(vpc)}`));
  if (vpc.region !== undefined) ctx.report.approximated(vpc.id, 'region', `the design's region "${commentText(vpc.region)}" is not hard-coded`, `set var.region to ${commentText(vpc.region)}`);
  ctx.report.expressed(vpc.id, 'vpc', `aws_vpc ${vpc.cidr}${vpc.secondaryCidrs?.length ? ` with ${vpc.secondaryCidrs.length} secondary CIDR(s)` : ''}`);
}

/** `aws_subnet` in its zone; public (routing's rule) IPv4 subnets map public addresses on launch. */
export function writeSubnet(ctx: Context, subnet: SubnetNode): void {
  const vpc = ctx.view.index.vpcOf(subnet.id);
  if (!vpc) return;
  const name = rname(ctx, subnet.id);
  const parsed = safeParseCidr(subnet.cidr);
  const block = new Block('resource', ['aws_subnet', name])
    .attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`))
    .attr(parsed.ok && parsed.block.version === 6 ? 'ipv6_cidr_block' : 'cidr_block', str(subnet.cidr))
    .attr('availability_zone', ref(`var.availability_zones[${zoneIndex(ctx, subnet)}]`));
  if (parsed.ok && parsed.block.version === 6) block.attr('ipv6_native', bool(true)).attr('assign_ipv6_address_on_creation', bool(true));
  else if (ctx.view.routes.isPublic(subnet.id)) block.attr('map_public_ip_on_launch', bool(true));
  block.attr('tags', tags(ctx, subnet, 1));
  // A subnet in a secondary CIDR can only be created once the CIDR is associated.
  const secondary = (vpc.secondaryCidrs ?? []).findIndex((cidr) => within(subnet.cidr, cidr));
  if (secondary >= 0) block.attr('depends_on', list([ref(`${secondaryAssociation(vpc, secondary).type}.${rname(ctx, vpc.id)}_secondary_${secondary + 1}`)]));
  ctx.main.push(block);
  ctx.outputs.push(output(`${name}_id`, ref(`aws_subnet.${name}.id`), `ID of subnet ${describeNode(subnet)}`));
  ctx.report.expressed(subnet.id, 'subnet', `aws_subnet ${subnet.cidr} in zone ${zoneIndex(ctx, subnet)} of var.availability_zones`);
}

/** The resource that associates a VPC's secondary block `i`: IPv4 and IPv6 blocks have one type each. */
function secondaryAssociation(vpc: VpcNode, i: number): { type: 'aws_vpc_ipv4_cidr_block_association' | 'aws_vpc_ipv6_cidr_block_association' } {
  const parsed = safeParseCidr(vpc.secondaryCidrs?.[i] ?? '');
  return { type: parsed.ok && parsed.block.version === 6 ? 'aws_vpc_ipv6_cidr_block_association' : 'aws_vpc_ipv4_cidr_block_association' };
}

function within(inner: string, outer: string): boolean {
  const a = safeParseCidr(inner);
  const b = safeParseCidr(outer);
  return a.ok && b.ok && a.block.version === b.block.version && a.block.first >= b.block.first && a.block.last <= b.block.last;
}

/** `aws_route_table`, its routes and associations (and the VPC's main association). */
export function writeRouteTable(ctx: Context, table: RouteTableNode): void {
  const vpc = ctx.view.index.vpcOf(table.id);
  if (!vpc) return;
  const name = rname(ctx, table.id);
  ctx.main.push(new Block('resource', ['aws_route_table', name]).attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`)).attr('tags', tags(ctx, table, 1)));
  table.routes.forEach((route, i) => {
    const target = ctx.view.index.node(route.target);
    let attribute: [string, Expr] | undefined;
    if (route.target === 'local') {
      // AWS adds the local route for every VPC CIDR by itself and refuses to create one.
      ctx.report.expressed(table.id, 'route', `local route ${route.destination} is implicit in AWS`);
      return;
    }
    if (route.target === 'blackhole') {
      ctx.report.notExpressible(table.id, 'route', `blackhole route ${route.destination}: AWS cannot create one (it only marks routes whose target is gone)`, 'leave the destination unrouted, or deny it with a network ACL');
      return;
    }
    if (target?.kind === 'internet-gateway') attribute = ['gateway_id', ref(`aws_internet_gateway.${rname(ctx, target.id)}.id`)];
    else if (target?.kind === 'nat-gateway') attribute = ['nat_gateway_id', ref(`aws_nat_gateway.${rname(ctx, target.id)}.id`)];
    else if (target?.kind === 'peering') attribute = ['vpc_peering_connection_id', ref(`aws_vpc_peering_connection.${rname(ctx, target.id)}.id`)];
    else if (target && hasInstance(ctx, target)) attribute = ['network_interface_id', ref(`aws_instance.${rname(ctx, target.id)}.primary_network_interface_id`)];
    if (!attribute) {
      ctx.report.notExpressible(table.id, 'route', `route ${route.destination} -> "${commentText(route.target)}": no AWS route target for it`, 'point the route at a gateway, peering or instance of the design');
      return;
    }
    const parsed = safeParseCidr(route.destination);
    ctx.main.push(
      new Block('resource', ['aws_route', `${name}_${i + 1}`])
        .attr('route_table_id', ref(`aws_route_table.${name}.id`))
        .attr(parsed.ok && parsed.block.version === 6 ? 'destination_ipv6_cidr_block' : 'destination_cidr_block', str(route.destination))
        .attr(attribute[0], attribute[1]),
    );
  });
  for (const subnetId of table.subnets) {
    if (!ctx.view.index.nodeOfKind(subnetId, 'subnet')) continue;
    ctx.main.push(
      new Block('resource', ['aws_route_table_association', `${rname(ctx, subnetId)}_${name}`])
        .attr('subnet_id', ref(`aws_subnet.${rname(ctx, subnetId)}.id`))
        .attr('route_table_id', ref(`aws_route_table.${name}.id`)),
    );
  }
  if (table.main === true) {
    ctx.main.push(
      new Block('resource', ['aws_main_route_table_association', `${rname(ctx, vpc.id)}_main`])
        .attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`))
        .attr('route_table_id', ref(`aws_route_table.${name}.id`)),
    );
  }
  ctx.report.expressed(table.id, 'route-table', `aws_route_table with ${table.routes.length} route(s)${table.main ? ', the VPC main table' : ''}`);
}
