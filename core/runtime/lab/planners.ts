import { groupInstancePort, type InstanceAddress, type ResolvedAddress } from '../../model/addresses.js';
import { edgePort, edgeProtocol, groupCallEdges } from '../../model/edges.js';
import { forwardingSteps, forwardingTargets } from '../../model/forwarding.js';
import { gatewayProblems } from '../../model/gateway-problems.js';
import { headerFieldMessage, headerFieldProblems } from '../../model/header-fields.js';
import { edgeTargetKinds, KIND_LABELS, KIND_TRAITS, type NodeKind } from '../../model/kinds/index.js';
import type { TopologyIndex } from '../../model/queries.js';
import type { AutoscalingGroupNode, Edge, NodeOfKind, TopologyNode } from '../../model/types.js';
import { labelOf } from '../../validate/rules/rule.js';
import { hstsValue, tlsPort } from '../../model/kinds/index.js';
import { nodeTls, tlsHostNames } from '../../model/tls-hosts.js';
import type { PlannedTls, BackendSettings, DesignedAddress, LabProblem, PlannedCall, PlannedClient, PlannedGroup, PlannedService } from './plan-types.js';

/** What every planner reads and appends to while `planLab` walks the design. */
export interface PlanContext {
  index: TopologyIndex;
  addresses: Map<string, ResolvedAddress>;
  /** Reserved instance addresses of each auto-scaling group. */
  instances: Map<string, InstanceAddress[]>;
  isPublished(node: TopologyNode): boolean;
  /** Whether a name is one of the design's DNS names (a reverse-proxy rule may send to one). */
  isDnsName(name: string): boolean;
  problems: LabProblem[];
  services: PlannedService[];
  groups: PlannedGroup[];
  clients: PlannedClient[];
}

/** Plans one node of one kind: adds its service, group or client (or a problem). */
type Planner<K extends NodeKind> = (node: NodeOfKind<K>, ctx: PlanContext) => void;

/** VPCs, subnets, route tables and gateways shape routing; nothing listens for them. */
const routingOnly = (_node: TopologyNode, _ctx: PlanContext): void => undefined;

/**
 * What the lab runs for each kind. Typed over every kind, so the compiler names a new kind
 * that the lab does not plan yet.
 */
