import { safeParseCidr } from '../../cidr/block.js';
import { isCidrPeer } from '../../model/kinds/index.js';
import type { SecurityGroupNode, SgInboundRule, SgOutboundRule, TopologyNode } from '../../model/types.js';
import { rulePortsProblem, safeParsePorts, sgPeerText } from '../../routing/filters/index.js';
import { rname, tags, type Context } from './context.js';
import { Block, bool, list, num, ref, str, type Expr } from './hcl.js';

/**
 * The design's own security groups. A group is `aws_security_group` with one
 * `aws_vpc_security_group_ingress_rule` / `egress_rule` per rule: standalone rules, so two
 * groups that name each other (a balancer's and its targets') form no dependency cycle, each
 * rule keeps its own description, and AWS's default allow-all egress rule is removed on
 * creation (the design's rules are exactly those listed). A VPC's default group is
 * `aws_default_security_group`, whose rules the provider only takes inline (it treats them
 * as absolute and refuses standalone rules).
 */

/** Whether the design draws security groups (then the exporter invents none). */
export function hasDesignedGroups(ctx: Context): boolean {
  return ctx.view.index.ofKind('security-group').length > 0;
}

/** The Terraform reference of a designed group's id. */
export function groupRef(ctx: Context, group: SecurityGroupNode): Expr {
  return ref(`${group.default === true && isTheDefault(ctx, group) ? 'aws_default_security_group' : 'aws_security_group'}.${rname(ctx, group.id)}.id`);
}

/**
 * The groups of a filtered node as references (its own, else its VPC's default group), or
 * `undefined` when nothing filters it: AWS then puts it in the VPC's default group, which
 * the design does not draw (reported).
 */
export function memberGroups(ctx: Context, node: TopologyNode): Expr | undefined {
  const groups = ctx.view.filters.groupsOf(node);
  if (groups === undefined) {
    ctx.report.approximated(
      node.id,
      'security-group',
      "lists no security group and its VPC has no default group: Topolab leaves it unfiltered, AWS puts it in the VPC's default group (which, untouched, admits only its own members)",
      'list its security groups in the design, or draw the VPC\'s default group',
    );
    return undefined;
  }
  return list(groups.map((g) => groupRef(ctx, g)));
}

/** Writes one designed group: `aws_security_group` + its rules, or `aws_default_security_group`. */
export function writeSecurityGroup(ctx: Context, group: SecurityGroupNode): void {
  const vpc = group.parent !== undefined ? ctx.view.index.nodeOfKind(group.parent, 'vpc') : undefined;
  if (!vpc) return;
  const name = rname(ctx, group.id);
  const vpcId = ref(`aws_vpc.${rname(ctx, vpc.id)}.id`);
  if (group.default === true && isTheDefault(ctx, group)) {
    const block = new Block('resource', ['aws_default_security_group', name]).attr('vpc_id', vpcId);
    for (const direction of ['inbound', 'outbound'] as const) {
      const written = group[direction].filter((rule, i) => inlineRule(ctx, block, group, direction, i, rule)).length;
      // No block would leave the rules unmanaged; an empty list says "none", as the design does.
      if (written === 0) block.attr(direction === 'inbound' ? 'ingress' : 'egress', list([]));
    }
    block.attr('tags', tags(ctx, group, 1));
    ctx.main.push(block);
    ctx.report.expressed(group.id, 'security-group', `aws_default_security_group of VPC ${vpc.id}, rules inline (the provider takes the default group's rules no other way)`);
    return;
  }
  ctx.main.push(
    new Block('resource', ['aws_security_group', name])
      .attr('name', str(groupName(group.id)))
      .attr('description', str(sgText(group.description ?? `Security group ${group.name ?? group.id}`)))
      .attr('vpc_id', vpcId)
      .attr('tags', tags(ctx, group, 1)),
  );
  let written = 0;
  for (const direction of ['inbound', 'outbound'] as const) {
    group[direction].forEach((rule, i) => {
      const peer = peerOf(ctx, group, direction, i, rule);
      const match = ruleMatch(ctx, group, direction, i, rule, peer);
      if (!peer || !match) return;
      const type = direction === 'inbound' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
      const block = new Block('resource', [type, ctx.names.name(`sgrule:${group.id}:${direction}:${i}`, `${name}_${direction === 'inbound' ? 'in' : 'out'}_${i}`)])
        .attr('security_group_id', ref(`aws_security_group.${name}.id`))
        .attr(peer.key, peer.value)
        .attr('ip_protocol', str(match.protocol));
      if (match.ports) block.attr('from_port', num(match.ports[0])).attr('to_port', num(match.ports[1]));
      if (rule.description !== undefined) block.attr('description', str(sgText(rule.description)));
      ctx.main.push(block);
      written++;
    });
  }
  ctx.report.expressed(group.id, 'security-group', `aws_security_group + ${written} standalone rule resource${written === 1 ? '' : 's'}`);
}

