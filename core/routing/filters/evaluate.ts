import type { IpAddress } from '../../cidr/address.js';
import { ALL_PORTS, intersectPorts, subtractPorts, type PortRange } from '../../model/ports.js';
import { blockHolds, protocolMatches, type CompiledAclRule, type CompiledSgRule, type FilterDirection, type TrafficProtocol } from './rules.js';

/**
 * The packets a filter judges, and the two evaluations AWS documents: security groups
 * (stateful, allow rules only, the union of every group of a node) and network ACLs
 * (stateless, numbered rules, lowest first, first match wins, no match denies). Pure: the
 * trace, the live lab's gate and the kernel lab's differential test all call these.
 */

/** What a filter sees of one packet (or of every packet of a reply, when `ports` is a range). */
export interface Packet {
  protocol: TrafficProtocol;
  /** `undefined`: an address the design does not know (an internet client without `ip`). */
  source: IpAddress | undefined;
  destination: IpAddress | undefined;
  /**
   * Destination ports (tcp and udp): one port for a request; a range for the replies to an
   * initiator's ephemeral ports, which pass only if every port of the range does.
   */
  ports: PortRange | undefined;
}

/** The remote end of a packet, as a rule of this direction matches it: the source coming in, the destination going out. */
export function peerOf(packet: Packet, direction: FilterDirection): IpAddress | undefined {
  return direction === 'inbound' ? packet.source : packet.destination;
}

/** What a security group evaluation needs to know besides the rules. */
export interface GroupMembership {
  /** Whether an address is a private address of a member of the group. */
  isMember(groupId: string, address: IpAddress): boolean;
  /**
   * Whether the peer is seen at its private address (same VPC or a peering), as a group
   * reference needs: traffic through an internet gateway or a NAT gateway never matches one.
   */
  privatePath: boolean;
}

/** A security group verdict: the rules that allowed the packet, or why nothing did. */
export type SgVerdict =
  | { allowed: true; matched: CompiledSgRule[] }
  | {
      allowed: false;
      /** Ports (tcp, udp) that no rule allows; empty for icmp or when no rule matched at all. */
      uncovered: PortRange[];
      /** Group references that would have matched but cannot be used (refused, or a public path). */
      nearMisses: { rule: CompiledSgRule; why: string }[];
    };

/**
 * Security groups: the packet passes when rules of the node's groups (one direction, every
 * group together) allow every one of its ports. Allow rules only; no rule, no traffic.
 */
export function evaluateSecurityGroups(rules: readonly CompiledSgRule[], direction: FilterDirection, packet: Packet, membership: GroupMembership): SgVerdict {
  const peer = peerOf(packet, direction);
  const wanted = packet.protocol === 'icmp' ? undefined : (packet.ports ?? ALL_PORTS);
  let open: PortRange[] = wanted ? [wanted] : [];
  const matched: CompiledSgRule[] = [];
  const nearMisses: { rule: CompiledSgRule; why: string }[] = [];
  for (const rule of rules) {
    if (rule.direction !== direction || !protocolMatches(rule, packet.protocol)) continue;
    if (wanted && rule.ports && intersectPorts(open, rule.ports).length === 0) continue;
    const miss = peerMiss(rule, peer, membership);
    if (miss === false) continue;
    if (miss !== true) {
      nearMisses.push({ rule, why: miss });
      continue;
    }
    matched.push(rule);
    if (!wanted) return { allowed: true, matched };
    open = rule.ports ? subtractPorts(open, rule.ports) : [];
    if (open.length === 0) return { allowed: true, matched };
  }
  return { allowed: false, uncovered: matched.length > 0 ? open : wanted ? [wanted] : [], nearMisses };
}

/** `true` when the rule's peer holds the address, `false` when not, or why a group reference cannot match it. */
function peerMiss(rule: CompiledSgRule, peer: IpAddress | undefined, membership: GroupMembership): boolean | string {
  if (rule.peer.kind === 'cidr') return blockHolds(rule.peer.block, peer);
  if (peer === undefined || !membership.isMember(rule.peer.groupId, peer)) return false;
  if (rule.peer.refused !== undefined) return rule.peer.refused;
  if (!membership.privatePath) return 'a group reference matches private addresses only, and this traffic comes through an internet or NAT gateway';
  return true;
}

/** A network ACL verdict: the rules that allowed every port, or the rule that denied (`null`: the final deny). */
export type AclVerdict =
  | { allowed: true; matched: CompiledAclRule[] }
  | {
      allowed: false;
      /** The deny rule that decided first; `null` when no rule matched some port (the final deny, `*`). */
      rule: CompiledAclRule | null;
      /** The ports denied (tcp, udp): by `rule`, or matched by no rule. */
      denied: PortRange[];
      /** Rules that allowed other ports of the range before the denial. */
      matched: CompiledAclRule[];
    };

/**
 * A network ACL, one direction: rules in number order (`rules` sorted, as `compileAclRules`
 * gives them), the first rule matching a port decides it, ports no rule matches are denied.
 * A packet with a range of ports passes only when every port does.
 */
export function evaluateNetworkAcl(rules: readonly CompiledAclRule[], direction: FilterDirection, packet: Packet): AclVerdict {
  const peer = peerOf(packet, direction);
  const wanted = packet.protocol === 'icmp' ? undefined : (packet.ports ?? ALL_PORTS);
  let open: PortRange[] = wanted ? [wanted] : [];
  const matched: CompiledAclRule[] = [];
  for (const rule of rules) {
    if (rule.direction !== direction || !protocolMatches(rule, packet.protocol) || !blockHolds(rule.block, peer)) continue;
    const decided = !wanted || !rule.ports ? open : intersectPorts(open, rule.ports);
    if (wanted && decided.length === 0) continue;
    if (rule.action === 'deny') return { allowed: false, rule, denied: decided, matched };
    matched.push(rule);
    if (!wanted) return { allowed: true, matched };
    open = rule.ports ? subtractPorts(open, rule.ports) : [];
    if (open.length === 0) return { allowed: true, matched };
  }
  return { allowed: false, rule: null, denied: open, matched };
}
