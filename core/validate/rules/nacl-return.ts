import { LINUX_EPHEMERAL } from '../../model/kinds/index.js';
import type { NetworkAclNode } from '../../model/types.js';
import { evaluateNetworkAcl, type Packet } from '../../routing/filters/evaluate.js';
import { formatPorts, portsOverlap } from '../../model/ports.js';
import { compileAclRules, type CompiledAclRule, type FilterDirection } from '../../routing/filters/rules.js';
import { describeAclRule } from '../../routing/filters/words.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * nacl-return-missing (warning): a network ACL lets requests in (or out) but nothing lets
 * their replies back out (or in). ACLs are stateless, so an inbound allow rule for tcp 443
 * from 10.0.1.0/24 needs an outbound rule letting tcp to 10.0.1.0/24 on the sender's
 * ephemeral ports. Checked for every allow rule that is a request (any protocol but tcp or
 * udp rules on ephemeral ports, which are replies themselves), for the first address of its
 * block and the ports every sender uses (32768-60999, inside every ephemeral range).
 */
export const naclReturnRule: ValidationRule = {
  name: 'nacl-return',
  codes: ['nacl-return-missing'],
  check(context, report) {
    for (const acl of context.index.ofKind('network-acl')) {
      for (const direction of ['inbound', 'outbound'] as const) {
        const back: FilterDirection = direction === 'inbound' ? 'outbound' : 'inbound';
        const reverse = compileAclRules(acl.id, back, acl[back]);
        for (const rule of compileAclRules(acl.id, direction, acl[direction])) {
          if (rule.action !== 'allow' || !isRequest(rule)) continue;
          const missing = replyRefused(rule, reverse, back);
          if (missing === undefined) continue;
          report({
            code: 'nacl-return-missing',
            severity: 'warning',
            message: `Network ACL ${nameOf(context, acl.id)}: ${describeAclRule(rule)} lets requests ${direction === 'inbound' ? 'in' : 'out'}, but ${missing}; ACLs are stateless, so the replies need a rule of their own ${back === 'outbound' ? 'out' : 'in'}${rule.protocol === 'icmp' ? '' : " on the senders' ephemeral ports (1024-65535 covers every sender)"}`,
            nodeIds: [acl.id],
            path: context.index.pathOf(acl.id, direction, indexOf(acl, direction, rule)),
          });
        }
      }
    }
  },
};

/** A rule for requests: tcp or udp to ports outside the ephemeral range, or icmp or any protocol. */
function isRequest(rule: CompiledAclRule): boolean {
  return rule.ports === undefined || !portsOverlap(rule.ports, LINUX_EPHEMERAL);
}

/** Why the replies of requests this rule allows are refused the other way, or `undefined` when they pass. */
function replyRefused(rule: CompiledAclRule, reverse: readonly CompiledAclRule[], back: FilterDirection): string | undefined {
  const peer = { version: rule.block.version, value: rule.block.first };
  const protocol = rule.protocol === 'all' ? 'tcp' : rule.protocol;
  const reply: Packet = {
    protocol,
    source: back === 'inbound' ? peer : undefined,
    destination: back === 'outbound' ? peer : undefined,
    ports: protocol === 'icmp' ? undefined : LINUX_EPHEMERAL,
  };
  const verdict = evaluateNetworkAcl(reverse, back, reply);
  if (verdict.allowed) return undefined;
  const what = `${protocol}${protocol === 'icmp' ? '' : ` ports ${formatPorts(LINUX_EPHEMERAL)}`} ${back === 'outbound' ? 'to' : 'from'} ${peerText(rule)}`;
  return verdict.rule ? `${back} ${describeAclRule(verdict.rule)} denies the replies (${what})` : `no ${back} rule allows the replies (${what})`;
}

function peerText(rule: CompiledAclRule): string {
  return rule.rule.cidr;
}

/** The rule's index in the file (compiled rules are sorted by number). */
function indexOf(acl: NetworkAclNode, direction: FilterDirection, rule: CompiledAclRule): number {
  return acl[direction].indexOf(rule.rule);
}
