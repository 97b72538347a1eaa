import type { LoadBalancerNode, TopologyNode, VpcNode } from '../../model/types.js';
import { balancersOf, isIpv6, rname, runsAsInstance, tags, type Context } from './context.js';
import { hasDesignedGroups, memberGroups } from './groups.js';
import { Block, list, map, num, ref, str, type Expr } from './hcl.js';

/** A security group rule's source or destination: the whole VPC, in the VPC's address family. */
export function vpcRange(ctx: Context, vpc: VpcNode): [string, Expr] {
  const name = rname(ctx, vpc.id);
  return isIpv6(vpc) ? ['cidr_ipv6', ref(`aws_vpc.${name}.ipv6_cidr_block`)] : ['cidr_ipv4', ref(`aws_vpc.${name}.cidr_block`)];
}

/** Anywhere, in the VPC's address family. */
export function anywhere(vpc: VpcNode): [string, Expr] {
  return isIpv6(vpc) ? ['cidr_ipv6', str('::/0')] : ['cidr_ipv4', str('0.0.0.0/0')];
}

/** AWS accepts only `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*` in a security group description, at most 255 characters. */
function sgDescription(text: string): string {
  return text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '_').slice(0, 255);
}

/** The security group resource of a balancer. */
export function balancerSg(ctx: Context, lbId: string): string {
  return ctx.names.name(`sg:lb:${lbId}`, `${rname(ctx, lbId)}_lb_sg`);
}

/** The security group resource of an instance or group (every serving node has one after writeSecurityGroups). */
export function instanceSg(ctx: Context, id: string): string {
  return ctx.instanceSgs.get(id) ?? ctx.names.name(`sg:none:${id}`, `${rname(ctx, id)}_sg`);
}

/**
 * The security groups of an instance, group or balancer: the design's own when it draws
 * groups (`undefined` for a node nothing filters), else the ones invented from its edges.
 */
export function securityGroupsFor(ctx: Context, node: TopologyNode): Expr | undefined {
  if (hasDesignedGroups(ctx)) return memberGroups(ctx, node);
  const sg = node.kind === 'load-balancer' ? balancerSg(ctx, node.id) : instanceSg(ctx, node.id);
  return list([ref(`aws_security_group.${sg}.id`)]);
}

/**
 * For a design that draws no security groups: one group per balancer (its listener open to
 * the internet or the VPC), and one per tier: instances reached by the same balancers share
 * a group, which admits each of those balancers on the instances' ports, as an operator
 * would group them by hand. Reported as approximated: the design did not say.
 */
export function writeSecurityGroups(ctx: Context): void {
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
    if (!(runsAsInstance(ctx, node) || node.kind === 'autoscaling-group')) continue;
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
      ctx.report.approximated(lb.id, 'security-group', `the design draws no security groups: invented from its edges, its targets (${tier.members.map((m) => m.id).join(', ')}) admit it on port ${tier.ports.join(', ')}`);
    }
  }
}
