import { safeParseCidr } from '../cidr/block.js';
import { nextFreeAddress, resolveAddresses, type ResolvedAddress } from '../model/addresses.js';
import { formatIpValue } from '../cidr/address.js';
import { TopologyIndex } from '../model/queries.js';
import type { AutoscalingGroupNode, Topology, TopologyNode } from '../model/types.js';

/** One address traffic can be sent to: a server, an auto-scaling instance or a forwarding node. */
export interface Endpoint {
  /** The node that answers; for an instance made up from a group's template, `<group>-<n>`. */
  nodeId: string;
  /** The auto-scaling group the endpoint is an instance of. */
  groupId?: string;
  /** Whether the instance was made up from the group's template (no server node in the file). */
  synthetic: boolean;
  /** The subnet the endpoint's address is in. */
  subnetId?: string;
  ip: string;
  port: number;
  /** The server's `weight`, when it set one. */
  weight?: number;
}

/** Kinds that proxy traffic and are therefore written as nginx/HAProxy configs. */
export const PROXY_KINDS = new Set(['load-balancer', 'reverse-proxy', 'cache']);

/**
 * The design as every config target sees it: the index, the designed addresses and the
 * endpoints behind each node (an auto-scaling group stands for its instances). Built once
 * per render, in file order, so every target names and orders things the same way.
 */
export class DesignView {
  readonly index: TopologyIndex;
  readonly addresses: Map<string, ResolvedAddress>;
  private readonly groupInstances = new Map<string, Endpoint[]>();

  constructor(readonly topology: Topology) {
    this.index = new TopologyIndex(topology);
    this.addresses = resolveAddresses(this.index);
    this.planInstances();
  }

  /** Every node of the given kinds, in file order. */
  nodesOf(kinds: ReadonlySet<string>): TopologyNode[] {
    return this.topology.nodes.filter((node) => kinds.has(node.kind));
  }

  /** The nodes a node's edges point at, each once, in edge order. */
  edgeTargets(id: string): TopologyNode[] {
    const seen = new Set<string>();
    return this.index.targetsOf(id).filter((node) => !seen.has(node.id) && seen.add(node.id));
  }

  /** Where traffic sent "to a node" really goes: a group's instances, else the node itself. */
  endpointsOf(id: string): Endpoint[] {
    const node = this.index.node(id);
    if (!node) return [];
    if (node.kind === 'autoscaling-group') return this.groupInstances.get(id) ?? [];
    const address = this.addresses.get(id);
    if (!address) return [];
    const weight = node.kind === 'server' ? node.weight : undefined;
    const group = node.parent !== undefined ? this.index.nodeOfKind(node.parent, 'autoscaling-group') : undefined;
    const subnet = this.index.subnetOf(id);
    return [
      {
        nodeId: id,
        ...(group ? { groupId: group.id } : {}),
        synthetic: false,
        ...(subnet ? { subnetId: subnet.id } : {}),
        ip: address.ip,
        port: address.port,
        ...(weight !== undefined ? { weight } : {}),
      },
    ];
  }

  /** The endpoints behind a list of target ids, each endpoint once, in order. */
  endpointsOfAll(ids: readonly string[]): Endpoint[] {
    const out: Endpoint[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      for (const endpoint of this.endpointsOf(id)) {
        const key = `${endpoint.ip}|${endpoint.port}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(endpoint);
        }
      }
    }
    return out;
  }

  /** The instances of an auto-scaling group (its server children, or made up from its template). */
  instancesOf(groupId: string): Endpoint[] {
    return this.groupInstances.get(groupId) ?? [];
  }

  /**
   * Auto-scaling groups with server children use them; the others get `desired` (else
   * `min`) instances of their template at the next free addresses of their subnets, taken
   * round robin over the subnets, the way the group would spread them across zones.
   */
  private planInstances(): void {
    const usedBySubnet = new Map<string, Set<bigint>>();
    for (const [id, address] of this.addresses) {
      const subnet = this.index.subnetOf(id);
      if (!subnet) continue;
      let set = usedBySubnet.get(subnet.id);
      if (!set) usedBySubnet.set(subnet.id, (set = new Set()));
      set.add(address.value);
    }
    for (const group of this.index.ofKind('autoscaling-group')) {
      const children = this.index.children(group.id).filter((child) => child.kind === 'server');
      if (children.length > 0) {
        this.groupInstances.set(group.id, children.flatMap((child) => this.endpointsOf(child.id)));
        continue;
      }
      this.groupInstances.set(group.id, this.synthesise(group, usedBySubnet));
    }
  }

  private synthesise(group: AutoscalingGroupNode, usedBySubnet: Map<string, Set<bigint>>): Endpoint[] {
    const subnetIds = [...new Set([...(group.parent !== undefined ? [group.parent] : []), ...(group.subnets ?? [])])];
    const subnets = subnetIds.flatMap((id) => {
      const subnet = this.index.nodeOfKind(id, 'subnet');
      const parsed = subnet ? safeParseCidr(subnet.cidr) : undefined;
      return subnet && parsed?.ok ? [{ id: subnet.id, block: parsed.block }] : [];
    });
    const count = group.desired ?? group.min;
    const port = group.template?.port ?? 80;
    const out: Endpoint[] = [];
    for (let i = 0; i < count && subnets.length > 0; i++) {
      const subnet = subnets[i % subnets.length] as (typeof subnets)[number];
      let used = usedBySubnet.get(subnet.id);
      if (!used) usedBySubnet.set(subnet.id, (used = new Set()));
      const free = nextFreeAddress(subnet.block, used, this.topology.provider);
      if (!free) continue;
      used.add(free.value);
      out.push({ nodeId: `${group.id}-${i + 1}`, groupId: group.id, synthetic: true, subnetId: subnet.id, ip: formatIpValue(free.version, free.value), port });
    }
    return out;
  }
}
