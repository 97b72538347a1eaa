import { safeParseIp } from '../../../cidr/address.js';
import { formatCidr, type CidrBlock } from '../../../cidr/block.js';
import { KIND_TRAITS } from '../../../model/kinds/index.js';
import type { TopologyIndex } from '../../../model/queries.js';
import type { CompiledAclRule, CompiledSgRule, FilterSet, RuleMatch } from '../../../routing/filters/index.js';
import { familyOf } from './addressing.js';
import type { HostSite, PlanContext, SubnetSite } from './context.js';

/**
 * Security groups and network ACLs as nftables rulesets, read from the same compiled rules
 * trace evaluates (core/routing/filters):
 *
 * - a node's security groups: a stateful `inet topolab-sg` table in its own namespace.
 *   Input and output drop what no rule allows; conntrack lets every reply through
 *   (`ct state established,related`), as AWS's groups do. A node that forwards as a router
 *   (an instance a route targets) judges forwarded traffic by its inbound rules (the
 *   source) and then its outbound rules (the destination), as trace does.
 * - a subnet's network ACL: a stateless `inet topolab-acl` table on its VPC's router, in
 *   the forward chain, keyed by the subnet's bridge: traffic leaving the subnet goes through
 *   the outbound rules, traffic entering it through the inbound rules, each in rule-number
 *   order, first match decides, no match drops. Replies are judged like any packet (to the
 *   initiator's ephemeral port: each namespace's range is the one trace assumes). Traffic
 *   from a bridge back to the same bridge stays inside the subnet: no ACL applies.
 *
 * Neighbour discovery (ICMPv6) is never filtered: it is how a link works, not traffic a
 * group or an ACL judges in AWS.
 */

/** ICMPv6 types of neighbour discovery. */
const NEIGHBOUR_DISCOVERY = 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept';

/** What the rules of a security group stand for: the private addresses of each group's members. */
export type GroupMembers = (groupId: string) => readonly string[];

/** The members of every group, as addresses of the lab's hosts (nodes and auto-scaling instances). */
export function groupMembers(filters: FilterSet, ctx: PlanContext): GroupMembers {
  const cache = new Map<string, string[]>();
  return (groupId) => {
    let list = cache.get(groupId);
    if (!list) {
      list = [];
      for (const host of ctx.hosts.values()) {
        if (host.link) continue; // internet clients are in no group
        const ip = safeParseIp(host.ip);
        if (ip && filters.isMember(groupId, ip)) list.push(host.ip);
      }
      cache.set(groupId, list);
    }
    return list;
  };
}

