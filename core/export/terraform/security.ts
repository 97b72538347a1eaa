import type { TopologyNode, VpcNode } from '../../model/types.js';
import { trafficEndOf } from '../../model/edges.js';
import { kindsWhere } from '../../model/kinds/index.js';
import { isIpv6, rname, tags, type Context } from './context.js';
import { hasDesignedGroups, memberGroups } from './groups.js';
import { Block, list, map, num, ref, str, type Expr } from './hcl.js';
import { planTiers, tierBase, writeTierIngress } from './ingress.js';

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
 * the internet or the VPC), and one per tier: instances reached by the same balancers and
 * forwarders and called by the same servers share a group, which admits each of them on the
 * instances' ports (and a proxy's or cache's own listener: see ingress.ts), as an operator
 * would group them by hand. Then each server-to-server call (writeDependencyRules).
 * Reported as approximated: the design did not say.
 */
export function writeSecurityGroups(ctx: Context): void {
  const callers = callersByTarget(ctx);
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
  const tiers = planTiers(ctx, callers);
  // Every tier is named first: a tier's rules may reference another's group.
  for (const [key, tier] of tiers) for (const member of tier.members) ctx.instanceSgs.set(member.id, ctx.names.name(`sg:tier:${key}`, tierBase(ctx, tier)));
  for (const [key, tier] of tiers) {
    const sg = ctx.names.name(`sg:tier:${key}`, tierBase(ctx, tier));
    const from = [...tier.lbs, ...tier.senders, ...tier.remote.map((r) => r.node)];
    const who =
      from.length > 0
        ? `Targets of ${from.map((n) => n.name ?? n.id).join(', ')}`
        : tier.calledBy.length > 0
          ? `Called by ${tier.calledBy.join(', ')}`
          : `Instances in ${tier.vpc.name ?? tier.vpc.id}`;
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
      ctx.report.approximated(lb.id, 'security-group', `the design draws no security groups: invented from its edges, its targets (${tier.members.map((m) => m.id).join(', ')}) admit it on port ${tier.ports.join(', ')}`, 'draw security groups in the design to choose the rules yourself');
    }
    writeTierIngress(ctx, sg, tier);
  }
  writeDependencyRules(ctx);
}

/** Callee id -> the servers and groups that call it (a server drawn inside a group calls as the group). */
function callersByTarget(ctx: Context): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const caller of callers(ctx)) {
    if (trafficEndOf(ctx.view.index, caller.id) !== caller.id) continue;
    for (const call of ctx.view.dependenciesOf(caller.id)) {
      const set = out.get(call.target.id) ?? new Set<string>();
      set.add(caller.id);
      out.set(call.target.id, set);
    }
  }
  return out;
}

/**
 * Each server-to-server call (an edge from a server or group to a server, group, proxy or
 * cache running as an instance) as an ingress rule on the callee's security group: from the
 * caller's group in the same VPC, else from the caller's VPC range (a peered VPC), TCP on
 * the edge's port (HTTP rides on TCP). A call to a balancer needs a rule only from another
 * VPC: its listener admits its own VPC (or the internet). Callers' groups allow all egress.
 */
function writeDependencyRules(ctx: Context): void {
  const written = new Set<string>();
  for (const caller of callers(ctx)) {
    if (trafficEndOf(ctx.view.index, caller.id) !== caller.id) continue;
    const callerSg = ctx.instanceSgs.get(caller.id);
    const callerVpc = ctx.view.index.vpcOf(caller.id);
    if (!callerSg || !callerVpc) continue;
    for (const call of ctx.view.dependenciesOf(caller.id)) {
      const target = call.target;
      const targetVpc = ctx.view.index.vpcOf(target.id);
      if (!targetVpc) continue;
      const sameVpc = targetVpc.id === callerVpc.id;
      let sg: string | undefined;
      if (target.kind === 'load-balancer') {
        if (sameVpc || target.internetFacing === true) {
          ctx.report.expressed(caller.id, 'dependency', `calls ${target.id} (edge ${call.edgeId}): the balancer's listener admits its VPC`);
          continue;
        }
        sg = ctx.view.addresses.get(target.id) ? balancerSg(ctx, target.id) : undefined;
      } else {
        sg = ctx.instanceSgs.get(trafficEndOf(ctx.view.index, target.id));
      }
      if (!sg) {
        ctx.report.notExpressible(caller.id, 'dependency', `calls ${target.id} (edge ${call.edgeId}), which runs no instance with a security group here`, `open ${target.id}'s port to ${caller.id} by hand, or draw security groups in the design`);
        continue;
      }
      const source: [string, Expr] = sameVpc ? ['referenced_security_group_id', ref(`aws_security_group.${callerSg}.id`)] : vpcRange(ctx, callerVpc);
      const from = sameVpc ? callerSg : `${rname(ctx, callerVpc.id)}_vpc`;
      const key = `${sg}|${from}|${call.port}`;
      if (!written.has(key)) {
        written.add(key);
        ctx.main.push(
          new Block('resource', ['aws_vpc_security_group_ingress_rule', ctx.names.name(`sg-call:${key}`, `${sg}_from_${from}_${call.port}`)])
            .attr('security_group_id', ref(`aws_security_group.${sg}.id`))
            .attr(...source)
            .attr('ip_protocol', str('tcp'))
            .attr('from_port', num(call.port))
            .attr('to_port', num(call.port)),
        );
      }
      if (sg === callerSg) {
        ctx.report.approximated(caller.id, 'dependency', `calls ${target.id} (edge ${call.edgeId}) in its own security group: every member admits the others on port ${call.port}`, 'draw security groups in the design to admit only the caller');
      } else if (sameVpc) {
        ctx.report.expressed(caller.id, 'dependency', `calls ${target.id} (edge ${call.edgeId}): its security group admits ${caller.id}'s on TCP ${call.port}`);
      } else {
        ctx.report.approximated(caller.id, 'dependency', `calls ${target.id} (edge ${call.edgeId}) in another VPC: admitted from VPC ${callerVpc.id}'s range on TCP ${call.port}, not from ${caller.id} alone`, `narrow the rule to ${caller.id}'s address, or draw security groups in the design`);
      }
    }
  }
}

/** The servers and groups that call their edge targets (their descriptors say so), in palette order. */
function callers(ctx: Context): TopologyNode[] {
  return kindsWhere('calls').flatMap((kind) => ctx.view.index.ofKind(kind));
}
