import type { IpAddress } from '../../cidr/address.js';
import { containsAddress, safeParseCidr } from '../../cidr/block.js';
import { KIND_TRAITS, WIDE_EPHEMERAL } from '../../model/kinds/index.js';
import type { SecurityGroupNode, SubnetNode, TopologyNode, VpcNode } from '../../model/types.js';
import type { TraceWords } from '../describe.js';
import type { Endpoint, TraceContext } from '../endpoints.js';
import type { BlockedBy, FlowLeg, Hop } from '../trace-types.js';
import { evaluateNetworkAcl, evaluateSecurityGroups, type Packet } from './evaluate.js';
import type { PortRange } from '../../model/ports.js';
import type { FilterDirection, TrafficProtocol } from './rules.js';
import { describeAclRule, describeAddress, describePortList, describeSgRule, describeTraffic } from './words.js';

/** The protocol and ports of a traced flow. */
export interface TraceFlow {
  protocol: TrafficProtocol;
  /** The destination port (tcp, udp); `undefined` when neither given nor known: every port must pass. */
  port: number | undefined;
  /** The initiator's source port, when traced: replies go to it instead of the whole ephemeral range. */
  sourcePort: number | undefined;
}

/** Where the request is while the walk routes it. */
interface Position {
  /** The subnet it is in; `undefined` on the internet. */
  subnet: SubnetNode | undefined;
  /** Its source address (a NAT gateway rewrites it). */
  source: IpAddress | undefined;
  /** The ports its sender's replies go back to. */
  replyPorts: PortRange;
  /** The sender, in words (for reply reasons). */
  sender: string;
  /** Whether the source is still seen at a private address (no internet gateway crossed). */
  privatePath: boolean;
}

/** One subnet boundary the request crossed: its reply crosses it back. */
interface Crossing {
  from: SubnetNode | undefined;
  to: SubnetNode | undefined;
  source: IpAddress | undefined;
  replyPorts: PortRange;
  sender: string;
}

/**
 * The security groups and network ACLs along one traced path, in AWS's order: the source's
 * groups (outbound), the source subnet's ACL (outbound), routing, the destination subnet's
 * ACL (inbound), the destination's groups (inbound), then the reply back through every ACL
 * crossed, to the initiator's ephemeral ports. The walk calls one method per point of the
 * path; each passes (pushing a hop that names the rule) or returns what blocks.
 * ACLs apply only where the traffic crosses a subnet boundary.
 */
export class PathFilters {
  private readonly crossings: Crossing[] = [];
  private current?: Position;
  /** Whether the design has any security group or network ACL; without one every check passes and the source is never read. */
  private readonly active: boolean;

  /**
   * @param readSource the source of the flow, read only when a filter needs it: `PathWalk`
   *   passes its recording getter, so a walk the filters judged by its source is cached for
   *   that source alone (see `Tracer`).
   */
  constructor(
    private readonly context: TraceContext,
    private readonly readSource: () => Endpoint,
    private readonly destination: Endpoint,
    private readonly flow: TraceFlow,
    private readonly words: TraceWords,
    private readonly hops: Hop[],
  ) {
    this.active = !context.filters.isEmpty;
  }

  /** The source of the flow (read, so the walk depends on it). */
  private get source(): Endpoint {
    return this.readSource();
  }

  /** Where the request is; starts at the source, as the source's first use. */
  private get position(): Position {
    if (!this.current) {
      const source = this.source;
      const node = source.node;
      const range = (node && KIND_TRAITS[node.kind].ephemeralPorts) || WIDE_EPHEMERAL;
      this.current = {
        subnet: source.subnet,
        source: source.address,
        replyPorts: this.flow.sourcePort !== undefined ? { from: this.flow.sourcePort, to: this.flow.sourcePort } : range,
        sender: this.words.describeEnd(source),
        privatePath: source.subnet !== undefined,
      };
    }
    return this.current;
  }

  private set position(position: Position) {
    this.current = position;
  }

  /** The request's packet as a filter sees it, from the current source. */
  private request(): Packet {
    const port = this.flow.port;
    return {
      protocol: this.flow.protocol,
      source: this.position.source,
      destination: this.destination.address,
      ports: this.flow.protocol === 'icmp' ? undefined : port !== undefined ? { from: port, to: port } : undefined,
    };
  }

  /** The source's security groups, outbound (first of all, before routing). */
  start(): BlockedBy | undefined {
    if (!this.active) return undefined;
    const node = this.source.node;
    if (!node) return undefined;
    return this.groups(node, this.source, 'outbound', this.request(), this.privateBetween(this.source.vpc, this.destination.vpc));
  }