export const PLANNERS: { readonly [K in NodeKind]: Planner<K> } = {
  vpc: routingOnly,
  subnet: routingOnly,
  'route-table': routingOnly,
  // Filters decide which connections the gate allows; nothing listens for them.
  'security-group': routingOnly,
  'network-acl': routingOnly,
  'internet-gateway': routingOnly,
  'nat-gateway': routingOnly,
  peering: routingOnly,
  server(node, ctx) {
    // A server drawn inside an auto-scaling group is the group's template, not a service.
    if (ctx.index.nodeOfKind(node.parent, 'autoscaling-group')) return;
    const address = designed(node, ctx);
    if (!address) return;
    const backend: BackendSettings = pick({
      latency: node.latencyMs,
      errorRate: node.errorRate,
      command: node.command,
      weight: node.weight,
      ...callSettings(node, ctx.index.edgesFrom(node.id), ctx),
    });
    ctx.services.push({ nodeId: node.id, role: node.command ? 'command' : 'backend', address, upstreams: [], backend, published: ctx.isPublished(node) });
  },
  'load-balancer'(node, ctx) {
    const address = designed(node, ctx);
    if (!address) return;
    ctx.services.push({
      nodeId: node.id,
      role: node.layer === 4 ? 'l4-balancer' : 'l7-balancer',
      address,
      upstreams: upstreamsOf(node, ctx),
      ...pick({ algorithm: node.algorithm, healthCheck: node.healthCheck, sticky: node.sticky, maxBodyBytes: node.maxBodyBytes, timeoutMs: node.timeoutMs }),
      ...(node.layer === 7 ? tlsOf(node, ctx) : {}),
      published: ctx.isPublished(node),
    });
  },
  'reverse-proxy'(node, ctx) {
    const address = designed(node, ctx);
    if (!address) return;
    // Edges and rule upstreams in one list (forwardingTargets), edges first.
    const upstreams = upstreamsOf(node, ctx);
    const edgeTargets = upstreams.filter((id) => ctx.index.edgesFrom(node.id).some((e) => e.to === id));
    // A header that cannot be sent would fail every matching request: the design fails at start instead.
    for (const problem of headerFieldProblems(node.rules)) ctx.problems.push({ code: 'header-invalid', message: headerFieldMessage(labelOf(node), problem), nodeIds: [node.id] });
    for (const problem of gatewayProblems(node.gateway, (node.rules?.length ?? 0) > 0)) {
      ctx.problems.push({ code: 'gateway-invalid', message: `Reverse proxy ${labelOf(node)} ${problem.at.join('.')}: ${problem.message}`, nodeIds: [node.id] });
    }
    const rules = node.gateway !== undefined ? [] : (node.rules ?? []).map((rule) => ({ ...pick(rule), upstreams: [...rule.upstreams] }));
    // The drawn edges are the default pool: a request no rule matches goes there
    // (without edges it gets the proxy's 404 naming the unmatched host and path).
    // A gateway answers 404 itself: a catch-all route is written as one (`"path": "/*"`).
    if (rules.length > 0 && edgeTargets.length > 0) rules.push({ upstreams: edgeTargets });
    ctx.services.push({
      nodeId: node.id,
      role: 'reverse-proxy',
      address,
      upstreams,
      ...(rules.length > 0 ? { rules } : {}),
      ...(node.gateway !== undefined ? { gateway: node.gateway } : {}),
      ...pick({ maxBodyBytes: node.maxBodyBytes, timeoutMs: node.timeoutMs }),
      ...tlsOf(node, ctx),
      published: ctx.isPublished(node),
    });
  },
  cache(node, ctx) {
    const address = designed(node, ctx);
    if (!address) return;
    const upstreams = upstreamsOf(node, ctx);
    if (upstreams.length === 0) {
      ctx.problems.push({ code: 'lab-cache-no-origin', message: `cache ${ctx.index.label(node.id)} has no origin: draw an edge from it to a server, group or balancer`, nodeIds: [node.id] });
    }
    ctx.services.push({ nodeId: node.id, role: 'cache', address, upstreams, ...pick({ maxBytes: node.maxBytes, defaultTtl: node.defaultTtl }), ...tlsOf(node, ctx), published: ctx.isPublished(node) });
  },
  'forward-proxy'(node, ctx) {
    const address = designed(node, ctx);
    if (!address) return;
    // Its edges name destinations; it reaches what each request asks for, as the routing allows.
    ctx.services.push({ nodeId: node.id, role: 'forward-proxy', address, upstreams: [], ...pick({ allow: node.allow, deny: node.deny }), published: ctx.isPublished(node) });
  },
  client(node, ctx) {
    const address = ctx.addresses.get(node.id);
    ctx.clients.push({
      nodeId: node.id,
      ...(address ? { address: { ip: address.ip, port: address.port } } : {}),
      targets: ctx.index.edgesFrom(node.id).map((e) => e.to),
    });
  },
  'autoscaling-group'(node, ctx) {
    const group = planGroup(node, ctx.instances.get(node.id) ?? [], ctx);
    if (group) ctx.groups.push({ ...group, published: ctx.isPublished(node) });
  },
  // The lab runs one DNS server for every zone of the design (lab-dns.ts), not a service per zone.
  'dns-zone': routingOnly,
};

/** Runs the planner of the node's kind. */
export function planNode(node: TopologyNode, ctx: PlanContext): void {
  (PLANNERS[node.kind] as Planner<NodeKind>)(node as never, ctx);
}

/** The HTTPS listener of a node whose `tls` is active: its host names (core/model/tls-hosts.ts) and policy. */
function tlsOf(node: TopologyNode, ctx: PlanContext): { tls?: PlannedTls; upstreamTls?: true } {
  // HTTPS to upstreams does not need a listener of its own: `enabled: false` keeps it.
  const upstreamTls = 'tls' in node && node.tls?.upstream === true ? { upstreamTls: true as const } : {};
  const tls = nodeTls(node);
  if (tls === undefined) return upstreamTls;
  return {
    ...upstreamTls,
    tls: {
      hosts: tlsHostNames(ctx.index.topology, node),
      port: tlsPort(tls),
      ...pick({ redirect: tls.redirect, minVersion: tls.minVersion, hsts: tls.hsts ? hstsValue(tls.hsts) : undefined }),
    },
  };
}

function designed(node: TopologyNode, ctx: PlanContext): DesignedAddress | undefined {
  const address = ctx.addresses.get(node.id);
  if (!address) {
    ctx.problems.push({
      code: 'lab-no-address',
      message: `${node.kind} "${node.id}" has no designed address: give it an "ip" or place it in a subnet with free addresses`,
      nodeIds: [node.id],
    });
    return undefined;
  }
  return { ip: address.ip, port: address.port };
}

/**
 * Where a forwarding node sends (core/model/forwarding.ts: its edges, then its rules), with
 * a problem for each place its descriptor does not let it send to.
 */
function upstreamsOf(node: TopologyNode, ctx: PlanContext): string[] {
  const names: string[] = [];
  for (const step of forwardingSteps(ctx.index, node)) {
    if (step.ok) continue;
    // A DNS name of the design (a rule's upstream) is resolved by the lab, per its TTL, not planned as a node.
    if (!ctx.index.node(step.to) && ctx.isDnsName(step.to)) {
      if (!names.includes(step.to)) names.push(step.to);
      continue;
    }
    refuseUpstream(node, step.to, step.via, ctx);
  }
  return [...forwardingTargets(ctx.index, node), ...names];
}

