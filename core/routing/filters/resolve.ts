import type { IpAddress } from '../../cidr/address.js';
import type { InstanceAddress, ResolvedAddress } from '../../model/addresses.js';
import { KIND_LABELS, KIND_TRAITS } from '../../model/kinds/index.js';
import type { TopologyIndex } from '../../model/queries.js';
import type { NetworkAclNode, SecurityGroupNode, SubnetNode, TopologyNode, VpcNode } from '../../model/types.js';
import { compileAclRules, compileSgRule, type CompiledAclRule, type CompiledSgRule, type FilterDirection } from './rules.js';

/**
 * Which filters apply where in one design, resolved once: each node's security groups
 * (its own, else its VPC's default group), each group's members and their private
 * addresses, each subnet's network ACL (the one listing it, else its VPC's default ACL),
 * and whether a group may name another (same VPC, or a VPC peered in the same region).
 * The trace, the validator and the kernel lab read the same answers from here.
 */
export class FilterSet {
  private readonly defaultGroups = new Map<string, SecurityGroupNode>();
  private readonly defaultAcls = new Map<string, NetworkAclNode>();
  private readonly aclBySubnet = new Map<string, NetworkAclNode>();
  private readonly compiledGroups = new Map<string, { inbound: CompiledSgRule[]; outbound: CompiledSgRule[] }>();
  private readonly compiledAcls = new Map<string, { inbound: CompiledAclRule[]; outbound: CompiledAclRule[] }>();
  private members?: Map<string, Set<string>>;

  /**
   * @param instances the addresses of every auto-scaling group's instances (as the lab
   *   places them), asked for only when a group reference needs its members.
   */
  constructor(
    readonly index: TopologyIndex,
    private readonly addresses: ReadonlyMap<string, ResolvedAddress>,
    private readonly instances: () => ReadonlyMap<string, readonly InstanceAddress[]>,
  ) {
    for (const group of index.ofKind('security-group')) {
      if (group.default === true && group.parent !== undefined && !this.defaultGroups.has(group.parent)) this.defaultGroups.set(group.parent, group);
    }
    for (const acl of index.ofKind('network-acl')) {
      if (acl.default === true && acl.parent !== undefined && !this.defaultAcls.has(acl.parent)) this.defaultAcls.set(acl.parent, acl);
      for (const subnetId of acl.subnets ?? []) {
        // The first ACL (file order) that lists a subnet of its own VPC holds it; nacl-subnet-conflict reports the rest.
        if (index.nodeOfKind(subnetId, 'subnet')?.parent === acl.parent && !this.aclBySubnet.has(subnetId)) this.aclBySubnet.set(subnetId, acl);
      }
    }
  }

  /** Whether the design has any filter at all (a design without one behaves as before). */
  get isEmpty(): boolean {
    return this.index.ofKind('security-group').length === 0 && this.index.ofKind('network-acl').length === 0;
  }

  /** The VPC's default security group, if it has one. */
  defaultGroupOf(vpcId: string): SecurityGroupNode | undefined {
    return this.defaultGroups.get(vpcId);
  }

  /**
   * The security groups that filter a node (for an auto-scaling group: its instances): the
   * groups it lists (ids that name no group are left out, and the validator reports them),
   * else its VPC's default group; `undefined` when nothing filters it (a kind without
   * groups, a node outside every VPC, or a VPC without a default group).
   */
  groupsOf(node: TopologyNode): SecurityGroupNode[] | undefined {
    if (!KIND_TRAITS[node.kind].securityGroups) return undefined;
    const listed = (node as { securityGroups?: string[] }).securityGroups;
    if (listed !== undefined) return listed.flatMap((id) => this.index.nodeOfKind(id, 'security-group') ?? []);
    const vpc = this.index.vpcOf(node.id);
    const fallback = vpc ? this.defaultGroups.get(vpc.id) : undefined;
    return fallback ? [fallback] : undefined;
  }

  /** The rules of one direction of these groups, every group together, in order. */
  rulesOf(groups: readonly SecurityGroupNode[], direction: FilterDirection): CompiledSgRule[] {
    return groups.flatMap((group) => this.compiledGroup(group)[direction]);
  }

  /** The network ACL at a subnet's edge; `undefined` when nothing filters it. */
  aclOf(subnet: SubnetNode): NetworkAclNode | undefined {
    return this.aclBySubnet.get(subnet.id) ?? (subnet.parent !== undefined ? this.defaultAcls.get(subnet.parent) : undefined);
  }

