import { safeParseCidr } from '../../cidr/block.js';
import { isCidrPeer } from '../../model/kinds/index.js';
import type { SecurityGroupNode } from '../../model/types.js';
import { FilterSet } from '../../routing/filters/resolve.js';
import { rulePortsProblem, sgPeerText } from '../../routing/filters/rules.js';
import type { ValidationContext } from '../context.js';
import { nameOf, type Report, type ValidationRule } from './rule.js';

/**
 * The rules of every security group.
 * sg-rule-invalid: ports missing (tcp, udp), refused (icmp, all) or not a port range; a
 * CIDR peer that does not parse (host bits come with the fix).
 * sg-reference-invalid: a rule naming a group that does not exist, is not a group, or is
 * in a VPC that is neither the group's own nor peered with it in the same region.
 * sg-quota: more rules in one direction than the provider allows (AWS: 60).
 */
export const sgRulesRule: ValidationRule = {
  name: 'sg-rules',
  codes: ['sg-rule-invalid', 'sg-reference-invalid', 'sg-quota'],
  check(context, report) {
    const groups = context.index.ofKind('security-group');
    if (groups.length === 0) return;
    const filters = new FilterSet(context.index, context.addresses, () => new Map());
    for (const group of groups) {
      for (const direction of ['inbound', 'outbound'] as const) checkDirection(context, filters, group, direction, report);
    }
  },
};

function checkDirection(context: ValidationContext, filters: FilterSet, group: SecurityGroupNode, direction: 'inbound' | 'outbound', report: Report): void {
  const { index } = context;
  const rules = group[direction];
  const peerField = direction === 'inbound' ? 'source' : 'destination';
  const where = `Security group ${nameOf(context, group.id)}`;
  rules.forEach((rule, j) => {
    const portsProblem = rulePortsProblem(rule.protocol, rule.ports);
    if (portsProblem !== undefined) {
      report({
        code: 'sg-rule-invalid',
        severity: 'error',
        message: `${where}, rule ${direction}[${j}]: ${portsProblem}`,
        nodeIds: [group.id],
        path: index.pathOf(group.id, direction, j, rule.ports === undefined ? 'protocol' : 'ports'),
      });
    }
    const peer = sgPeerText(rule);
    if (isCidrPeer(peer)) {
      const parsed = safeParseCidr(peer);
      if (parsed.ok) return;
      const fix = parsed.problem.fix;
      report({
        code: 'sg-rule-invalid',
        severity: 'error',
        message: `${where}, rule ${direction}[${j}], ${peerField}: ${parsed.problem.message}`,
        nodeIds: [group.id],
        path: index.pathOf(group.id, direction, j, peerField),
        ...(fix ? { fix: { title: `Use ${fix}`, nodeId: group.id, field: `${direction}[${j}].${peerField}`, value: fix } } : {}),
      });
      return;
    }
    const problem = filters.referenceProblem(group, peer);
    if (problem === undefined) return;
    const target = index.node(peer);
    report({
      code: 'sg-reference-invalid',
      severity: 'error',
      message: `${where}, rule ${direction}[${j}], ${peerField}: ${problem}`,
      nodeIds: target ? [group.id, peer] : [group.id],
      path: index.pathOf(group.id, direction, j, peerField),
    });
  });
  const quota = context.profile.filterQuotas?.sgRulesPerDirection;
  if (quota !== undefined && rules.length > quota) {
    report({
      code: 'sg-quota',
      severity: 'error',
      message: `${where} has ${rules.length} ${direction} rules; ${context.profile.label} allows at most ${quota} per direction in a security group: merge rules (one CIDR or group per rule, ranges of ports) or split the group`,
      nodeIds: [group.id],
      path: index.pathOf(group.id, direction, quota),
    });
  }
}