/** The first default group of its VPC is the one AWS has; a second is reported by validate and written as a plain group. */
function isTheDefault(ctx: Context, group: SecurityGroupNode): boolean {
  return group.parent !== undefined && ctx.view.filters.defaultGroupOf(group.parent)?.id === group.id;
}

type Peer = { key: 'cidr_ipv4' | 'cidr_ipv6' | 'referenced_security_group_id'; value: Expr; version: 4 | 6 | undefined; self: boolean };

/** A rule's peer as the rule resource names it; `undefined` (reported) when AWS would refuse it. */
function peerOf(ctx: Context, group: SecurityGroupNode, direction: string, i: number, rule: SgInboundRule | SgOutboundRule): Peer | undefined {
  const text = sgPeerText(rule);
  if (isCidrPeer(text)) {
    const parsed = safeParseCidr(text);
    if (parsed.ok) return { key: parsed.block.version === 6 ? 'cidr_ipv6' : 'cidr_ipv4', value: str(text), version: parsed.block.version, self: false };
    skip(ctx, group, direction, i, parsed.problem.message);
    return undefined;
  }
  const problem = ctx.view.filters.referenceProblem(group, text);
  const target = ctx.view.index.nodeOfKind(text, 'security-group');
  if (problem !== undefined || !target) {
    skip(ctx, group, direction, i, problem ?? `"${text}" is not a security group`);
    return undefined;
  }
  return { key: 'referenced_security_group_id', value: groupRef(ctx, target), version: undefined, self: target.id === group.id };
}

/** AWS's protocol name and port range of a rule; `undefined` (reported) when the rule is invalid. */
function ruleMatch(ctx: Context, group: SecurityGroupNode, direction: string, i: number, rule: SgInboundRule | SgOutboundRule, peer: Peer | undefined): { protocol: string; ports?: [number, number] } | undefined {
  const problem = rulePortsProblem(rule.protocol, rule.ports);
  if (problem !== undefined) {
    skip(ctx, group, direction, i, problem);
    return undefined;
  }
  if (rule.protocol === 'all') return { protocol: '-1' };
  // Every ICMP type and code; ICMPv6 for an IPv6 peer.
  if (rule.protocol === 'icmp') return { protocol: peer?.version === 6 ? 'icmpv6' : 'icmp', ports: [-1, -1] };
  const parsed = safeParsePorts(rule.ports as string);
  return parsed.ok ? { protocol: rule.protocol, ports: [parsed.range.from, parsed.range.to] } : undefined;
}

/** Adds one inline rule of the default group (an `ingress` / `egress` block); false (reported) when it cannot be written. */
function inlineRule(ctx: Context, parent: Block, group: SecurityGroupNode, direction: string, i: number, rule: SgInboundRule | SgOutboundRule): boolean {
  const peer = peerOf(ctx, group, direction, i, rule);
  const match = ruleMatch(ctx, group, direction, i, rule, peer);
  if (!peer || !match) return false;
  const block = parent
    .block(direction === 'inbound' ? 'ingress' : 'egress')
    .attr('protocol', str(match.protocol))
    .attr('from_port', num(match.ports?.[0] ?? 0))
    .attr('to_port', num(match.ports?.[1] ?? 0));
  if (peer.self) block.attr('self', bool(true));
  else if (peer.key === 'referenced_security_group_id') block.attr('security_groups', list([peer.value]));
  else block.attr(peer.key === 'cidr_ipv6' ? 'ipv6_cidr_blocks' : 'cidr_blocks', list([peer.value]));
  if (rule.description !== undefined) block.attr('description', str(sgText(rule.description)));
  return true;
}

function skip(ctx: Context, group: SecurityGroupNode, direction: string, i: number, why: string): void {
  ctx.report.notExpressible(group.id, 'security-group-rule', `rule ${direction}[${i}] is not written: ${why}`, 'fix the rule (topolab validate names the problem), then export again');
}

/** AWS refuses group names starting with `sg-` (its own ids); such an id gets a prefix. */
export function groupName(id: string): string {
  return /^sg-/i.test(id) ? `topolab-${id}` : id;
}

/** AWS accepts only `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*` in security group texts, at most 255 characters. */
export function sgText(text: string): string {
  return text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '_').slice(0, 255);
}
