import { terraformNodeId } from '../ids.js';
import type { AclEntry, SgPermission } from '../inventory.js';
import type { TfResource } from './document.js';
import { blocks, bool, link, num, str, strings, tagsOf, type TfReadState, type TfReader } from './common.js';

/**
 * Security groups (inline rules, aws_security_group_rule, aws_vpc_security_group_*_rule,
 * merged) and network ACLs (inline rules, aws_network_acl_rule, associations), with the
 * VPC's default group and ACL when Terraform manages them.
 */

function numberAt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** An inline `ingress`/`egress` block of a security group as a permission. */
function inlinePermission(state: TfReadState, r: TfResource, key: 'ingress' | 'egress', i: number, self: string): SgPermission {
  const block = blocks(r, key)[i] ?? {};
  const groups = state.links.links(r, [key, i, 'security_groups']);
  const from = numberAt(block['from_port']);
  const to = numberAt(block['to_port']);
  const description = typeof block['description'] === 'string' && block['description'] !== '' ? block['description'] : undefined;
  return {
    protocol: String(block['protocol'] ?? '-1'),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    cidrs: [...strings(block['cidr_blocks']), ...strings(block['ipv6_cidr_blocks'])],
    groups: [...groups, ...(block['self'] === true ? [self] : [])],
    prefixLists: strings(block['prefix_list_ids']),
    ...(description !== undefined ? { description } : {}),
  };
}

function readGroup(r: TfResource, state: TfReadState, isDefault: boolean): void {
  const id = terraformNodeId(r.address);
  const vpcId = link(state, r, ['vpc_id']);
  if (vpcId === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: 'its VPC is unknown (a group outside a VPC is not modelled)' });
    return;
  }
  const name = str(r, 'name');
  const description = str(r, 'description');
  state.inventory.securityGroups.push({
    id,
    vpcId,
    ...(name !== undefined ? { groupName: name } : {}),
    ...(description !== undefined && description !== 'Managed by Terraform' ? { description } : {}),
    isDefault: isDefault || name === 'default',
    inbound: blocks(r, 'ingress').map((_b, i) => inlinePermission(state, r, 'ingress', i, id)),
    outbound: blocks(r, 'egress').map((_b, i) => inlinePermission(state, r, 'egress', i, id)),
    tags: tagsOf(r),
  });
}

export const readSecurityGroup: TfReader = (r, state) => readGroup(r, state, false);
export const readDefaultSecurityGroup: TfReader = (r, state) => readGroup(r, state, true);

/** `aws_security_group_rule`: `type` says the direction. */
export const readSecurityGroupRule: TfReader = (r, state) => {
  const groupId = link(state, r, ['security_group_id']);
  if (groupId === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'its security group is unknown' });
    return;
  }
  const from = num(r, 'from_port');
  const to = num(r, 'to_port');
  const description = str(r, 'description');
  state.sgRules.push({
    groupId,
    egress: str(r, 'type') === 'egress',
    permission: {
      protocol: str(r, 'protocol') ?? '-1',
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      cidrs: [...strings(r.values['cidr_blocks']), ...strings(r.values['ipv6_cidr_blocks'])],
      groups: [...state.links.links(r, ['source_security_group_id']), ...(bool(r, 'self') === true ? [groupId] : [])],
      prefixLists: strings(r.values['prefix_list_ids']),
      ...(description !== undefined ? { description } : {}),
    },
  });
};

/** `aws_vpc_security_group_ingress_rule` and `_egress_rule`: one peer each. */
export function readVpcSecurityGroupRule(egress: boolean): TfReader {
  return (r, state) => {
    const groupId = link(state, r, ['security_group_id']);
    if (groupId === undefined) {
      state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'its security group is unknown' });
      return;
    }
    const from = num(r, 'from_port');
    const to = num(r, 'to_port');
    const description = str(r, 'description');
    const list = str(r, 'prefix_list_id');
    state.sgRules.push({
      groupId,
      egress,
      permission: {
        protocol: str(r, 'ip_protocol') ?? '-1',
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        cidrs: [str(r, 'cidr_ipv4'), str(r, 'cidr_ipv6')].filter((c): c is string => c !== undefined),
        groups: state.links.links(r, ['referenced_security_group_id']),
        prefixLists: list !== undefined ? [list] : [],
        ...(description !== undefined ? { description } : {}),
      },
    });
  };
}