  /** An ACL's rules of one direction, compiled, lowest number first. */
  aclRules(acl: NetworkAclNode, direction: FilterDirection): CompiledAclRule[] {
    let compiled = this.compiledAcls.get(acl.id);
    if (!compiled) {
      compiled = { inbound: compileAclRules(acl.id, 'inbound', acl.inbound), outbound: compileAclRules(acl.id, 'outbound', acl.outbound) };
      this.compiledAcls.set(acl.id, compiled);
    }
    return compiled[direction];
  }

  /** Whether an address is a private address of a member of a group (a node or an auto-scaling instance in it). */
  isMember(groupId: string, address: IpAddress): boolean {
    return this.memberAddresses().get(groupId)?.has(key(address)) === true;
  }

  /**
   * Why a rule of `from` cannot name `groupId`, as AWS refuses it: no such group, or a group
   * of a VPC that is neither `from`'s own nor peered with it in the same region.
   * `undefined` when the reference is fine.
   */
  referenceProblem(from: SecurityGroupNode, groupId: string): string | undefined {
    const target = this.index.node(groupId);
    if (!target) return `"${groupId}" is not a node of this design`;
    if (target.kind !== 'security-group') return `"${groupId}" is a ${KIND_LABELS[target.kind].toLowerCase()}, not a security group`;
    const ownVpc = from.parent !== undefined ? this.index.nodeOfKind(from.parent, 'vpc') : undefined;
    const otherVpc = target.parent !== undefined ? this.index.nodeOfKind(target.parent, 'vpc') : undefined;
    if (!ownVpc || !otherVpc || ownVpc.id === otherVpc.id) return undefined;
    if (!this.peered(ownVpc, otherVpc)) return `security group "${groupId}" is in VPC "${otherVpc.id}", which is not peered with VPC "${ownVpc.id}": a rule names only groups of its own VPC or of a peered VPC`;
    if (!sameRegion(ownVpc, otherVpc)) {
      return `security group "${groupId}" is in VPC "${otherVpc.id}" (${regionText(otherVpc)}), peered with VPC "${ownVpc.id}" (${regionText(ownVpc)}) across regions: AWS refuses group references across regions`;
    }
    return undefined;
  }

  /** Whether a peering joins the two VPCs. */
  peered(a: VpcNode, b: VpcNode): boolean {
    return this.index.ofKind('peering').some((p) => p.vpcs.includes(a.id) && p.vpcs.includes(b.id) && a.id !== b.id);
  }

  private compiledGroup(group: SecurityGroupNode): { inbound: CompiledSgRule[]; outbound: CompiledSgRule[] } {
    let compiled = this.compiledGroups.get(group.id);
    if (!compiled) {
      const refusal = (id: string) => this.referenceProblem(group, id);
      const compile = (direction: FilterDirection) => (group[direction] as SecurityGroupNode['inbound']).flatMap((rule, i) => compileSgRule(group.id, direction, i, rule, refusal) ?? []);
      compiled = { inbound: compile('inbound'), outbound: compile('outbound') };
      this.compiledGroups.set(group.id, compiled);
    }
    return compiled;
  }

  /** group id -> the private addresses of its members, built on first use. */
  private memberAddresses(): Map<string, Set<string>> {
    if (this.members) return this.members;
    const members = new Map<string, Set<string>>();
    const add = (groups: readonly SecurityGroupNode[] | undefined, address: IpAddress): void => {
      for (const group of groups ?? []) {
        let set = members.get(group.id);
        if (!set) members.set(group.id, (set = new Set()));
        set.add(key(address));
      }
    };
    const instances = this.instances();
    for (const node of this.index.topology.nodes) {
      if (node.kind === 'autoscaling-group') {
        const groups = this.groupsOf(node);
        for (const instance of instances.get(node.id) ?? []) add(groups, instance);
        continue;
      }
      // A server drawn inside an auto-scaling group is its template, not a machine.
      if (node.parent !== undefined && this.index.nodeOfKind(node.parent, 'autoscaling-group')) continue;
      const address = this.addresses.get(node.id);
      if (address) add(this.groupsOf(node), address);
    }
    this.members = members;
    return members;
  }
}

/** Whether two VPCs are in one region: equal `region`, or neither names one. */
export function sameRegion(a: VpcNode, b: VpcNode): boolean {
  return (a.region ?? '') === (b.region ?? '');
}

function regionText(vpc: VpcNode): string {
  return vpc.region !== undefined ? `region ${vpc.region}` : 'no region';
}

function key(address: IpAddress): string {
  return `${address.version}:${address.value}`;
}
