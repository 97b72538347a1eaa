import { safeParseCidr } from '../../cidr/block.js';
import type {
  AutoscalingGroupNode,
  LoadBalancerNode,
  RouteTableNode,
  SubnetNode,
  Topology,
  TopologyNode,
  VpcNode,
} from '../../model/types.js';
import { DesignView } from '../design.js';
import { commentText, describeNode, NameAllocator, toIdentifier } from '../escape.js';
import type { ExportOptions } from '../options.js';
import { ReportBuilder, type ExportResult } from '../report.js';
import { Block, bool, list, map, num, ref, renderFile, str, type Expr } from './hcl.js';

interface Context {
  view: DesignView;
  report: ReportBuilder;
  names: NameAllocator;
  main: Block[];
  outputs: Block[];
  /** Design zone name -> index into var.availability_zones. */
  zones: string[];
  /** AWS-side names already given (load balancers, target groups): they must be unique. */
  awsNames: Set<string>;
  /** Resource names of VPCs whose design CIDR is IPv6 (they need an IPv4 block variable). */
  ipv6Vpcs: string[];
  /** Instance or group id -> the security group resource of its tier. */
  instanceSgs: Map<string, string>;
  /** Subnet id -> the route table that applies to it (built on first use). */
  tables?: Map<string, RouteTableNode>;
}

/** Kinds that run as EC2 instances of their own (a proxy or cache runs its nginx/HAProxy export there). */
const INSTANCE_KINDS = new Set(['server', 'reverse-proxy', 'cache', 'forward-proxy']);

/**
 * Renders the design as a Terraform configuration for the AWS provider: `main.tf` (network,
 * balancers, instances, auto-scaling), `variables.tf` (region, zones, AMI, instance type:
 * nothing account- or region-specific is hard-coded) and `outputs.tf`.
 */
