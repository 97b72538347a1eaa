import { providerProfile } from '../../core/cidr/index.js';
import { KIND_LABELS, KIND_TRAITS, TopologyIndex, type NaclRule, type SgInboundRule, type SgOutboundRule, type Topology, type TopologyNode } from '../../core/model/index.js';
import { updateNode, type NodePatch } from './edit.js';
import { ActionRefused } from './errors.js';

/** A node that takes `securityGroups`. */
type Filtered = TopologyNode & { securityGroups?: string[] };

function filteredNode(index: TopologyIndex, nodeId: string): Filtered {
  const node = index.node(nodeId);
  if (!node) throw new ActionRefused(`No node "${nodeId}" in this design`);
  if (!KIND_TRAITS[node.kind].securityGroups) throw new ActionRefused(`A ${KIND_LABELS[node.kind].toLowerCase()} has no security groups: servers, balancers, proxies, caches, clients and auto-scaling groups do`);
  return node as Filtered;
}

/**
 * The groups a node is in as the editor shows them: its own list, else its VPC's default
 * group (implicit), else none (unfiltered).
 */
export function effectiveGroups(doc: Topology, nodeId: string): { ids: string[]; implicit: boolean } {
  const index = new TopologyIndex(doc);
  const node = index.node(nodeId) as Filtered | undefined;
  if (!node || !KIND_TRAITS[node.kind].securityGroups) return { ids: [], implicit: false };
  if (node.securityGroups !== undefined) return { ids: node.securityGroups, implicit: false };
  const vpc = index.vpcOf(node.id);
  const fallback = vpc ? index.ofKind('security-group').find((g) => g.parent === vpc.id && g.default === true) : undefined;
  return fallback ? { ids: [fallback.id], implicit: true } : { ids: [], implicit: false };
}

/**
 * Puts a node in a security group (dropping it on the group's chip, or the inspector's
 * picker). A node that used its VPC's default group implicitly keeps it: the list becomes
 * the default group and the new one. Refused for a group of another VPC, one the node is
 * already in, or beyond the provider's groups per node.
 */
export function joinSecurityGroup(doc: Topology, input: { nodeId: string; groupId: string }): Topology {
  const index = new TopologyIndex(doc);
  const node = filteredNode(index, input.nodeId);
  const group = index.nodeOfKind(input.groupId, 'security-group');
  if (!group) throw new ActionRefused(`"${input.groupId}" is not a security group`);
  const vpc = index.vpcOf(node.id);
  if (!vpc || group.parent !== vpc.id) throw new ActionRefused(`Security group ${group.name ?? group.id} is in ${group.parent ?? 'no VPC'}, ${node.id} in ${vpc?.id ?? 'no VPC'}: a node is only in groups of its own VPC`);
  const current = effectiveGroups(doc, node.id).ids;
  if (current.includes(group.id)) throw new ActionRefused(`${node.id} is already in security group ${group.name ?? group.id}`);
  const quota = providerProfile(doc.provider).filterQuotas?.groupsPerNode;
  if (quota !== undefined && current.length >= quota) throw new ActionRefused(`${node.id} is in ${current.length} security groups already, the most ${providerProfile(doc.provider).label} allows`);
  return updateNode(doc, { id: node.id, patch: { securityGroups: [...current, group.id] } as NodePatch });
}

/** Takes a node out of a group; with none left it falls back to its VPC's default group. */
export function leaveSecurityGroup(doc: Topology, input: { nodeId: string; groupId: string }): Topology {
  const node = filteredNode(new TopologyIndex(doc), input.nodeId);
  const listed = node.securityGroups;
  if (!listed?.includes(input.groupId)) throw new ActionRefused(`${node.id} does not list security group ${input.groupId}`);
  const next = listed.filter((id) => id !== input.groupId);
  return updateNode(doc, { id: node.id, patch: { securityGroups: next.length > 0 ? next : undefined } as NodePatch });
}

/** Replaces one direction's rules of a security group or network ACL (the rule tables commit the whole list). */
export function setFilterRules(doc: Topology, input: { nodeId: string; direction: 'inbound' | 'outbound'; rules: (SgInboundRule | SgOutboundRule | NaclRule)[] }): Topology {
  const node = doc.nodes.find((n) => n.id === input.nodeId);
  if (!node || !('inbound' in node)) throw new ActionRefused(`"${input.nodeId}" is not a security group or network ACL`);
  return updateNode(doc, { id: node.id, patch: { [input.direction]: input.rules } as NodePatch });
}

/**
 * Associates a subnet with a network ACL, as AWS's ReplaceNetworkAclAssociation does: the
 * subnet leaves the ACL that listed it (a subnet sits in exactly one). Refused for a
 * subnet of another VPC. One edit, so one undo step.
 */
export function associateAclSubnet(doc: Topology, input: { aclId: string; subnetId: string }): Topology {
  const index = new TopologyIndex(doc);
  const acl = index.nodeOfKind(input.aclId, 'network-acl');
  if (!acl) throw new ActionRefused(`"${input.aclId}" is not a network ACL`);
  const subnet = index.nodeOfKind(input.subnetId, 'subnet');
  if (!subnet) throw new ActionRefused(`"${input.subnetId}" is not a subnet`);
  if (subnet.parent !== acl.parent) throw new ActionRefused(`Subnet ${subnet.name ?? subnet.id} is in ${subnet.parent ?? 'no VPC'}, network ACL ${acl.name ?? acl.id} in ${acl.parent ?? 'no VPC'}: an ACL filters subnets of its own VPC`);
  if (acl.subnets.includes(subnet.id)) throw new ActionRefused(`Subnet ${subnet.id} is already associated with ${acl.id}`);
  let next = doc;
  for (const other of index.ofKind('network-acl')) {
    if (other.id !== acl.id && other.subnets.includes(subnet.id)) next = updateNode(next, { id: other.id, patch: { subnets: other.subnets.filter((s) => s !== subnet.id) } as NodePatch });
  }
  return updateNode(next, { id: acl.id, patch: { subnets: [...acl.subnets, subnet.id] } as NodePatch });
}
