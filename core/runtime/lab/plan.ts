import { groupInstanceAddresses, groupInstancePort, resolveAddresses, type InstanceAddress, type ResolvedAddress } from '../../model/addresses.js';
import { TopologyIndex } from '../../model/queries.js';
import type { AutoscalingGroupNode, Topology, TopologyNode } from '../../model/types.js';
import type { Diagnostic } from '../../validate/diagnostic.js';
import { entryPoints } from './entry-points.js';
import type {
  BackendSettings,
  DesignedAddress,
  LabPlan,
  LabPlanResult,
  LabProblem,
  PlannedClient,
  PlannedGroup,
  PlannedService,
} from './plan-types.js';

/** Kinds a forwarding node may send traffic to. */
const UPSTREAM_KINDS = new Set(['server', 'autoscaling-group', 'load-balancer', 'reverse-proxy', 'cache']);

/** Error thrown by `Lab.start` for a design that cannot run; `problems` names the nodes. */
export class LabPlanError extends Error {
  constructor(readonly problems: LabProblem[]) {
    super(`the design cannot run as a lab:\n${problems.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`);
    this.name = 'LabPlanError';
  }
}

/**
 * Turns a design into the list of services to start, their upstreams and entry points.
 * Pure: no sockets, no clock. `diagnostics` are the validator's findings: a design with
 * an error diagnostic is refused (the lab would otherwise run something the user did not draw).
 */
export function planLab(topology: Topology, diagnostics: readonly Diagnostic[] = []): LabPlanResult {
  const problems: LabProblem[] = diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, message: d.message, nodeIds: d.nodeIds }));
  const index = new TopologyIndex(topology);
  const addresses = resolveAddresses(index);
  const instances = groupInstanceAddresses(index, addresses);
  // Entry points follow the design's routing: what a client (or the internet) can reach.
  const entries = entryPoints(topology, index);
  const isPublished = (node: TopologyNode): boolean => entries.has(node.id);

  const services: PlannedService[] = [];
  const groups: PlannedGroup[] = [];
  const clients: PlannedClient[] = [];
  for (const node of topology.nodes) {
    switch (node.kind) {
      case 'server': {
        // A server drawn inside an auto-scaling group is the group's template, not a service.
        if (index.nodeOfKind(node.parent, 'autoscaling-group')) break;
        const address = designed(node, addresses, problems);
        if (!address) break;
        const backend: BackendSettings = pick({ latency: node.latencyMs, errorRate: node.errorRate, command: node.command, weight: node.weight });
        services.push({ nodeId: node.id, role: node.command ? 'command' : 'backend', address, upstreams: [], backend, published: isPublished(node) });
        break;
      }
      case 'load-balancer': {
        const address = designed(node, addresses, problems);
        if (!address) break;
        services.push({
          nodeId: node.id,
          role: node.layer === 4 ? 'l4-balancer' : 'l7-balancer',
          address,
          upstreams: upstreamsOf(index, node.id, problems),
          ...pick({ algorithm: node.algorithm, healthCheck: node.healthCheck, sticky: node.sticky, maxBodyBytes: node.maxBodyBytes, timeoutMs: node.timeoutMs }),
          published: isPublished(node),
        });
        break;
      }
      case 'reverse-proxy': {
        const address = designed(node, addresses, problems);
        if (!address) break;
        const upstreams = upstreamsOf(index, node.id, problems);
        const edgeTargets = [...upstreams];
        const rules = (node.rules ?? []).map((rule, r) => {
          for (const id of rule.upstreams) {
            checkUpstream(index, node.id, id, `rule ${r + 1}`, problems);
            if (!upstreams.includes(id)) upstreams.push(id);
          }
          return { ...pick(rule), upstreams: [...rule.upstreams] };
        });
        // The drawn edges are the default pool: a request no rule matches goes there
        // (without edges it gets the proxy's 404 naming the unmatched host and path).
        if (rules.length > 0 && edgeTargets.length > 0) rules.push({ upstreams: edgeTargets });
        services.push({
          nodeId: node.id,
          role: 'reverse-proxy',
          address,
          upstreams,
          ...(rules.length > 0 ? { rules } : {}),
          ...pick({ maxBodyBytes: node.maxBodyBytes, timeoutMs: node.timeoutMs }),
          published: isPublished(node),
        });
        break;
      }
      case 'cache': {
        const address = designed(node, addresses, problems);
        if (!address) break;
        const upstreams = upstreamsOf(index, node.id, problems);
        if (upstreams.length === 0) {
          problems.push({ code: 'lab-cache-no-origin', message: `cache ${index.label(node.id)} has no origin: draw an edge from it to a server, group or balancer`, nodeIds: [node.id] });
        }
        services.push({ nodeId: node.id, role: 'cache', address, upstreams, ...pick({ maxBytes: node.maxBytes, defaultTtl: node.defaultTtl }), published: isPublished(node) });
        break;
      }
      case 'forward-proxy': {
        const address = designed(node, addresses, problems);
        if (!address) break;
        services.push({ nodeId: node.id, role: 'forward-proxy', address, upstreams: [], ...pick({ allow: node.allow, deny: node.deny }), published: isPublished(node) });
        break;
      }
      case 'autoscaling-group': {
        const group = planGroup(index, node, instances.get(node.id) ?? [], problems);
        if (group) groups.push({ ...group, published: isPublished(node) });
        break;
      }
      case 'client': {
        const address = addresses.get(node.id);
        clients.push({
          nodeId: node.id,
          ...(address ? { address: { ip: address.ip, port: address.port } } : {}),
          targets: index.edgesFrom(node.id).map((e) => e.to),
        });
        break;
      }
      default:
        break; // VPCs, subnets, route tables and gateways shape routing; nothing listens for them.
    }
  }
  if (services.length === 0 && groups.length === 0 && problems.length === 0) {
    problems.push({ code: 'lab-empty', message: 'the design has no server, balancer, proxy, cache or auto-scaling group to run', nodeIds: [] });
  }
  const ordered = startOrder(services, index, problems);
  if (problems.length > 0) return { ok: false, problems: dedupe(problems) };
  const published = [...ordered.filter((s) => s.published).map((s) => s.nodeId), ...groups.filter((g) => g.published).map((g) => g.nodeId)];
  const plan: LabPlan = { services: ordered, groups, clients, published };
  return { ok: true, plan };
}