export function renderTerraform(topology: Topology, _options: ExportOptions = {}): ExportResult {
  const report = new ReportBuilder('terraform');
  const view = new DesignView(topology);
  const ctx: Context = { view, report, names: new NameAllocator(), main: [], outputs: [], zones: [], awsNames: new Set(), ipv6Vpcs: [], instanceSgs: new Map() };
  if (topology.provider !== 'aws') {
    report.approximated(undefined, 'provider', `the design targets "${topology.provider}"; the export is for AWS, the only provider written`);
  }
  for (const subnet of view.index.ofKind('subnet')) {
    const zone = subnet.zone ?? '';
    if (!ctx.zones.includes(zone)) ctx.zones.push(zone);
  }

  ctx.main.push(terraformBlock(), providerBlock());
  for (const vpc of view.index.ofKind('vpc')) writeVpc(ctx, vpc);
  for (const subnet of view.index.ofKind('subnet')) writeSubnet(ctx, subnet);
  for (const igw of view.index.ofKind('internet-gateway')) {
    const vpc = view.index.vpcOf(igw.id);
    if (!vpc) continue;
    ctx.main.push(new Block('resource', ['aws_internet_gateway', rname(ctx, igw.id)]).attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`)).attr('tags', tags(ctx, igw, 1)));
    ctx.report.expressed(igw.id, 'internet-gateway', 'aws_internet_gateway');
  }
  for (const nat of view.index.ofKind('nat-gateway')) {
    const subnet = view.index.subnetOf(nat.id);
    if (!subnet) continue;
    const name = rname(ctx, nat.id);
    ctx.main.push(new Block('resource', ['aws_eip', name]).attr('domain', str('vpc')).attr('tags', tags(ctx, nat, 1)));
    const block = new Block('resource', ['aws_nat_gateway', name])
      .attr('allocation_id', ref(`aws_eip.${name}.id`))
      .attr('subnet_id', ref(`aws_subnet.${rname(ctx, subnet.id)}.id`));
    const address = view.addresses.get(nat.id);
    if (address && !address.assigned) block.attr('private_ip', str(address.ip));
    block.attr('tags', tags(ctx, nat, 1));
    ctx.main.push(block);
    ctx.outputs.push(output(`${name}_public_ip`, ref(`aws_eip.${name}.public_ip`), `Public address of NAT gateway ${describeNode(nat)}`));
    ctx.report.expressed(nat.id, 'nat-gateway', 'aws_eip + aws_nat_gateway');
  }
  for (const peering of view.index.ofKind('peering')) {
    const [requester, accepter] = peering.vpcs;
    ctx.main.push(
      new Block('resource', ['aws_vpc_peering_connection', rname(ctx, peering.id)])
        .attr('vpc_id', ref(`aws_vpc.${rname(ctx, requester)}.id`))
        .attr('peer_vpc_id', ref(`aws_vpc.${rname(ctx, accepter)}.id`))
        .attr('auto_accept', bool(true))
        .attr('tags', tags(ctx, peering, 1)),
    );
    ctx.report.expressed(peering.id, 'peering', 'aws_vpc_peering_connection, accepted at once (same account and region)');
  }
  for (const table of view.index.ofKind('route-table')) writeRouteTable(ctx, table);
  writeSecurityGroups(ctx);
  for (const node of view.topology.nodes) if (INSTANCE_KINDS.has(node.kind)) writeInstance(ctx, node);
  for (const group of view.index.ofKind('autoscaling-group')) writeAutoscaling(ctx, group);
  for (const lb of view.index.ofKind('load-balancer')) writeLoadBalancer(ctx, lb);
  for (const client of view.index.ofKind('client')) ctx.report.notExpressible(client.id, 'client', 'clients are traffic sources, not infrastructure');

  const header = [`Terraform (AWS) for "${commentText(topology.name)}", generated by Topolab.`, 'Re-export from the design instead of editing: the design is the source of truth.'];
  return {
    files: [
      { path: 'main.tf', content: renderFile(header, ctx.main) },
      { path: 'variables.tf', content: renderFile([], variables(ctx)) },
      { path: 'outputs.tf', content: renderFile([], ctx.outputs) },
    ],
    report: report.build(),
  };
}

/** Terraform resource names in snake case (letters, digits, `_`, starting with a letter); unique per design id. */
function rname(ctx: Context, id: string): string {
  return ctx.names.name(id, toIdentifier(id, /[A-Za-z0-9_]/));
}

function terraformBlock(): Block {
  const block = new Block('terraform');
  block.attr('required_version', str('>= 1.5'));
  block.block('required_providers').attr('aws', map([['source', str('hashicorp/aws')], ['version', str('~> 5.0')]], 2));
  return block;
}

function providerBlock(): Block {
  const block = new Block('provider', ['aws']).attr('region', ref('var.region'));
  // Credentials come from the environment or a profile, never from this file.
  block.block('default_tags').attr('tags', ref('var.tags'));
  return block;
}

/** `Name` from the design's name (or id), then the node's own tags; all values escaped. */
function tags(ctx: Context, node: TopologyNode, depth: number): Expr {
  const entries: [string, Expr][] = [['Name', str(node.name ?? node.id)]];
  for (const [key, value] of Object.entries(node.tags ?? {})) if (key !== 'Name') entries.push([key, str(value)]);
  entries.push(['topolab-id', str(node.id)]);
  return map(entries, depth);
}

function output(name: string, value: Expr, description: string): Block {
  return new Block('output', [name]).attr('description', str(description)).attr('value', value);
}

function writeVpc(ctx: Context, vpc: VpcNode): void {
  const name = rname(ctx, vpc.id);
  const primary = safeParseCidr(vpc.cidr);
  const block = new Block('resource', ['aws_vpc', name]);
  if (primary.ok && primary.block.version === 6) {
    // An AWS VPC always has an IPv4 block; the design's IPv6 block is brought in from an IPAM pool.
    ctx.ipv6Vpcs.push(name);
    block
      .attr('cidr_block', ref(`var.${name}_ipv4_cidr`))
      .attr('ipv6_cidr_block', str(vpc.cidr))
      .attr('ipv6_ipam_pool_id', ref('var.ipv6_ipam_pool_id'));
    ctx.report.approximated(vpc.id, 'vpc', `IPv6 block ${vpc.cidr} from the IPAM pool var.ipv6_ipam_pool_id, plus the IPv4 block AWS requires (var.${name}_ipv4_cidr)`);
  } else block.attr('cidr_block', str(vpc.cidr));
  block.attr('enable_dns_support', bool(true)).attr('enable_dns_hostnames', bool(true)).attr('tags', tags(ctx, vpc, 1));
  ctx.main.push(block);
  (vpc.secondaryCidrs ?? []).forEach((cidr, i) => {
    ctx.main.push(
      new Block('resource', ['aws_vpc_ipv4_cidr_block_association', `${name}_secondary_${i + 1}`])
        .attr('vpc_id', ref(`aws_vpc.${name}.id`))
        .attr('cidr_block', str(cidr)),
    );
  });
  ctx.outputs.push(output(`${name}_id`, ref(`aws_vpc.${name}.id`), `ID of VPC ${describeNode(vpc)}`));
  if (vpc.region !== undefined) ctx.report.approximated(vpc.id, 'region', `the design's region "${commentText(vpc.region)}" is not hard-coded: set var.region`);
  ctx.report.expressed(vpc.id, 'vpc', `aws_vpc ${vpc.cidr}${vpc.secondaryCidrs?.length ? ` with ${vpc.secondaryCidrs.length} secondary CIDR(s)` : ''}`);
}

/** The route table that applies to a subnet: its explicit association, else the VPC's main table. */
function tableOf(ctx: Context, subnet: SubnetNode): RouteTableNode | undefined {
  if (!ctx.tables) {
    // Built once: balancers ask for the table of every subnet of their VPC.
    ctx.tables = new Map();
    const main = new Map<string, RouteTableNode>();
    for (const table of ctx.view.index.ofKind('route-table')) {
      const vpc = ctx.view.index.vpcOf(table.id);
      if (table.main === true && vpc && !main.has(vpc.id)) main.set(vpc.id, table);
    }
    for (const table of ctx.view.index.ofKind('route-table')) for (const id of table.subnets) if (!ctx.tables.has(id)) ctx.tables.set(id, table);
    for (const s of ctx.view.index.ofKind('subnet')) {
      const vpc = ctx.view.index.vpcOf(s.id);
      const fallback = vpc ? main.get(vpc.id) : undefined;
      if (!ctx.tables.has(s.id) && fallback) ctx.tables.set(s.id, fallback);
    }
  }
  return ctx.tables.get(subnet.id);
}

function isPublic(ctx: Context, subnet: SubnetNode): boolean {
  const table = tableOf(ctx, subnet);
  return table?.routes.some((r) => ctx.view.index.node(r.target)?.kind === 'internet-gateway') === true;
}

function writeSubnet(ctx: Context, subnet: SubnetNode): void {
  const vpc = ctx.view.index.vpcOf(subnet.id);
  if (!vpc) return;
  const name = rname(ctx, subnet.id);
  const parsed = safeParseCidr(subnet.cidr);
  const block = new Block('resource', ['aws_subnet', name])
    .attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`))
    .attr(parsed.ok && parsed.block.version === 6 ? 'ipv6_cidr_block' : 'cidr_block', str(subnet.cidr))
    .attr('availability_zone', ref(`var.availability_zones[${ctx.zones.indexOf(subnet.zone ?? '')}]`));
  if (parsed.ok && parsed.block.version === 6) block.attr('ipv6_native', bool(true)).attr('assign_ipv6_address_on_creation', bool(true));
  else if (isPublic(ctx, subnet)) block.attr('map_public_ip_on_launch', bool(true));
  block.attr('tags', tags(ctx, subnet, 1));
  // A subnet in a secondary CIDR can only be created once the CIDR is associated.
  const secondary = (vpc.secondaryCidrs ?? []).findIndex((cidr) => within(subnet.cidr, cidr));
  if (secondary >= 0) block.attr('depends_on', list([ref(`aws_vpc_ipv4_cidr_block_association.${rname(ctx, vpc.id)}_secondary_${secondary + 1}`)]));
  ctx.main.push(block);
  ctx.outputs.push(output(`${name}_id`, ref(`aws_subnet.${name}.id`), `ID of subnet ${describeNode(subnet)}`));
  ctx.report.expressed(subnet.id, 'subnet', `aws_subnet ${subnet.cidr} in zone ${ctx.zones.indexOf(subnet.zone ?? '')} of var.availability_zones`);
}

function within(inner: string, outer: string): boolean {
  const a = safeParseCidr(inner);
  const b = safeParseCidr(outer);
  return a.ok && b.ok && a.block.version === b.block.version && a.block.first >= b.block.first && a.block.last <= b.block.last;
}

function writeRouteTable(ctx: Context, table: RouteTableNode): void {
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
      ctx.report.notExpressible(table.id, 'route', `blackhole route ${route.destination}: AWS cannot create one (it only marks routes whose target is gone)`);
      return;
    }
    if (target?.kind === 'internet-gateway') attribute = ['gateway_id', ref(`aws_internet_gateway.${rname(ctx, target.id)}.id`)];
    else if (target?.kind === 'nat-gateway') attribute = ['nat_gateway_id', ref(`aws_nat_gateway.${rname(ctx, target.id)}.id`)];
    else if (target?.kind === 'peering') attribute = ['vpc_peering_connection_id', ref(`aws_vpc_peering_connection.${rname(ctx, target.id)}.id`)];
    else if (target && INSTANCE_KINDS.has(target.kind)) attribute = ['network_interface_id', ref(`aws_instance.${rname(ctx, target.id)}.primary_network_interface_id`)];
    if (!attribute) {
      ctx.report.notExpressible(table.id, 'route', `route ${route.destination} -> "${commentText(route.target)}": no AWS route target for it`);
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

function isIpv6(vpc: VpcNode): boolean {
  const parsed = safeParseCidr(vpc.cidr);
  return parsed.ok && parsed.block.version === 6;
}

/** A security group rule's source or destination: the whole VPC, in the VPC's address family. */
function vpcRange(ctx: Context, vpc: VpcNode): [string, Expr] {
  const name = rname(ctx, vpc.id);
  return isIpv6(vpc) ? ['cidr_ipv6', ref(`aws_vpc.${name}.ipv6_cidr_block`)] : ['cidr_ipv4', ref(`aws_vpc.${name}.cidr_block`)];
}

/** Anywhere, in the VPC's address family. */
function anywhere(vpc: VpcNode): [string, Expr] {
  return isIpv6(vpc) ? ['cidr_ipv6', str('::/0')] : ['cidr_ipv4', str('0.0.0.0/0')];
}

/** The balancers that send traffic to a node. */
function balancersOf(ctx: Context, id: string): LoadBalancerNode[] {
  return ctx.view.index.edgesTo(id).flatMap((e) => {
    const lb = ctx.view.index.nodeOfKind(e.from, 'load-balancer');
    return lb ? [lb] : [];
  });
}

/** AWS accepts only `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*` in a security group description, at most 255 characters. */
function sgDescription(text: string): string {
  return text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '_').slice(0, 255);
}

/** The security group resource of a balancer. */
function balancerSg(ctx: Context, lbId: string): string {
  return ctx.names.name(`sg:lb:${lbId}`, `${rname(ctx, lbId)}_lb_sg`);
}

/** The security group resource of an instance or group (every serving node has one after writeSecurityGroups). */
function instanceSg(ctx: Context, id: string): string {
  return ctx.instanceSgs.get(id) ?? ctx.names.name(`sg:none:${id}`, `${rname(ctx, id)}_sg`);
}

/**
 * One security group per balancer (its listener open to the internet or the VPC), and one
 * per tier: instances reached by the same balancers share a group, which admits each of
 * those balancers on the instances' ports, as an operator would group them by hand.
 */
function writeSecurityGroups(ctx: Context): void {
  for (const lb of ctx.view.index.ofKind('load-balancer')) {
    const vpc = ctx.view.index.vpcOf(lb.id);
    const address = ctx.view.addresses.get(lb.id);
    if (!vpc || !address) continue;
    const sg = balancerSg(ctx, lb.id);
    ctx.main.push(new Block('resource', ['aws_security_group', sg]).attr('name', str(`${lb.id}-lb`)).attr('description', str(sgDescription(`Balancer ${lb.name ?? lb.id}`))).attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`)).attr('tags', tags(ctx, lb, 1)));
    ctx.main.push(
      new Block('resource', ['aws_vpc_security_group_ingress_rule', `${sg}_listener`])
        .attr('security_group_id', ref(`aws_security_group.${sg}.id`))
        .attr(...(lb.internetFacing === true ? anywhere(vpc) : vpcRange(ctx, vpc)))
        .attr('ip_protocol', str('tcp'))
        .attr('from_port', num(address.port))
        .attr('to_port', num(address.port)),
    );
    ctx.main.push(
      new Block('resource', ['aws_vpc_security_group_egress_rule', `${sg}_to_vpc`])
        .attr('security_group_id', ref(`aws_security_group.${sg}.id`))
        .attr(...vpcRange(ctx, vpc))
        .attr('ip_protocol', str('-1')),
    );
  }
  interface Tier {
    vpc: VpcNode;
    lbs: LoadBalancerNode[];
    members: TopologyNode[];
    ports: number[];
  }
  const tiers = new Map<string, Tier>();
  for (const node of ctx.view.topology.nodes) {
    if (!(INSTANCE_KINDS.has(node.kind) || node.kind === 'autoscaling-group')) continue;
    if (node.kind === 'server' && node.parent !== undefined && ctx.view.index.nodeOfKind(node.parent, 'autoscaling-group')) continue;
    const vpc = ctx.view.index.vpcOf(node.id);
    if (!vpc) continue;
    const lbs = [...new Map(balancersOf(ctx, node.id).filter((lb) => ctx.view.addresses.get(lb.id)).map((lb) => [lb.id, lb])).values()];
    const key = `${vpc.id}|${lbs.map((lb) => lb.id).join(',')}`;
    let tier = tiers.get(key);
    if (!tier) tiers.set(key, (tier = { vpc, lbs, members: [], ports: [] }));
    tier.members.push(node);
    const port = node.kind === 'autoscaling-group' ? (ctx.view.instancesOf(node.id)[0]?.port ?? node.template?.port ?? 80) : (ctx.view.addresses.get(node.id)?.port ?? 80);
    if (!tier.ports.includes(port)) tier.ports.push(port);
  }
  for (const [key, tier] of tiers) {
    const base = tier.lbs.length > 0 ? `${tier.lbs.map((lb) => rname(ctx, lb.id)).join('_')}_targets_sg` : `${rname(ctx, tier.vpc.id)}_instances_sg`;
    const sg = ctx.names.name(`sg:tier:${key}`, base);
    for (const member of tier.members) ctx.instanceSgs.set(member.id, sg);
    const who = tier.lbs.length > 0 ? `Targets of ${tier.lbs.map((lb) => lb.name ?? lb.id).join(', ')}` : `Instances in ${tier.vpc.name ?? tier.vpc.id}`;
    ctx.main.push(
      new Block('resource', ['aws_security_group', sg])
        .attr('name', str(sg.replace(/_/g, '-')))
        .attr('description', str(sgDescription(who)))
        .attr('vpc_id', ref(`aws_vpc.${rname(ctx, tier.vpc.id)}.id`))
        .attr('tags', map([['Name', str(who)]], 1)),
    );
    ctx.main.push(
      new Block('resource', ['aws_vpc_security_group_egress_rule', `${sg}_all`])
        .attr('security_group_id', ref(`aws_security_group.${sg}.id`))
        .attr(...anywhere(tier.vpc))
        .attr('ip_protocol', str('-1')),
    );
    for (const lb of tier.lbs) {
      for (const port of tier.ports) {
        ctx.main.push(
          new Block('resource', ['aws_vpc_security_group_ingress_rule', `${sg}_from_${rname(ctx, lb.id)}${tier.ports.length > 1 ? `_${port}` : ''}`])
            .attr('security_group_id', ref(`aws_security_group.${sg}.id`))
            .attr('referenced_security_group_id', ref(`aws_security_group.${balancerSg(ctx, lb.id)}.id`))
            .attr('ip_protocol', str('tcp'))
            .attr('from_port', num(port))
            .attr('to_port', num(port)),
        );
      }
      ctx.report.expressed(lb.id, 'security-group', `its targets (${tier.members.map((m) => m.id).join(', ')}) admit it on port ${tier.ports.join(', ')}`);
    }
  }
}

