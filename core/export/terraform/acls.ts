import { safeParseCidr } from '../../cidr/block.js';
import type { NaclRule, NetworkAclNode } from '../../model/types.js';
import { NACL_RULE_NUMBERS, rulePortsProblem, safeParsePorts } from '../../routing/filters/index.js';
import { rname, tags, type Context } from './context.js';
import { Block, bool, num, ref, str } from './hcl.js';

/**
 * The design's network ACLs: `aws_network_acl` with one `aws_network_acl_rule` per rule and
 * one `aws_network_acl_association` per subnet it holds. A VPC's default ACL is
 * `aws_default_network_acl` on the VPC's `default_network_acl_id`, with its rules inline
 * (the provider refuses standalone rules on it); the subnets no ACL lists use it, as in AWS.
 */
export function writeNetworkAcl(ctx: Context, acl: NetworkAclNode): void {
  const vpc = acl.parent !== undefined ? ctx.view.index.nodeOfKind(acl.parent, 'vpc') : undefined;
  if (!vpc) return;
  const name = rname(ctx, acl.id);
  const isDefault = acl.default === true && ctx.view.index.ofKind('network-acl').find((a) => a.parent === acl.parent && a.default === true)?.id === acl.id;
  if (isDefault) {
    const block = new Block('resource', ['aws_default_network_acl', name]).attr('default_network_acl_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.default_network_acl_id`));
    for (const direction of ['inbound', 'outbound'] as const) {
      for (const rule of acl[direction]) {
        const parts = ruleParts(ctx, acl, direction, rule);
        if (!parts) continue;
        const inline = block.block(direction === 'inbound' ? 'ingress' : 'egress').attr('rule_no', num(rule.rule)).attr('action', str(rule.action)).attr('protocol', str(parts.protocol));
        inline.attr('from_port', num(parts.ports?.[0] ?? 0)).attr('to_port', num(parts.ports?.[1] ?? 0));
        inline.attr(parts.cidrKey, str(rule.cidr));
        if (parts.icmp) inline.attr('icmp_type', num(-1)).attr('icmp_code', num(-1));
      }
    }
    block.attr('tags', tags(ctx, acl, 1));
    ctx.main.push(block);
    ctx.report.expressed(acl.id, 'network-acl', `aws_default_network_acl of VPC ${vpc.id}, rules inline (the provider takes the default ACL's rules no other way)`);
    return;
  }
  ctx.main.push(new Block('resource', ['aws_network_acl', name]).attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`)).attr('tags', tags(ctx, acl, 1)));
  let rules = 0;
  for (const direction of ['inbound', 'outbound'] as const) {
    for (const rule of acl[direction]) {
      const parts = ruleParts(ctx, acl, direction, rule);
      if (!parts) continue;
      const block = new Block('resource', ['aws_network_acl_rule', ctx.names.name(`aclrule:${acl.id}:${direction}:${rule.rule}`, `${name}_${direction === 'inbound' ? 'in' : 'out'}_${rule.rule}`)])
        .attr('network_acl_id', ref(`aws_network_acl.${name}.id`))
        .attr('rule_number', num(rule.rule))
        .attr('egress', bool(direction === 'outbound'))
        .attr('protocol', str(parts.protocol))
        .attr('rule_action', str(rule.action))
        .attr(parts.cidrKey, str(rule.cidr));
      if (parts.ports) block.attr('from_port', num(parts.ports[0])).attr('to_port', num(parts.ports[1]));
      if (parts.icmp) block.attr('icmp_type', num(-1)).attr('icmp_code', num(-1));
      ctx.main.push(block);
      rules++;
    }
  }
  const subnets = acl.subnets.filter((id) => {
    const subnet = ctx.view.index.nodeOfKind(id, 'subnet');
    // The ACL that holds the subnet (first to list it, same VPC); validate reports the others.
    return subnet !== undefined && ctx.view.filters.aclOf(subnet)?.id === acl.id;
  });
  for (const subnetId of subnets) {
    ctx.main.push(
      new Block('resource', ['aws_network_acl_association', ctx.names.name(`aclassoc:${acl.id}:${subnetId}`, `${name}_${rname(ctx, subnetId)}`)])
        .attr('network_acl_id', ref(`aws_network_acl.${name}.id`))
        .attr('subnet_id', ref(`aws_subnet.${rname(ctx, subnetId)}.id`)),
    );
  }
  const skipped = acl.subnets.filter((id) => !subnets.includes(id));
  if (skipped.length > 0) ctx.report.notExpressible(acl.id, 'network-acl', `not associated with ${skipped.join(', ')}: a subnet of another VPC, or one another ACL holds`, 'give each subnet one ACL of its own VPC (topolab validate lists the conflicts)');
  ctx.report.expressed(acl.id, 'network-acl', `aws_network_acl + ${rules} aws_network_acl_rule + ${subnets.length} aws_network_acl_association`);
}

/** AWS's protocol, ports and block key of a rule; `undefined` (reported) when the rule is invalid. */
function ruleParts(ctx: Context, acl: NetworkAclNode, direction: string, rule: NaclRule): { protocol: string; ports?: [number, number]; icmp: boolean; cidrKey: 'cidr_block' | 'ipv6_cidr_block' } | undefined {
  const cidr = safeParseCidr(rule.cidr);
  const problem =
    rule.rule < NACL_RULE_NUMBERS.min || rule.rule > NACL_RULE_NUMBERS.max ? `rule number ${rule.rule} is out of range` : (rulePortsProblem(rule.protocol, rule.ports) ?? (cidr.ok ? undefined : cidr.problem.message));
  if (problem !== undefined || !cidr.ok) {
    ctx.report.notExpressible(acl.id, 'network-acl-rule', `${direction} rule ${rule.rule} is not written: ${problem ?? 'invalid'}`, 'fix the rule (topolab validate names the problem), then export again');
    return undefined;
  }
  const cidrKey = cidr.block.version === 6 ? 'ipv6_cidr_block' : 'cidr_block';
  if (rule.protocol === 'all') return { protocol: '-1', icmp: false, cidrKey };
  // Every ICMP type and code; ICMPv6 (protocol 58) for an IPv6 block.
  if (rule.protocol === 'icmp') return { protocol: cidr.block.version === 6 ? '58' : 'icmp', icmp: true, cidrKey };
  const ports = safeParsePorts(rule.ports as string);
  return ports.ok ? { protocol: rule.protocol, ports: [ports.range.from, ports.range.to], icmp: false, cidrKey } : undefined;
}