/** Names an upstream the descriptors do not allow (the edge rule of validate and the canvas). */
function refuseUpstream(from: TopologyNode, toId: string, via: string, ctx: PlanContext): void {
  const target = ctx.index.node(toId);
  const sender = KIND_LABELS[from.kind].toLowerCase();
  const why = !target ? '' : KIND_TRAITS[target.kind].receives === false ? ', which serves no traffic' : `, which a ${sender} does not forward to`;
  const what = !target ? 'a missing node' : toId === from.id ? 'itself' : `"${toId}", a ${target.kind}${why}`;
  const allowed = edgeTargetKinds(from.kind).map((kind) => KIND_LABELS[kind].toLowerCase());
  ctx.problems.push({
    code: 'lab-upstream-invalid',
    message: `${ctx.index.label(from.id)} forwards (${via}) to ${what}: the upstreams of a ${sender} are ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`,
    nodeIds: [from.id, toId],
  });
}

function planGroup(node: AutoscalingGroupNode, reserved: readonly InstanceAddress[], ctx: PlanContext): Omit<PlannedGroup, 'published'> | undefined {
  const { problems } = ctx;
  if (node.min > node.max) {
    problems.push({ code: 'asg-size', message: `auto-scaling group "${node.id}" has min ${node.min} above max ${node.max}`, nodeIds: [node.id] });
    return undefined;
  }
  // Without a `template`, the first server drawn inside the group describes its instances.
  const child = ctx.index.children(node.id).find((c) => c.kind === 'server');
  const source = node.template ?? (child?.kind === 'server' ? child : undefined);
  const settings: BackendSettings = pick({
    latency: source?.latencyMs,
    errorRate: source?.errorRate,
    command: source?.command,
    ...callSettings({ id: node.id, calls: source?.calls, callTimeoutMs: source?.callTimeoutMs }, groupCallEdges(ctx.index, node.id), ctx),
  });
  const port = groupInstancePort(ctx.index, node);
  const instanceAddresses: DesignedAddress[] = reserved.map((a) => ({ ip: a.ip, port }));
  if (instanceAddresses.length < node.max) {
    problems.push({
      code: 'lab-asg-no-addresses',
      message: `auto-scaling group "${node.id}" needs ${node.max} instance addresses but its subnets have only ${instanceAddresses.length} free`,
      nodeIds: [node.id],
    });
    return undefined;
  }
  const desired = Math.min(node.max, Math.max(node.min, node.desired ?? node.min));
  return {
    nodeId: node.id,
    min: node.min,
    max: node.max,
    desired,
    template: settings,
    ...(node.targetTracking
      ? { targetTracking: { metric: node.targetTracking.metric, target: node.targetTracking.target, cooldownSeconds: node.targetTracking.cooldownSeconds ?? 30 } }
      : {}),
    instanceAddresses,
  };
}

/**
 * The calls of a server (or of every instance of a group): one per edge, in edge order,
 * with its port and protocol; an edge to a node the lab does not run on its own (a server
 * drawn inside a group, which only describes its instances) is a problem.
 */
function callSettings(
  caller: { id: string; calls?: 'parallel' | 'sequential' | undefined; callTimeoutMs?: number | undefined },
  edges: readonly Edge[],
  ctx: PlanContext,
): Pick<BackendSettings, 'calls' | 'callOrder' | 'callTimeoutMs'> {
  const calls: PlannedCall[] = [];
  for (const edge of edges) {
    const target = ctx.index.node(edge.to);
    if (!target || !KIND_TRAITS[target.kind].receives) continue;
    if (target.kind === 'server' && ctx.index.nodeOfKind(target.parent, 'autoscaling-group')) {
      ctx.problems.push({
        code: 'lab-upstream-invalid',
        message: `${ctx.index.label(caller.id)} calls (edge "${edge.id}") ${ctx.index.label(target.id)}, a server drawn inside auto-scaling group ${ctx.index.label(target.parent ?? '')} that only describes its instances: call the balancer in front of the group`,
        nodeIds: [caller.id, target.id],
      });
      continue;
    }
    const port = edgePort(ctx.index, ctx.addresses, edge);
    if (port === undefined) continue;
    calls.push({ edgeId: edge.id, to: target.id, port, protocol: edgeProtocol(ctx.index, edge) });
  }
  if (calls.length === 0) return {};
  return pick({ calls, callOrder: caller.calls, callTimeoutMs: caller.callTimeoutMs });
}

/** Drops `undefined` fields so plans compare and serialise cleanly. */
export function pick<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