  /** The request leaves `subnet` (its source's, or a forwarder's) unless its destination is inside it. */
  leave(subnet: SubnetNode): BlockedBy | undefined {
    if (!this.active) return undefined;
    this.position.subnet = subnet;
    const block = safeParseCidr(subnet.cidr);
    const address = this.destination.address;
    if (block.ok && address && address.version === block.block.version && containsAddress(block.block, address)) return undefined;
    return this.acl(subnet, 'outbound', 'request', this.request(), undefined);
  }

  /** The request enters `subnet` (a forwarder's, or the destination's) from where it is. */
  enter(subnet: SubnetNode): BlockedBy | undefined {
    if (!this.active) return undefined;
    const from = this.position.subnet;
    if (from?.id === subnet.id) return undefined;
    const blocked = this.acl(subnet, 'inbound', 'request', this.request(), undefined);
    if (blocked) return blocked;
    this.crossings.push({ from, to: subnet, source: this.position.source, replyPorts: this.position.replyPorts, sender: this.position.sender });
    this.position.subnet = subnet;
    return undefined;
  }

  /** The request leaves for the internet through an internet gateway (its ACL was checked when it left the subnet). */
  toInternet(): void {
    if (!this.active) return;
    const p = this.position;
    this.crossings.push({ from: p.subnet, to: undefined, source: p.source, replyPorts: p.replyPorts, sender: p.sender });
    p.subnet = undefined;
    p.privatePath = false;
  }

  /**
   * A NAT gateway or an instance router takes the request (already in its subnet). A NAT
   * gateway sends it on from its own address and ephemeral ports; an instance router's own
   * security groups must let it in and out again.
   */
  forwarder(node: TopologyNode, address: IpAddress | undefined): BlockedBy | undefined {
    if (!this.active) return undefined;
    if (KIND_TRAITS[node.kind].routeTarget === 'nat-gateway') {
      const range = KIND_TRAITS[node.kind].ephemeralPorts || WIDE_EPHEMERAL;
      this.position = { ...this.position, source: address, replyPorts: range, sender: this.words.describeNode(node) };
      return undefined;
    }
    const at: Endpoint = { node, givenAs: 'id', ...(address ? { address } : {}) };
    const vpc = this.context.index.vpcOf(node.id);
    return this.groups(node, at, 'inbound', this.request(), this.position.privatePath) ?? this.groups(node, at, 'outbound', this.request(), this.privateBetween(vpc, this.destination.vpc));
  }

  /** The destination's security groups, inbound (just before it takes the request). */
  arrive(): BlockedBy | undefined {
    if (!this.active) return undefined;
    const node = this.destination.node;
    if (!node) return undefined;
    return this.groups(node, this.destination, 'inbound', this.request(), this.position.privatePath);
  }

  /** The reply, back through every boundary the request crossed, to the sender's reply ports. */
  replies(): BlockedBy | undefined {
    if (!this.active) return undefined;
    for (const crossing of [...this.crossings].reverse()) {
      const reply: Packet = {
        protocol: this.flow.protocol,
        source: this.destination.address,
        destination: crossing.source,
        ports: this.flow.protocol === 'icmp' ? undefined : crossing.replyPorts,
      };
      const why = `the reply to ${crossing.sender} on its ${this.flow.sourcePort !== undefined && crossing.replyPorts.from === this.flow.sourcePort ? 'source port' : 'ephemeral ports'}`;
      for (const [subnet, direction] of [
        [crossing.to, 'outbound'],
        [crossing.from, 'inbound'],
      ] as const) {
        if (!subnet) continue;
        const blocked = this.acl(subnet, direction, 'response', reply, why);
        if (blocked) return blocked;
      }
    }
    return undefined;
  }

  // ---- the two filters ----------------------------------------------------------------