/** Like `planLab`, but throws `LabPlanError` naming every problem. */
export function planLabOrThrow(topology: Topology, diagnostics: readonly Diagnostic[] = []): LabPlan {
  const result = planLab(topology, diagnostics);
  if (!result.ok) throw new LabPlanError(result.problems);
  return result.plan;
}

function designed(node: TopologyNode, addresses: Map<string, ResolvedAddress>, problems: LabProblem[]): DesignedAddress | undefined {
  const address = addresses.get(node.id);
  if (!address) {
    problems.push({
      code: 'lab-no-address',
      message: `${node.kind} "${node.id}" has no designed address: give it an "ip" or place it in a subnet with free addresses`,
      nodeIds: [node.id],
    });
    return undefined;
  }
  return { ip: address.ip, port: address.port };
}

function upstreamsOf(index: TopologyIndex, nodeId: string, problems: LabProblem[]): string[] {
  const out: string[] = [];
  for (const edge of index.edgesFrom(nodeId)) {
    if (checkUpstream(index, nodeId, edge.to, `edge "${edge.id}"`, problems) && !out.includes(edge.to)) out.push(edge.to);
  }
  return out;
}

function checkUpstream(index: TopologyIndex, fromId: string, toId: string, via: string, problems: LabProblem[]): boolean {
  const target = index.node(toId);
  if (target && UPSTREAM_KINDS.has(target.kind) && toId !== fromId) return true;
  const what = !target ? 'a missing node' : toId === fromId ? 'itself' : `a ${target.kind}, which serves no traffic`;
  problems.push({
    code: 'lab-upstream-invalid',
    message: `${index.label(fromId)} forwards (${via}) to ${toId === fromId || !target ? what : `"${toId}", ${what}`}: upstreams must be servers, auto-scaling groups, balancers, proxies or caches`,
    nodeIds: [fromId, toId],
  });
  return false;
}

function planGroup(
  index: TopologyIndex,
  node: AutoscalingGroupNode,
  reserved: readonly InstanceAddress[],
  problems: LabProblem[],
): Omit<PlannedGroup, 'published'> | undefined {
  if (node.min > node.max) {
    problems.push({ code: 'asg-size', message: `auto-scaling group "${node.id}" has min ${node.min} above max ${node.max}`, nodeIds: [node.id] });
    return undefined;
  }
  // Without a `template`, the first server drawn inside the group describes its instances.
  const child = index.children(node.id).find((c) => c.kind === 'server');
  const source = node.template ?? (child?.kind === 'server' ? child : undefined);
  const settings: BackendSettings = pick({ latency: source?.latencyMs, errorRate: source?.errorRate, command: source?.command });
  const port = groupInstancePort(index, node);
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

/** Upstreams first (depth-first topological order); a forwarding cycle is a problem. */
function startOrder(services: PlannedService[], index: TopologyIndex, problems: LabProblem[]): PlannedService[] {
  const byId = new Map(services.map((s) => [s.nodeId, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: PlannedService[] = [];
  const visit = (id: string, path: string[]): void => {
    const service = byId.get(id);
    if (!service || state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      problems.push({
        code: 'lab-upstream-cycle',
        message: `traffic would loop: ${cycle.map((n) => index.label(n)).join(' -> ')}`,
        nodeIds: cycle.slice(0, -1),
      });
      return;
    }
    state.set(id, 'visiting');
    for (const upstream of service.upstreams) visit(upstream, [...path, id]);
    state.set(id, 'done');
    out.push(service);
  };
  for (const service of services) visit(service.nodeId, []);
  return out;
}

function dedupe(problems: LabProblem[]): LabProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
}

/** Drops `undefined` fields so plans compare and serialise cleanly. */
function pick<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