function writeInstance(ctx: Context, node: TopologyNode): void {
  const subnet = ctx.view.index.subnetOf(node.id);
  if (!subnet) return;
  const group = node.parent !== undefined ? ctx.view.index.nodeOfKind(node.parent, 'autoscaling-group') : undefined;
  if (group) {
    ctx.report.approximated(node.id, 'instance', `runs as an instance of auto-scaling group ${group.id}; its own address is not pinned`);
    return;
  }
  const name = rname(ctx, node.id);
  const address = ctx.view.addresses.get(node.id);
  const block = new Block('resource', ['aws_instance', name])
    .attr('ami', ref('var.ami_id'))
    .attr('instance_type', ref('var.instance_type'))
    .attr('subnet_id', ref(`aws_subnet.${rname(ctx, subnet.id)}.id`));
  if (address) block.attr(address.version === 6 ? 'ipv6_addresses' : 'private_ip', address.version === 6 ? list([str(address.ip)]) : str(address.ip));
  block.attr('vpc_security_group_ids', list([ref(`aws_security_group.${instanceSg(ctx, node.id)}.id`)])).attr('tags', tags(ctx, node, 1));
  ctx.main.push(block);
  if (node.kind !== 'server') {
    ctx.report.approximated(node.id, node.kind, `runs as an EC2 instance at its designed address; install the nginx or HAProxy export on it`);
  } else {
    ctx.report.expressed(node.id, 'instance', `aws_instance at ${address?.ip ?? 'an address AWS picks'}`);
    if (node.command !== undefined || node.latencyMs !== undefined || node.errorRate !== undefined) {
      ctx.report.notExpressible(node.id, 'server-behaviour', 'the lab app (command, latency, error rate) is not infrastructure: supply the AMI that runs your app');
    }
  }
}