  private groups(node: TopologyNode, end: Endpoint, direction: FilterDirection, packet: Packet, privatePath: boolean): BlockedBy | undefined {
    const filters = this.context.filters;
    const groups = filters.groupsOf(node);
    if (groups === undefined) return undefined;
    const who = this.words.describeEnd(end);
    const verdict = evaluateSecurityGroups(filters.rulesOf(groups, direction), direction, packet, { isMember: (g, a) => filters.isMember(g, a), privatePath });
    const peer = direction === 'outbound' ? `to ${describeAddress(packet.destination)}` : `from ${describeAddress(packet.source)}`;
    const traffic = `${direction} ${describeTraffic(packet)} ${peer}`;
    if (verdict.allowed) {
      const first = verdict.matched[0]!;
      const also = verdict.matched.length > 1 ? `, with ${verdict.matched.slice(1).map((r) => `${this.words.label(r.groupId)} ${describeSgRule(r)}`).join(', ')}` : '';
      this.hops.push({
        kind: 'security-group',
        nodeId: first.groupId,
        description: `security group ${this.words.label(first.groupId)} of ${who} allows ${traffic}: rule ${describeSgRule(first)}${also}`,
        filter: { direction, leg: 'request', rule: first.index, guards: end.instance?.id ?? node.id },
      });
      return undefined;
    }
    const notes: string[] = [];
    if (groups.length === 0) notes.push('it lists no security group that exists');
    else if (filters.rulesOf(groups, direction).length === 0) notes.push(`${groups.length === 1 ? 'the group has' : 'they have'} no ${direction} rule at all, and a group allows only what its rules list`);
    if (verdict.uncovered.length > 0 && verdict.uncovered[0] !== packet.ports) notes.push(`ports ${describePortList(verdict.uncovered)} are not allowed`);
    for (const miss of verdict.nearMisses) notes.push(`${this.words.label(miss.rule.groupId)} rule ${describeSgRule(miss.rule)} names that group, but ${miss.why}`);
    if (packet.ports === undefined && packet.protocol !== 'icmp') notes.push('no port was given, so every port must be allowed (trace with --port)');
    return {
      code: 'security-group',
      nodeId: node.id,
      direction,
      reason: `the security groups of ${who} (${this.groupNames(groups, node)}) allow no ${traffic}${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`,
    };
  }

  private acl(subnet: SubnetNode, direction: FilterDirection, leg: FlowLeg, packet: Packet, reply: string | undefined): BlockedBy | undefined {
    const acl = this.context.filters.aclOf(subnet);
    if (!acl) return undefined;
    const verdict = evaluateNetworkAcl(this.context.filters.aclRules(acl, direction), direction, packet);
    const peer = direction === 'outbound' ? `to ${describeAddress(packet.destination)}` : `from ${describeAddress(packet.source)}`;
    const where = `network ACL ${this.words.label(acl.id)} of subnet ${this.words.label(subnet.id)}`;
    const traffic = `${direction} ${describeTraffic(packet)} ${peer}`;
    const about = reply ? ` (${reply})` : '';
    if (verdict.allowed) {
      const first = verdict.matched[0]!;
      const also = verdict.matched.length > 1 ? ` and ${verdict.matched.slice(1).map(describeAclRule).join(', ')}` : '';
      this.hops.push({
        kind: 'network-acl',
        nodeId: acl.id,
        description: `${where} allows ${leg === 'response' ? 'the reply, ' : ''}${traffic}${about}: ${describeAclRule(first)}${also}`,
        filter: { direction, leg, rule: first.number, guards: subnet.id },
      });
      return undefined;
    }
    const ports = verdict.denied.length > 0 && packet.ports && (verdict.denied.length > 1 || verdict.denied[0]!.from !== packet.ports.from || verdict.denied[0]!.to !== packet.ports.to) ? ` (ports ${describePortList(verdict.denied)})` : '';
    const decided = verdict.rule ? `${describeAclRule(verdict.rule)} denies it${ports}` : `no rule allows it${ports}, so the final deny (*) drops it`;
    const range = packet.ports && packet.ports.from !== packet.ports.to ? ', for every port of the range (trace --source-port N for one port)' : '';
    const stateless = leg === 'response' ? `; ACLs are stateless: the reply needs a rule of its own${range}` : '';
    return {
      code: 'network-acl',
      nodeId: acl.id,
      direction,
      leg,
      rule: verdict.rule ? verdict.rule.number : null,
      reason: `${where} refuses ${leg === 'response' ? 'the reply, ' : ''}${traffic}${about}: ${decided}${stateless}`,
    };
  }

  /** `"web" (sg-web), the default group "sg-main"`: the groups for a reason. */
  private groupNames(groups: readonly SecurityGroupNode[], node: TopologyNode): string {
    if (groups.length === 0) return ((node as { securityGroups?: string[] }).securityGroups ?? []).map((id) => `"${id}"`).join(', ');
    const listed = (node as { securityGroups?: string[] }).securityGroups !== undefined;
    const names = groups.map((g) => this.words.label(g.id)).join(', ');
    return listed ? names : `${names}, the default group of its VPC`;
  }

  /** Whether traffic between two VPCs sees private addresses: one VPC, or a peering. */
  private privateBetween(a: VpcNode | undefined, b: VpcNode | undefined): boolean {
    if (!a || !b) return false;
    return a.id === b.id || this.context.filters.peered(a, b);
  }
}
