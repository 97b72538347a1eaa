import { groupInstanceAddresses, groupInstancePort, resolveAddresses, type ResolvedAddress } from '../model/addresses.js';
import { edgePort, edgeProtocol, groupCallEdges } from '../model/edges.js';
import { canSendTo, KIND_TRAITS, type EdgeProtocol } from '../model/kinds/index.js';
import { TopologyIndex } from '../model/queries.js';
import { FilterSet } from '../routing/filters/resolve.js';
import { RouteTables } from '../routing/tables.js';
import { forwardingSteps, forwardingTargets } from '../model/forwarding.js';
import type { CacheNode, Topology, TopologyNode } from '../model/types.js';

/** One address traffic can be sent to: a server, an auto-scaling instance or a forwarding node. */
export interface Endpoint {
  /** The node that answers; for an auto-scaling instance, `<group>-<n>`. */
  nodeId: string;
  /** The auto-scaling group the endpoint is an instance of. */
  groupId?: string;
  /** Whether this is an auto-scaling instance planned from its group (not a node of the file). */
  synthetic: boolean;
  /** The subnet the endpoint's address is in. */
  subnetId?: string;
  ip: string;
  port: number;
  /** The server's `weight`, when it set one. */
  weight?: number;
}

/** One call a server (or every instance of a group) makes: an edge with its port and protocol resolved. */
export interface Dependency {
  edgeId: string;
  target: TopologyNode;
  /** The destination port: the edge's, else the port the target listens on. */
  port: number;
  protocol: EdgeProtocol;
}

/**
 * The design as every config target sees it: the index, the designed addresses and the
 * endpoints behind each node (an auto-scaling group stands for its instances). Built once
 * per render, in file order, so every target names and orders things the same way.
 */
export class DesignView {
  readonly index: TopologyIndex;
  readonly addresses: Map<string, ResolvedAddress>;
  private readonly groupInstances = new Map<string, Endpoint[]>();
  private routeTables: RouteTables | undefined;
  private filterSet: FilterSet | undefined;

  constructor(readonly topology: Topology) {
    this.index = new TopologyIndex(topology);
    this.addresses = resolveAddresses(this.index);
    this.planInstances();
  }

  /**
   * The design's effective route tables (core/routing): which table each subnet uses and
   * whether it is public, by the same rule as trace, validate and the lab. Built on first use.
   */
  get routes(): RouteTables {
    this.routeTables ??= new RouteTables(this.index);
    return this.routeTables;
  }

  /**
   * The design's security groups and network ACLs (core/routing/filters): which groups filter
   * a node, which ACL sits at a subnet, which references AWS refuses. Built on first use.
   */
  get filters(): FilterSet {
    this.filterSet ??= new FilterSet(this.index, this.addresses, () => groupInstanceAddresses(this.index, this.addresses));
    return this.filterSet;
  }

  /** The nodes a node's edges point at, each once, in edge order. */
  /** The nodes a cache fetches from: its edge targets, then the nodes its `origins` name. */
  cacheOrigins(node: CacheNode): string[] {
    return forwardingTargets(this.index, node);
  }

  /**
   * The DNS names among a forwarder's upstreams (reverse-proxy rules, cache origins): the lab
   * resolves them through its DNS per TTL; a config target has to say what it does with them.
   */
  dnsUpstreams(node: TopologyNode): string[] {
    return [...new Set(forwardingSteps(this.index, node).flatMap((step) => (this.index.node(step.to) ? [] : [step.to])))];
  }

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

  /**
   * What a server or auto-scaling group calls for each request it serves: its edges (a
   * group's, then those of the server drawn inside it, which describes its instances), each
   * with the node called, the destination port and the protocol. Edges to nodes that take
   * no calls are left out (validate reports them).
   */
  dependenciesOf(callerId: string): Dependency[] {
    const caller = this.index.node(callerId);
    if (!caller || !KIND_TRAITS[caller.kind].calls) return [];
    const edges = caller.kind === 'autoscaling-group' ? groupCallEdges(this.index, callerId) : this.index.edgesFrom(callerId);
    return edges.flatMap((edge) => {
      const target = this.index.node(edge.to);
      const port = edgePort(this.index, this.addresses, edge);
      if (!target || port === undefined || !canSendTo(caller.kind, target.kind)) return [];
      return [{ edgeId: edge.id, target, port, protocol: edgeProtocol(this.index, edge) }];
    });
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

  /**
   * The port every instance of an auto-scaling group listens on, as the lab starts them
   * (the template's; else the first server drawn inside the group's; else the server
   * default), also when the group plans no instance.
   */
  groupPort(groupId: string): number | undefined {
    const group = this.index.nodeOfKind(groupId, 'autoscaling-group');
    return group ? groupInstancePort(this.index, group) : undefined;
  }

  /** The instances of an auto-scaling group, planned as the live lab starts them. */
  instancesOf(groupId: string): Endpoint[] {
    return this.groupInstances.get(groupId) ?? [];
  }

  /**
   * Every group gets `desired` instances (clamped to min..max), as the live lab starts
   * them: at the next free addresses of its subnets (its own first, then `subnets`), taken
   * round robin, on the port `groupInstancePort` gives (the template's; without a template,
   * the first server drawn inside the group describes its instances), as the lab does.
   * Groups later in the file skip the addresses of earlier ones.
   */
  private planInstances(): void {
    const reserved = groupInstanceAddresses(this.index, this.addresses);
    for (const group of this.index.ofKind('autoscaling-group')) {
      const port = groupInstancePort(this.index, group);
      const count = Math.min(group.max, Math.max(group.min, group.desired ?? group.min));
      const endpoints = (reserved.get(group.id) ?? []).slice(0, count).map(
        (a, i): Endpoint => ({ nodeId: `${group.id}-${i + 1}`, groupId: group.id, synthetic: true, subnetId: a.subnetId, ip: a.ip, port }),
      );
      this.groupInstances.set(group.id, endpoints);
    }
  }
}