function writeAutoscaling(ctx: Context, group: AutoscalingGroupNode): void {
  const subnetIds = [...new Set([...(group.parent !== undefined ? [group.parent] : []), ...(group.subnets ?? [])])].filter((id) => ctx.view.index.nodeOfKind(id, 'subnet'));
  if (subnetIds.length === 0) return;
  const name = rname(ctx, group.id);
  const template = new Block('resource', ['aws_launch_template', name])
    .attr('name_prefix', str(`${awsName(group.id, 20)}-`))
    .attr('image_id', ref('var.ami_id'))
    .attr('instance_type', ref('var.instance_type'))
    .attr('vpc_security_group_ids', list([ref(`aws_security_group.${instanceSg(ctx, group.id)}.id`)]));
  template.block('tag_specifications').attr('resource_type', str('instance')).attr('tags', tags(ctx, group, 2));
  ctx.main.push(template);
  const targetGroups = balancersOf(ctx, group.id).filter((lb) => ctx.view.addresses.get(lb.id)).map((lb) => ref(`aws_lb_target_group.${rname(ctx, lb.id)}.arn`));
  const asg = new Block('resource', ['aws_autoscaling_group', name])
    .attr('name', str(group.id))
    .attr('min_size', num(group.min))
    .attr('max_size', num(group.max));
  if (group.desired !== undefined) asg.attr('desired_capacity', num(group.desired));
  asg.attr('vpc_zone_identifier', list(subnetIds.map((id) => ref(`aws_subnet.${rname(ctx, id)}.id`))));
  if (targetGroups.length > 0) asg.attr('target_group_arns', list(targetGroups)).attr('health_check_type', str('ELB'));
  asg.block('launch_template').attr('id', ref(`aws_launch_template.${name}.id`)).attr('version', str('$Latest'));
  asg.block('tag').attr('key', str('Name')).attr('value', str(group.name ?? group.id)).attr('propagate_at_launch', bool(true));
  ctx.main.push(asg);
  ctx.report.expressed(group.id, 'autoscaling', `aws_launch_template + aws_autoscaling_group (min ${group.min}, max ${group.max})`);
  const tracking = group.targetTracking;
  if (!tracking) return;
  const lb = balancersOf(ctx, group.id).find((b) => b.layer === 7 && ctx.view.addresses.get(b.id));
  if (tracking.metric === 'rps' && lb) {
    const policy = new Block('resource', ['aws_autoscaling_policy', name])
      .attr('name', str(`${group.id}-requests`))
      .attr('autoscaling_group_name', ref(`aws_autoscaling_group.${name}.name`))
      .attr('policy_type', str('TargetTrackingScaling'));
    if (tracking.cooldownSeconds !== undefined) policy.attr('estimated_instance_warmup', num(tracking.cooldownSeconds));
    const config = policy.block('target_tracking_configuration');
    // ALB counts requests per target per minute; the design counts per second.
    config.attr('target_value', num(tracking.target * 60));
    config
      .block('predefined_metric_specification')
      .attr('predefined_metric_type', str('ALBRequestCountPerTarget'))
      .attr('resource_label', ref(`"\${aws_lb.${rname(ctx, lb.id)}.arn_suffix}/\${aws_lb_target_group.${rname(ctx, lb.id)}.arn_suffix}"`));
    ctx.main.push(policy);
    ctx.report.approximated(group.id, 'target-tracking', `requests per second tracked as ALBRequestCountPerTarget (per minute: ${tracking.target * 60})`);
  } else {
    ctx.report.notExpressible(group.id, 'target-tracking', tracking.metric === 'rps' ? 'requests per target need an application load balancer in front of the group' : 'AWS has no predefined in-flight-requests metric; publish a custom CloudWatch metric');
  }
}