/** The security group table of a host's namespace, or `undefined` when no group filters it. */
export function securityGroupTable(host: HostSite, index: TopologyIndex, filters: FilterSet, members: GroupMembers, forwards: boolean, resolver?: string): string | undefined {
  if (host.link) return undefined;
  const node = index.node(host.nodeId);
  if (!node || !KIND_TRAITS[node.kind].securityGroups) return undefined;
  const groups = filters.groupsOf(node);
  if (groups === undefined) return undefined;
  const inbound = filters.rulesOf(groups, 'inbound').flatMap((rule) => sgMatches(rule, 'saddr', members));
  const outbound = filters.rulesOf(groups, 'outbound').flatMap((rule) => sgMatches(rule, 'daddr', members));
  const head = (hook: string, lo: string): string[] => [
    `  chain ${hook} {`,
    `    type filter hook ${hook} priority filter; policy drop;`,
    ...(lo ? [`    ${lo} accept`] : []),
    '    ct state established,related accept',
    `    ${NEIGHBOUR_DISCOVERY}`,
  ];
  const lines = ['table inet topolab-sg {'];
  lines.push(...head('input', 'iif "lo"'), ...inbound.map((m) => `    ${m} accept`), '  }');
  // AWS's groups never filter traffic to the VPC's DNS server (base + 2, an address AWS reserves).
  const dns = resolver ? [`    ip daddr ${resolver} meta l4proto { udp, tcp } th dport 53 accept`] : [];
  lines.push(...head('output', 'oif "lo"'), ...dns, ...outbound.map((m) => `    ${m} accept`), '  }');
  if (forwards) {
    // Forwarded: the inbound rules let it in (then on to the outbound rules), else it is dropped.
    lines.push(...head('forward', ''), '    jump forwarded-in', '  }');
    lines.push('  chain forwarded-in {', ...inbound.map((m) => `    ${m} goto forwarded-out`), '    drop', '  }');
    lines.push('  chain forwarded-out {', ...outbound.map((m) => `    ${m} accept`), '    drop', '  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * The network ACL table of a VPC's router, or `undefined` when no subnet of it has an ACL.
 * `subnets` are the VPC's subnets, with their bridges.
 */
export function networkAclTable(subnets: readonly SubnetSite[], index: TopologyIndex, filters: FilterSet): string | undefined {
  const chains: string[] = [];
  const leaving: string[] = [];
  const entering: string[] = [];
  subnets.forEach((site, k) => {
    const subnet = index.nodeOfKind(site.id, 'subnet');
    const acl = subnet ? filters.aclOf(subnet) : undefined;
    if (!acl) return;
    const name = (direction: string): string => `${direction}-${k}`;
    for (const direction of ['outbound', 'inbound'] as const) {
      const lines = filters.aclRules(acl, direction).flatMap((rule) => aclLines(rule, direction === 'inbound' ? 'saddr' : 'daddr'));
      chains.push(`  chain ${name(direction)} {`, `    # ${direction} rules of network ACL ${JSON.stringify(acl.id)} at subnet ${JSON.stringify(site.id)}, lowest number first`, ...lines.map((l) => `    ${l}`), '    drop', '  }');
    }
    leaving.push(`"${site.bridge}" : jump ${name('outbound')}`);
    entering.push(`"${site.bridge}" : jump ${name('inbound')}`);
  });
  if (leaving.length === 0) return undefined;
  const lines = [
    'table inet topolab-acl {',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    ...subnets.map((s) => `    iifname "${s.bridge}" oifname "${s.bridge}" accept`),
    `    iifname vmap { ${leaving.join(', ')} }`,
    `    oifname vmap { ${entering.join(', ')} }`,
    '  }',
    ...chains,
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** The nft matches of one security group rule (one per address family it covers); none when it matches nothing. */
function sgMatches(rule: CompiledSgRule, field: 'saddr' | 'daddr', members: GroupMembers): string[] {
  if (rule.peer.kind === 'cidr') return [`${peerMatch(rule.peer.block, field)}${protocolMatch(rule, rule.peer.block.version)}`];
  // A reference AWS would refuse (an unpeered VPC's group, another region) matches nothing.
  if (rule.peer.refused !== undefined) return [];
  const addresses = members(rule.peer.groupId);
  return ([4, 6] as const).flatMap((family) => {
    const mine = addresses.filter((a) => familyOf(a) === family);
    if (mine.length === 0) return [];
    return [`${family === 4 ? 'ip' : 'ip6'} ${field} { ${mine.join(', ')} }${protocolMatch(rule, family)}`];
  });
}

/** One ACL rule as an nft rule: an allow returns to the forward chain (the other subnet's ACL may still judge), a deny drops. */
function aclLines(rule: CompiledAclRule, field: 'saddr' | 'daddr'): string[] {
  return [`${peerMatch(rule.block, field)}${protocolMatch(rule, rule.block.version)} ${rule.action === 'allow' ? 'return' : 'drop'} comment "rule ${rule.number}"`];
}

/** `ip saddr 10.0.0.0/16`, or only the address family for `0.0.0.0/0` and `::/0`. */
function peerMatch(block: CidrBlock, field: 'saddr' | 'daddr'): string {
  if (block.prefix === 0) return `meta nfproto ${block.version === 4 ? 'ipv4' : 'ipv6'}`;
  return `${block.version === 4 ? 'ip' : 'ip6'} ${field} ${formatCidr(block)}`;
}

/** ` meta l4proto tcp th dport 80-90`; nothing for `all`. An icmp rule covers ICMP of its family (ICMPv6 for IPv6 peers). */
function protocolMatch(rule: RuleMatch, family: 4 | 6): string {
  if (rule.protocol === 'all') return '';
  if (rule.protocol === 'icmp') return ` meta l4proto ${family === 4 ? 'icmp' : 'ipv6-icmp'}`;
  const ports = rule.ports ? (rule.ports.from === rule.ports.to ? ` th dport ${rule.ports.from}` : ` th dport ${rule.ports.from}-${rule.ports.to}`) : '';
  return ` meta l4proto ${rule.protocol}${ports}`;
}
