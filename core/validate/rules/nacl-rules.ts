import { safeParseCidr } from '../../cidr/block.js';
import type { NetworkAclNode } from '../../model/types.js';
import { NACL_RULE_NUMBERS, rulePortsProblem } from '../../routing/filters/rules.js';
import type { ValidationContext } from '../context.js';
import { nameOf, type Report, type ValidationRule } from './rule.js';

/**
 * The rules of every network ACL.
 * nacl-rule-invalid: a rule number outside 1-32766, ports missing, refused or not a range,
 * a CIDR that does not parse (host bits come with the fix).
 * nacl-rule-duplicate: one rule number twice in one direction (AWS keys rules by number).
 * nacl-quota: more rules in one direction than the provider's default quota (AWS: 20,
 * a warning) or than it allows at all (AWS: 40, an error).
 */
export const naclRulesRule: ValidationRule = {
  name: 'nacl-rules',
  codes: ['nacl-rule-invalid', 'nacl-rule-duplicate', 'nacl-quota'],
  check(context, report) {
    for (const acl of context.index.ofKind('network-acl')) {
      for (const direction of ['inbound', 'outbound'] as const) checkDirection(context, acl, direction, report);
    }
  },
};

function checkDirection(context: ValidationContext, acl: NetworkAclNode, direction: 'inbound' | 'outbound', report: Report): void {
  const { index } = context;
  const rules = acl[direction];
  const where = `Network ACL ${nameOf(context, acl.id)}`;
  const seen = new Map<number, number>();
  rules.forEach((rule, j) => {
    const at = `${where}, rule ${direction}[${j}]`;
    const invalid = (field: string, problem: string, fix?: string): void =>
      report({
        code: 'nacl-rule-invalid',
        severity: 'error',
        message: `${at}: ${problem}`,
        nodeIds: [acl.id],
        path: index.pathOf(acl.id, direction, j, field),
        ...(fix ? { fix: { title: `Use ${fix}`, nodeId: acl.id, field: `${direction}[${j}].${field}`, value: fix } } : {}),
      });
    if (rule.rule < NACL_RULE_NUMBERS.min || rule.rule > NACL_RULE_NUMBERS.max) {
      invalid('rule', `rule number ${rule.rule} is out of range: ACL rules are numbered ${NACL_RULE_NUMBERS.min} to ${NACL_RULE_NUMBERS.max} (32767 is the final deny, *)`);
    } else {
      const first = seen.get(rule.rule);
      if (first !== undefined) {
        report({
          code: 'nacl-rule-duplicate',
          severity: 'error',
          message: `${where} has two ${direction} rules numbered ${rule.rule} (${direction}[${first}] and ${direction}[${j}]); a number identifies one rule and decides its place in the order: renumber one`,
          nodeIds: [acl.id],
          path: index.pathOf(acl.id, direction, j, 'rule'),
        });
      } else seen.set(rule.rule, j);
    }
    const portsProblem = rulePortsProblem(rule.protocol, rule.ports);
    if (portsProblem !== undefined) invalid(rule.ports === undefined ? 'protocol' : 'ports', portsProblem);
    const cidr = safeParseCidr(rule.cidr);
    if (!cidr.ok) invalid('cidr', `cidr: ${cidr.problem.message}`, cidr.problem.fix);
  });
  const quotas = context.profile.filterQuotas;
  if (!quotas || rules.length <= quotas.aclRulesWarn) return;
  const over = rules.length > quotas.aclRulesMax;
  report({
    code: 'nacl-quota',
    severity: over ? 'error' : 'warning',
    message: over
      ? `${where} has ${rules.length} ${direction} rules; ${context.profile.label} allows at most ${quotas.aclRulesMax} per direction in a network ACL, even with a quota increase`
      : `${where} has ${rules.length} ${direction} rules; ${context.profile.label}'s default quota is ${quotas.aclRulesWarn} per direction (up to ${quotas.aclRulesMax} on request), and AWS notes that more rules can cost network performance`,
    nodeIds: [acl.id],
    path: index.pathOf(acl.id, direction, over ? quotas.aclRulesMax : quotas.aclRulesWarn),
  });
}