/** An AWS resource name: letters, digits and hyphens, at most `max` characters, no leading/trailing hyphen. */
function awsName(text: string, max: number): string {
  const cleaned = text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/g, '');
  return cleaned.length > 0 ? cleaned : 'topolab';
}

/** `awsName`, made unique among the names given so far (truncation can make two ids collide). */
function uniqueAwsName(ctx: Context, text: string, max: number): string {
  const base = awsName(text, max);
  let name = base;
  for (let n = 2; ctx.awsNames.has(name); n++) name = `${base.slice(0, max - String(n).length - 1).replace(/-+$/g, '')}-${n}`;
  ctx.awsNames.add(name);
  return name;
}

const ALGORITHMS: Record<LoadBalancerNode['algorithm'], string> = {
  'round-robin': 'round_robin',
  'weighted-round-robin': 'round_robin',
  'least-connections': 'least_outstanding_requests',
  'source-hash': 'round_robin',
  'random-two': 'weighted_random',
};

function writeLoadBalancer(ctx: Context, lb: LoadBalancerNode): void {
  const vpc = ctx.view.index.vpcOf(lb.id);
  const subnet = ctx.view.index.subnetOf(lb.id);
  const address = ctx.view.addresses.get(lb.id);
  if (!vpc || !subnet || !address) return;
  const name = rname(ctx, lb.id);
  const tcp = lb.layer === 4;
  // An ALB spans at least two zones: take the balancer's subnet and its tier siblings (same route table).
  const table = tableOf(ctx, subnet);
  const subnets = ctx.view.index.ofKind('subnet').filter((s) => s.id === subnet.id || (table !== undefined && tableOf(ctx, s) === table));
  if (!tcp && new Set(subnets.map((s) => s.zone ?? '')).size < 2) {
    ctx.report.approximated(lb.id, 'zones', 'an application load balancer needs subnets in two zones; add a second subnet of the same tier');
  }
  const balancer = new Block('resource', ['aws_lb', name])
    .attr('name', str(uniqueAwsName(ctx, lb.id, 32)))
    .attr('internal', bool(lb.internetFacing !== true))
    .attr('load_balancer_type', str(tcp ? 'network' : 'application'))
    .attr('security_groups', list([ref(`aws_security_group.${balancerSg(ctx, lb.id)}.id`)]))
    .attr('subnets', list(subnets.map((s) => ref(`aws_subnet.${rname(ctx, s.id)}.id`))));
  if (lb.timeoutMs !== undefined && !tcp) balancer.attr('idle_timeout', num(Math.max(1, Math.ceil(lb.timeoutMs / 1000))));
  balancer.attr('tags', tags(ctx, lb, 1));
  ctx.main.push(balancer);

  const targets = ctx.view.edgeTargets(lb.id);
  const targetPort = targets.map((t) => (t.kind === 'autoscaling-group' ? (t.template?.port ?? 80) : ctx.view.addresses.get(t.id)?.port)).find((p) => p !== undefined) ?? 80;
  const group = new Block('resource', ['aws_lb_target_group', name])
    .attr('name', str(uniqueAwsName(ctx, `${lb.id}-tg`, 32)))
    .attr('port', num(targetPort))
    .attr('protocol', str(tcp ? 'TCP' : 'HTTP'))
    .attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`))
    .attr('target_type', str('instance'));
  if (!tcp) group.attr('load_balancing_algorithm_type', str(ALGORITHMS[lb.algorithm]));
  writeAlgorithmReport(ctx, lb, tcp);
  const hc = lb.healthCheck;
  if (hc) {
    const check = group.block('health_check').attr('enabled', bool(true));
    const http = !tcp && hc.type !== 'tcp';
    check.attr('protocol', str(http ? 'HTTP' : 'TCP'));
    if (http) check.attr('path', str(hc.path ?? '/')).attr('matcher', str(hc.expectStatus ?? '200-399'));
    // AWS bounds: interval 5-300 s, thresholds 2-10.
    check.attr('interval', num(clamp(Math.round((hc.intervalMs ?? 30_000) / 1000), 5, 300)));
    if (hc.timeoutMs !== undefined) check.attr('timeout', num(clamp(Math.round(hc.timeoutMs / 1000), 2, 120)));
    check.attr('healthy_threshold', num(clamp(hc.rise ?? 3, 2, 10))).attr('unhealthy_threshold', num(clamp(hc.fall ?? 3, 2, 10)));
    const exact = (hc.intervalMs ?? 30_000) % 1000 === 0 && (hc.intervalMs ?? 30_000) >= 5000 && (hc.rise ?? 3) >= 2 && (hc.fall ?? 3) >= 2;
    if (exact) ctx.report.expressed(lb.id, 'health-check', 'target group health_check');
    else ctx.report.approximated(lb.id, 'health-check', 'health check interval/thresholds rounded into AWS bounds (interval >= 5 s, thresholds >= 2)');
  }
  if (lb.sticky || (lb.algorithm === 'source-hash' && tcp)) {
    const sticky = group.block('stickiness').attr('enabled', bool(true));
    if (tcp) sticky.attr('type', str('source_ip'));
    else if (lb.sticky?.cookie !== undefined) sticky.attr('type', str('app_cookie')).attr('cookie_name', str(lb.sticky.cookie));
    else sticky.attr('type', str('lb_cookie'));
    if (!tcp) sticky.attr('cookie_duration', num(clamp(lb.sticky?.ttlSeconds ?? 86_400, 1, 604_800)));
    if (lb.sticky && !tcp) ctx.report.approximated(lb.id, 'sticky', lb.sticky.cookie !== undefined ? 'app_cookie stickiness follows the named cookie, which the app must set' : 'lb_cookie stickiness (AWSALB cookie)');
  }
  group.attr('tags', tags(ctx, lb, 1));
  ctx.main.push(group);
  const listener = new Block('resource', ['aws_lb_listener', name])
    .attr('load_balancer_arn', ref(`aws_lb.${name}.arn`))
    .attr('port', num(address.port))
    .attr('protocol', str(tcp ? 'TCP' : 'HTTP'));
  listener.block('default_action').attr('type', str('forward')).attr('target_group_arn', ref(`aws_lb_target_group.${name}.arn`));
  ctx.main.push(listener);
  for (const target of targets) {
    if (!INSTANCE_KINDS.has(target.kind) || !ctx.view.index.subnetOf(target.id)) continue;
    const inGroup = target.parent !== undefined && ctx.view.index.nodeOfKind(target.parent, 'autoscaling-group');
    if (inGroup) continue;
    ctx.main.push(
      new Block('resource', ['aws_lb_target_group_attachment', `${name}_${rname(ctx, target.id)}`])
        .attr('target_group_arn', ref(`aws_lb_target_group.${name}.arn`))
        .attr('target_id', ref(`aws_instance.${rname(ctx, target.id)}.id`))
        .attr('port', num(ctx.view.addresses.get(target.id)?.port ?? targetPort)),
    );
  }
  ctx.outputs.push(output(`${name}_dns_name`, ref(`aws_lb.${name}.dns_name`), `DNS name of balancer ${describeNode(lb)}`));
  if (lb.maxBodyBytes !== undefined) ctx.report.notExpressible(lb.id, 'max-body', 'AWS load balancers have no request body limit setting');
}

function writeAlgorithmReport(ctx: Context, lb: LoadBalancerNode, tcp: boolean): void {
  if (tcp) {
    ctx.report.approximated(lb.id, 'algorithm', 'a network load balancer hashes each flow; the design algorithm is not selectable');
    return;
  }
  switch (lb.algorithm) {
    case 'round-robin':
      ctx.report.expressed(lb.id, 'algorithm', 'round_robin');
      break;
    case 'least-connections':
      ctx.report.approximated(lb.id, 'algorithm', 'least connections as least_outstanding_requests (in-flight requests per target)');
      break;
    case 'weighted-round-robin':
      ctx.report.notExpressible(lb.id, 'weights', 'ALB target groups have no per-target weights; round_robin is used');
      break;
    case 'source-hash':
      ctx.report.notExpressible(lb.id, 'algorithm', 'ALB has no source-IP hash; round_robin is used (use stickiness or an NLB)');
      break;
    case 'random-two':
      ctx.report.approximated(lb.id, 'algorithm', 'random two choices as weighted_random');
      break;
  }
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

function variables(ctx: Context): Block[] {
  const zones = ctx.zones.map((z) => (z === '' ? '(no zone)' : z)).join(', ');
  const zoneVar = new Block('variable', ['availability_zones'])
    .attr('description', str(`Availability zones for the design's zones, in this order: ${zones}`))
    .attr('type', ref('list(string)'));
  zoneVar
    .block('validation')
    .attr('condition', ref(`length(var.availability_zones) >= ${Math.max(1, ctx.zones.length)}`))
    .attr('error_message', str(`The design uses ${ctx.zones.length} zone(s): give at least that many.`));
  const ipv6 = ctx.ipv6Vpcs.flatMap((name) => [
    new Block('variable', [`${name}_ipv4_cidr`]).attr('description', str(`IPv4 block for VPC ${name}: AWS requires one even for an IPv6 design`)).attr('type', ref('string')),
  ]);
  if (ctx.ipv6Vpcs.length > 0) ipv6.push(new Block('variable', ['ipv6_ipam_pool_id']).attr('description', str("IPAM pool holding the design's IPv6 blocks (BYOIP)")).attr('type', ref('string')));
  const regions = [...new Set(ctx.view.index.ofKind('vpc').flatMap((v) => (v.region !== undefined ? [v.region] : [])))];
  return [
    new Block('variable', ['region']).attr('description', str(`AWS region to deploy to${regions.length > 0 ? ` (the design names ${regions.join(', ')})` : ''}`)).attr('type', ref('string')),
    zoneVar,
    new Block('variable', ['ami_id']).attr('description', str('AMI for servers, proxies and auto-scaling instances (one that runs your app or nginx/HAProxy)')).attr('type', ref('string')),
    new Block('variable', ['instance_type']).attr('description', str('EC2 instance type')).attr('type', ref('string')).attr('default', str('t3.micro')),
    new Block('variable', ['tags']).attr('description', str('Tags added to every resource')).attr('type', ref('map(string)')).attr('default', map([['managed-by', str('topolab')]], 1)),
    ...ipv6,
  ];
}