function inlineEntries(r: TfResource, key: 'ingress' | 'egress'): AclEntry[] {
  return blocks(r, key).map((block) => {
    const from = numberAt(block['from_port']);
    const to = numberAt(block['to_port']);
    const icmp = numberAt(block['icmp_type']);
    const cidr = typeof block['cidr_block'] === 'string' && block['cidr_block'] !== '' ? block['cidr_block'] : typeof block['ipv6_cidr_block'] === 'string' ? block['ipv6_cidr_block'] : '';
    return { rule: numberAt(block['rule_no']) ?? 0, egress: key === 'egress', protocol: String(block['protocol'] ?? ''), action: String(block['action'] ?? ''), cidr, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(icmp !== undefined ? { icmpType: icmp } : {}) };
  });
}

function readAcl(r: TfResource, state: TfReadState, isDefault: boolean): void {
  const id = terraformNodeId(r.address);
  const vpcId = str(r, 'vpc_id') !== undefined || !isDefault ? link(state, r, ['vpc_id']) : link(state, r, ['default_network_acl_id']);
  if (vpcId === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: 'its VPC is unknown' });
    return;
  }
  state.inventory.networkAcls.push({ id, vpcId, isDefault, subnets: state.links.links(r, ['subnet_ids']), entries: [...inlineEntries(r, 'ingress'), ...inlineEntries(r, 'egress')], tags: tagsOf(r) });
}

export const readNetworkAcl: TfReader = (r, state) => readAcl(r, state, false);
export const readDefaultNetworkAcl: TfReader = (r, state) => readAcl(r, state, true);

export const readNetworkAclRule: TfReader = (r, state) => {
  const aclId = link(state, r, ['network_acl_id']);
  if (aclId === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'its network ACL is unknown' });
    return;
  }
  const from = num(r, 'from_port');
  const to = num(r, 'to_port');
  const icmp = num(r, 'icmp_type');
  state.aclRules.push({
    aclId,
    entry: { rule: num(r, 'rule_number') ?? 0, egress: bool(r, 'egress') === true, protocol: str(r, 'protocol') ?? '', action: str(r, 'rule_action') ?? '', cidr: str(r, 'cidr_block') ?? str(r, 'ipv6_cidr_block') ?? '', ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(icmp !== undefined ? { icmpType: icmp } : {}) },
  });
};

export const readNetworkAclAssociation: TfReader = (r, state) => {
  const aclId = link(state, r, ['network_acl_id']);
  const subnetId = link(state, r, ['subnet_id']);
  if (aclId !== undefined && subnetId !== undefined) state.aclAssociations.push({ aclId, subnetId });
};

function permissionKey(p: SgPermission): string {
  return JSON.stringify([p.protocol === 'all' ? '-1' : p.protocol, p.from ?? 0, p.to ?? 0, [...p.cidrs].sort(), [...p.groups].sort(), [...p.prefixLists].sort()]);
}

/** Whether every peer of a one-peer rule is among a permission's peers for the same protocol and ports. */
function covers(p: SgPermission, rule: SgPermission): boolean {
  const same = (a: SgPermission) => [a.protocol === 'all' ? '-1' : a.protocol, a.from ?? 0, a.to ?? 0].join();
  return same(p) === same(rule) && rule.cidrs.every((c) => p.cidrs.includes(c)) && rule.groups.every((g) => p.groups.includes(g)) && rule.prefixLists.every((l) => p.prefixLists.includes(l));
}

/** After every resource: separate rules and associations join their groups and ACLs (a state lists them inline too: once is enough). */
export function finishFilters(state: TfReadState): void {
  const { inventory } = state;
  const groups = new Map(inventory.securityGroups.map((g) => [g.id, g]));
  for (const { groupId, egress, permission } of state.sgRules) {
    const group = groups.get(groupId);
    if (!group) {
      inventory.ignored.push({ type: 'aws_security_group_rule', id: `${groupId} ${egress ? 'egress' : 'ingress'}`, reason: `its security group ${groupId} is not in the document` });
      continue;
    }
    const list = egress ? group.outbound : group.inbound;
    if (!list.some((p) => permissionKey(p) === permissionKey(permission) || covers(p, permission))) list.push(permission);
  }
  const acls = new Map(inventory.networkAcls.map((a) => [a.id, a]));
  for (const { aclId, entry } of state.aclRules) {
    const acl = acls.get(aclId);
    if (!acl) inventory.ignored.push({ type: 'aws_network_acl_rule', id: `${aclId} ${entry.rule}`, reason: `its network ACL ${aclId} is not in the document` });
    else if (!acl.entries.some((e) => e.rule === entry.rule && e.egress === entry.egress)) acl.entries.push(entry);
  }
  for (const { aclId, subnetId } of state.aclAssociations) {
    // A subnet sits in one ACL: an explicit association takes it from any other.
    for (const acl of inventory.networkAcls) acl.subnets = acl.subnets.filter((s) => s !== subnetId);
    acls.get(aclId)?.subnets.push(subnetId);
  }
}
