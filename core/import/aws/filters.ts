import type { SgPermission } from '../inventory.js';
import type { AwsReadState } from './common.js';
import { eachItem, firstTime, tagRecord } from './common.js';
import { NetworkAclShape, SecurityGroupRuleShape, SecurityGroupShape, type PermissionShape } from './shapes.js';
import type { z } from 'zod';

/** Security groups and network ACLs: describe-security-groups, -security-group-rules, -network-acls. */

function permission(p: z.output<typeof PermissionShape>): SgPermission {
  const descriptions = [...p.IpRanges, ...p.Ipv6Ranges, ...p.UserIdGroupPairs, ...p.PrefixListIds].map((r) => r.Description).filter((d): d is string => !!d);
  return {
    protocol: p.IpProtocol,
    ...(p.FromPort !== undefined ? { from: p.FromPort } : {}),
    ...(p.ToPort !== undefined ? { to: p.ToPort } : {}),
    cidrs: [...p.IpRanges.map((r) => r.CidrIp), ...p.Ipv6Ranges.map((r) => r.CidrIpv6)],
    groups: p.UserIdGroupPairs.map((g) => g.GroupId),
    prefixLists: p.PrefixListIds.map((l) => l.PrefixListId),
    ...(descriptions[0] !== undefined ? { description: descriptions[0] } : {}),
  };
}

/** `SecurityGroups`: each group with its permissions; the group named `default` is the VPC's default. */
export function readSecurityGroups(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'SecurityGroups', file, SecurityGroupShape, (group) => {
    if (!firstTime(state, 'sg', group.GroupId)) return;
    state.inventory.securityGroups.push({
      id: group.GroupId,
      vpcId: group.VpcId,
      ...(group.GroupName !== undefined ? { groupName: group.GroupName } : {}),
      ...(group.Description !== undefined ? { description: group.Description } : {}),
      isDefault: group.GroupName === 'default',
      inbound: group.IpPermissions.map(permission),
      outbound: group.IpPermissionsEgress.map(permission),
      tags: tagRecord(group.Tags),
    });
  });
}

/**
 * `SecurityGroupRules`: one rule each, added to its group (read after `SecurityGroups`,
 * whatever the order of the files). A rule the group already has is not added twice.
 */
export function readSecurityGroupRules(top: Record<string, unknown>, file: string, state: AwsReadState, pending: z.output<typeof SecurityGroupRuleShape>[]): void {
  eachItem(top, 'SecurityGroupRules', file, SecurityGroupRuleShape, (rule) => {
    if (rule.SecurityGroupRuleId !== undefined && !firstTime(state, 'sgr', rule.SecurityGroupRuleId)) return;
    pending.push(rule);
  });
}

/** Adds the rules of describe-security-group-rules to the groups read. */
export function mergeSecurityGroupRules(state: AwsReadState, rules: readonly z.output<typeof SecurityGroupRuleShape>[]): void {
  const groups = new Map(state.inventory.securityGroups.map((g) => [g.id, g]));
  for (const rule of rules) {
    const group = groups.get(rule.GroupId);
    if (!group) {
      state.inventory.ignored.push({ type: 'SecurityGroupRule', id: rule.SecurityGroupRuleId ?? rule.GroupId, reason: `its group ${rule.GroupId} is not in a SecurityGroups file (its VPC is unknown)` });
      continue;
    }
    const entry: SgPermission = {
      protocol: rule.IpProtocol,
      ...(rule.FromPort !== undefined ? { from: rule.FromPort } : {}),
      ...(rule.ToPort !== undefined ? { to: rule.ToPort } : {}),
      cidrs: [rule.CidrIpv4, rule.CidrIpv6].filter((c): c is string => c !== undefined),
      groups: rule.ReferencedGroupInfo ? [rule.ReferencedGroupInfo.GroupId] : [],
      prefixLists: rule.PrefixListId ? [rule.PrefixListId] : [],
      ...(rule.Description ? { description: rule.Description } : {}),
    };
    const list = rule.IsEgress ? group.outbound : group.inbound;
    const key = permissionKey(entry);
    if (!list.some((p) => permissionKey(p) === key || coveredBy(entry, p))) list.push(entry);
  }
}

function permissionKey(p: SgPermission): string {
  return JSON.stringify([p.protocol, p.from, p.to, [...p.cidrs].sort(), [...p.groups].sort(), [...p.prefixLists].sort()]);
}

/** Whether a one-peer rule is one of the peers of a permission of the same protocol and ports. */
function coveredBy(rule: SgPermission, p: SgPermission): boolean {
  if (rule.protocol !== p.protocol || rule.from !== p.from || rule.to !== p.to) return false;
  return rule.cidrs.every((c) => p.cidrs.includes(c)) && rule.groups.every((g) => p.groups.includes(g)) && rule.prefixLists.every((l) => p.prefixLists.includes(l));
}

/** `NetworkAcls`: entries and subnet associations; `IsDefault` marks the VPC's default ACL. */
export function readNetworkAcls(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'NetworkAcls', file, NetworkAclShape, (acl) => {
    if (!firstTime(state, 'acl', acl.NetworkAclId)) return;
    state.inventory.networkAcls.push({
      id: acl.NetworkAclId,
      vpcId: acl.VpcId,
      isDefault: acl.IsDefault,
      subnets: acl.Associations.map((a) => a.SubnetId),
      entries: acl.Entries.map((e) => ({
        rule: e.RuleNumber,
        egress: e.Egress,
        protocol: e.Protocol,
        action: e.RuleAction,
        cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? '',
        ...(e.PortRange?.From !== undefined ? { from: e.PortRange.From } : {}),
        ...(e.PortRange?.To !== undefined ? { to: e.PortRange.To } : {}),
        ...(e.IcmpTypeCode?.Type !== undefined ? { icmpType: e.IcmpTypeCode.Type } : {}),
      })),
      tags: tagRecord(acl.Tags),
    });
  });
}
