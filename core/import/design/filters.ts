import type { FilterProtocol, NaclRule, SgInboundRule, SgOutboundRule } from '../../model/types.js';
import type { AclEntry, SgPermission } from '../inventory.js';
import { type DesignBuilder, nameAndTags } from './context.js';

/** Security groups (one rule per peer) and network ACLs (without AWS's final `*` deny). */

/** AWS's protocol names and numbers, as the format says them; `undefined` when it cannot. */
export function filterProtocol(protocol: string): FilterProtocol | undefined {
  switch (protocol.toLowerCase()) {
    case '-1':
    case 'all':
      return 'all';
    case 'tcp':
    case '6':
      return 'tcp';
    case 'udp':
    case '17':
      return 'udp';
    case 'icmp':
    case '1':
    case 'icmpv6':
    case '58':
      return 'icmp';
    default:
      return undefined;
  }
}

/** A tcp/udp port range as the format writes it; a missing or `-1` bound is the whole range ("All TCP" is 0-65535). */
export function portsText(from: number | undefined, to: number | undefined): string {
  const low = from === undefined || from < 0 ? 0 : from;
  const high = to === undefined || to < 0 ? 65535 : to;
  return low === high ? String(low) : `${low}-${high}`;
}

/** What a permission matches besides its peer, or why the format cannot say it. */
function ruleMatch(p: { protocol: string; from?: number; to?: number }, icmpType?: number): { protocol: FilterProtocol; ports?: string } | string {
  const protocol = filterProtocol(p.protocol);
  if (protocol === undefined) return `protocol ${p.protocol}: the format has tcp, udp, icmp and all`;
  if (protocol === 'tcp' || protocol === 'udp') return { protocol, ports: portsText(p.from, p.to) };
  const type = icmpType ?? p.from;
  if (protocol === 'icmp' && type !== undefined && type !== -1) return `ICMP type ${type} only: the format's icmp rules cover every ICMP type`;
  return { protocol };
}

function splitPermission(b: DesignBuilder, groupId: string, direction: 'inbound' | 'outbound', p: SgPermission, index: number): (SgInboundRule | SgOutboundRule)[] {
  const where = `${groupId} ${direction}[${index}]`;
  const match = ruleMatch(p);
  if (typeof match === 'string') {
    b.ignore('SecurityGroupRule', where, match);
    return [];
  }
  const peerField = direction === 'inbound' ? 'source' : 'destination';
  const description = p.description !== undefined ? { description: p.description.slice(0, 255) } : {};
  const out: (SgInboundRule | SgOutboundRule)[] = [];
  const peers = [...p.cidrs, ...p.groups.filter((g) => {
    if (b.inventory.securityGroups.some((sg) => sg.id === g)) return true;
    b.ignore('SecurityGroupRule', `${where} ${g}`, `names security group ${g}, which is not in the imported files`);
    return false;
  })];
  for (const list of p.prefixLists) b.ignore('SecurityGroupRule', `${where} ${list}`, 'names a prefix list: the format has no prefix lists');
  for (const peer of peers) out.push({ protocol: match.protocol, ...(match.ports !== undefined ? { ports: match.ports } : {}), [peerField]: peer, ...description } as SgInboundRule | SgOutboundRule);
  return out;
}

export function buildSecurityGroups(b: DesignBuilder): void {
  for (const group of b.inventory.securityGroups) {
    if (!b.has(group.vpcId, 'vpc')) {
      b.ignore('SecurityGroup', group.id, `its VPC ${group.vpcId} is not in the imported files`);
      continue;
    }
    const named = nameAndTags(group.tags);
    b.add(
      {
        id: group.id,
        kind: 'security-group',
        parent: group.vpcId,
        ...named,
        ...(named.name === undefined && group.groupName !== undefined ? { name: group.groupName.slice(0, 200) } : {}),
        ...(group.description ? { description: group.description.slice(0, 2000) } : {}),
        ...(group.isDefault ? { default: true } : {}),
        inbound: group.inbound.flatMap((p, i) => splitPermission(b, group.id, 'inbound', p, i)) as SgInboundRule[],
        outbound: group.outbound.flatMap((p, i) => splitPermission(b, group.id, 'outbound', p, i)) as SgOutboundRule[],
      },
      'SecurityGroup',
    );
  }
}

function aclRule(b: DesignBuilder, aclId: string, entry: AclEntry): NaclRule | undefined {
  // AWS's final rule `*` (32767) denies what no rule matched: the format's end of list does the same.
  if (entry.rule === 32767) return undefined;
  const where = `${aclId} ${entry.egress ? 'egress' : 'ingress'} ${entry.rule}`;
  if (entry.rule < 1 || entry.rule > 32766) {
    b.ignore('NetworkAclEntry', where, 'rule numbers run from 1 to 32766');
    return undefined;
  }
  const match = ruleMatch({ protocol: entry.protocol, ...(entry.from !== undefined ? { from: entry.from } : {}), ...(entry.to !== undefined ? { to: entry.to } : {}) }, entry.icmpType ?? -1);
  if (typeof match === 'string' || entry.cidr === '' || (entry.action !== 'allow' && entry.action !== 'deny')) {
    b.ignore('NetworkAclEntry', where, typeof match === 'string' ? match : entry.cidr === '' ? 'no CIDR block' : `action "${entry.action}"`);
    return undefined;
  }
  return { rule: entry.rule, action: entry.action, protocol: match.protocol, ...(match.ports !== undefined ? { ports: match.ports } : {}), cidr: entry.cidr };
}

export function buildNetworkAcls(b: DesignBuilder): void {
  for (const acl of b.inventory.networkAcls) {
    if (!b.has(acl.vpcId, 'vpc')) {
      b.ignore('NetworkAcl', acl.id, `its VPC ${acl.vpcId} is not in the imported files`);
      continue;
    }
    const rules = (egress: boolean) =>
      acl.entries
        .filter((e) => e.egress === egress)
        .sort((x, y) => x.rule - y.rule)
        .map((e) => aclRule(b, acl.id, e))
        .filter((r): r is NaclRule => r !== undefined);
    b.add(
      {
        id: acl.id,
        kind: 'network-acl',
        parent: acl.vpcId,
        ...nameAndTags(acl.tags),
        ...(acl.isDefault ? { default: true } : {}),
        subnets: [...new Set(acl.subnets)].filter((s) => b.has(s, 'subnet')),
        inbound: rules(false),
        outbound: rules(true),
      },
      'NetworkAcl',
    );
  }
}
