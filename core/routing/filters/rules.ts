import type { IpAddress } from '../../cidr/address.js';
import { containsAddress, safeParseCidr, type CidrBlock } from '../../cidr/block.js';
import { isCidrPeer } from '../../model/kinds/filters.js';
import type { FilterProtocol, NaclRule, SgInboundRule, SgOutboundRule } from '../../model/types.js';
import { safeParsePorts, type PortRange } from '../../model/ports.js';

/** The protocols a flow uses (a rule may also say `all`). */
export type TrafficProtocol = 'tcp' | 'udp' | 'icmp';

/** Which way traffic crosses a filter, seen from the node or subnet it guards. */
export type FilterDirection = 'inbound' | 'outbound';

/** Rule numbers of a network ACL: 1 to 32766 (32767 is AWS's final deny, `*`). */
export const NACL_RULE_NUMBERS = { min: 1, max: 32766 } as const;

/**
 * Why a rule's protocol and ports do not go together, or `undefined` when they do: tcp and
 * udp need `ports`; icmp and `all` cover every port and refuse them.
 */
export function rulePortsProblem(protocol: FilterProtocol, ports: string | undefined): string | undefined {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (ports === undefined) return `${protocol} rules need "ports" ("443" or "1024-65535")`;
    const parsed = safeParsePorts(ports);
    return parsed.ok ? undefined : parsed.problem;
  }
  if (ports !== undefined) return `"ports" is refused for ${protocol === 'all' ? 'protocol "all", which covers every port' : 'icmp, which has no ports (an icmp rule covers every ICMP type)'}`;
  return undefined;
}

/** What a rule matches besides its peer: a protocol and, for tcp and udp, ports. */
export interface RuleMatch {
  protocol: FilterProtocol;
  /** The ports for tcp and udp; `undefined` for icmp and `all`, which cover every port. */
  ports: PortRange | undefined;
}

/** A security group rule's peer: a block, or a group standing for its members' private addresses. */
export type SgPeer =
  | { kind: 'cidr'; block: CidrBlock }
  | {
      kind: 'group';
      groupId: string;
      /**
       * Why AWS would refuse the reference (an unknown id, a group of an unpeered VPC or of
       * a peer in another region), so it matches nothing; `undefined` when it is usable.
       */
      refused: string | undefined;
    };

/** One security group rule, checked and parsed, with where it sits in the file. */
export interface CompiledSgRule extends RuleMatch {
  groupId: string;
  direction: FilterDirection;
  /** Its index in the group's `inbound` or `outbound`. */
  index: number;
  peer: SgPeer;
  rule: SgInboundRule | SgOutboundRule;
}

/** One network ACL rule, checked and parsed. */
export interface CompiledAclRule extends RuleMatch {
  aclId: string;
  direction: FilterDirection;
  number: number;
  action: 'allow' | 'deny';
  block: CidrBlock;
  rule: NaclRule;
}

/** The peer text of a security group rule: `source` inbound, `destination` outbound. */
export function sgPeerText(rule: SgInboundRule | SgOutboundRule): string {
  return 'source' in rule ? rule.source : rule.destination;
}

/**
 * A security group rule ready for evaluation, or `undefined` when it is invalid (bad ports
 * or CIDR: the validator reports it as `sg-rule-invalid`, and it allows nothing).
 * `refusal` says why a group reference cannot be used (see `SgPeer`).
 */
export function compileSgRule(
  groupId: string,
  direction: FilterDirection,
  index: number,
  rule: SgInboundRule | SgOutboundRule,
  refusal: (groupId: string) => string | undefined,
): CompiledSgRule | undefined {
  const match = compileMatch(rule.protocol, rule.ports);
  if (!match) return undefined;
  const text = sgPeerText(rule);
  let peer: SgPeer;
  if (isCidrPeer(text)) {
    const parsed = safeParseCidr(text);
    if (!parsed.ok) return undefined;
    peer = { kind: 'cidr', block: parsed.block };
  } else {
    peer = { kind: 'group', groupId: text, refused: refusal(text) };
  }
  return { ...match, groupId, direction, index, peer, rule };
}

/** A network ACL rule ready for evaluation, or `undefined` when it is invalid (`nacl-rule-invalid`: it matches nothing). */
export function compileAclRule(aclId: string, direction: FilterDirection, rule: NaclRule): CompiledAclRule | undefined {
  if (!Number.isInteger(rule.rule) || rule.rule < NACL_RULE_NUMBERS.min || rule.rule > NACL_RULE_NUMBERS.max) return undefined;
  const match = compileMatch(rule.protocol, rule.ports);
  const parsed = safeParseCidr(rule.cidr);
  if (!match || !parsed.ok) return undefined;
  return { ...match, aclId, direction, number: rule.rule, action: rule.action, block: parsed.block, rule };
}

/** An ACL's rules of one direction, compiled and sorted by number (file order breaks ties, which the validator refuses). */
export function compileAclRules(aclId: string, direction: FilterDirection, rules: readonly NaclRule[]): CompiledAclRule[] {
  return rules.flatMap((rule) => compileAclRule(aclId, direction, rule) ?? []).sort((a, b) => a.number - b.number);
}

function compileMatch(protocol: FilterProtocol, ports: string | undefined): RuleMatch | undefined {
  if (rulePortsProblem(protocol, ports) !== undefined) return undefined;
  if (protocol === 'tcp' || protocol === 'udp') {
    const parsed = safeParsePorts(ports as string);
    return parsed.ok ? { protocol, ports: parsed.range } : undefined;
  }
  return { protocol, ports: undefined };
}

/** Whether a rule's protocol takes traffic of this protocol. */
export function protocolMatches(rule: RuleMatch, protocol: TrafficProtocol): boolean {
  return rule.protocol === 'all' || rule.protocol === protocol;
}

/**
 * Whether a block contains an address. An unknown address (an internet client without an
 * `ip`) is inside only the blocks that hold every address: `0.0.0.0/0` and `::/0`.
 */
export function blockHolds(block: CidrBlock, address: IpAddress | undefined): boolean {
  if (address === undefined) return block.prefix === 0;
  return block.version === address.version && containsAddress(block, address);
}
