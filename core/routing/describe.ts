import { formatIp } from '../cidr/address.js';
import { formatCidr } from '../cidr/block.js';
import { KIND_LABELS } from '../model/kinds/index.js';
import type { InternetGatewayNode, RouteTableNode, SubnetNode, TopologyNode } from '../model/types.js';
import { formatEndpointAddress, type Endpoint, type TraceContext } from './endpoints.js';
import type { EffectiveRoute, EffectiveRouteTable } from './tables.js';
import type { Hop } from './trace-types.js';

/** A kind's label inside a sentence: "load balancer", but "NAT gateway" and "VPC peering" keep their capitals. */
export function kindWord(kind: TopologyNode['kind']): string {
  const label = KIND_LABELS[kind];
  return label.length > 1 && label[1] === label[1]!.toLowerCase() ? label[0]!.toLowerCase() + label.slice(1) : label;
}

/** The words and hops of a trace: labels, node descriptions and one builder per hop kind. */
export class TraceWords {
  constructor(private readonly context: TraceContext) {}

  /** `"Name (id)"`, or `"id"` for a node without a name. */
  label(id: string): string {
    const quoted = this.context.quoted;
    let text = quoted.get(id);
    if (text === undefined) {
      text = `"${this.context.index.label(id)}"`;
      quoted.set(id, text);
    }
    return text;
  }

  /** `load balancer "lb"`, `internet client "user"`. */
  describeNode(node: TopologyNode): string {
    if (node.kind === 'client' && node.parent === undefined) return `internet client ${this.label(node.id)}`;
    return `${kindWord(node.kind)} ${this.label(node.id)}`;
  }

  /** A node, an auto-scaling instance, or a bare address, as a phrase. */
  describeEnd(endpoint: Endpoint): string {
    if (endpoint.instance) return `instance "${endpoint.instance.id}" of auto-scaling group ${this.label(endpoint.instance.group.id)}`;
    if (endpoint.node) return this.describeNode(endpoint.node);
    return endpoint.address ? formatIp(endpoint.address) : 'the destination';
  }

  /** The shortest name of an end for reasons: its label, instance id or address. */
  name(endpoint: Endpoint): string {
    if (endpoint.instance) return `instance "${endpoint.instance.id}" (${endpoint.address ? formatIp(endpoint.address) : 'no address'})`;
    if (endpoint.node) return this.label(endpoint.node.id);
    return endpoint.address ? formatIp(endpoint.address) : 'the destination';
  }

  /** `{ address: "10.0.1.10:80" }`, or nothing when the end has no address. */
  addressOf(endpoint: Endpoint, port?: number): { address?: string } {
    const text = formatEndpointAddress(endpoint.address, port ?? endpoint.listenPort);
    return text === undefined ? {} : { address: text };
  }

  subnetHop(subnet: SubnetNode): Hop {
    const kind = this.context.tables.isPublic(subnet.id) ? 'public' : 'private';
    return { kind: 'subnet', nodeId: subnet.id, description: `${kind} subnet ${this.label(subnet.id)} (${subnet.cidr})` };
  }

  tableHop(table: RouteTableNode, association: EffectiveRouteTable['association']): Hop {
    const how = association === 'main' ? "the VPC's main table" : 'explicitly associated';
    return { kind: 'route-table', nodeId: table.id, description: `route table ${this.label(table.id)} (${how})` };
  }

  routeHop(kind: 'route' | 'return-route', table: RouteTableNode, route: EffectiveRoute): Hop {
    const target = route.target === 'local' || route.target === 'blackhole' ? route.target : this.label(route.target);
    const what = kind === 'route' ? 'route' : 'return route';
    return {
      kind,
      description: `${what} ${formatCidr(route.block)} -> ${target}${route.implicit ? ' (implicit local route)' : ''}`,
      route: { table: table.id, destination: route.destination, target: route.target, implicit: route.implicit },
    };
  }

  gatewayHop(gateway: InternetGatewayNode, direction: 'out to' | 'in through'): Hop {
    return {
      kind: 'internet-gateway',
      nodeId: gateway.id,
      description: direction === 'out to' ? `internet gateway ${this.label(gateway.id)} out to the internet` : `in through internet gateway ${this.label(gateway.id)}`,
    };
  }

  /** The first or last hop: the node (the group, for an instance) at its address. */
  endHop(endpoint: Endpoint, verb: 'start at' | 'arrive at', port?: number): Hop {
    const nodeId = (endpoint.node as TopologyNode).id;
    return { kind: 'node', nodeId, description: `${verb} ${this.describeEnd(endpoint)}`, ...this.addressOf(endpoint, port) };
  }
}
