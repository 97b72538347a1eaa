import { groupInstanceAddresses, resolveAddresses } from '../../model/addresses.js';
import { TopologyIndex } from '../../model/queries.js';
import type { Topology, TopologyNode } from '../../model/types.js';
import { LAB_RUNS_ANYWAY, type Diagnostic } from '../../validate/diagnostic.js';
import { isDesignDnsName } from '../../routing/dns/resolve.js';
import { entryPoints } from './entry-points.js';
import type { LabPlan, LabPlanResult, LabProblem, PlannedService } from './plan-types.js';
import { planNode, type PlanContext } from './planners.js';

/** Errors the lab runs a design with (`LAB_RUNS_ANYWAY`, core/validate: the app's launch check shares it). */
export const RUNS_ANYWAY: ReadonlySet<string> = LAB_RUNS_ANYWAY;

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
 * an error diagnostic is refused (the lab would otherwise run something the user did not
 * draw), except a blocked connection, which the lab shows as the 502 it causes.
 */
export function planLab(topology: Topology, diagnostics: readonly Diagnostic[] = []): LabPlanResult {
  const problems: LabProblem[] = diagnostics
    .filter((d) => d.severity === 'error' && !RUNS_ANYWAY.has(d.code))
    .map((d) => ({ code: d.code, message: d.message, nodeIds: d.nodeIds }));
  const index = new TopologyIndex(topology);
  const addresses = resolveAddresses(index);
  const instances = groupInstanceAddresses(index, addresses);
  // Entry points follow the design's routing: what a client (or the internet) can reach.
  const entries = entryPoints(topology, index);
  const isPublished = (node: TopologyNode): boolean => entries.has(node.id);

  // A DNS name of the design's zones, as a rule's upstream: the lab resolves it (per its TTL).
  const isDnsName = (name: string): boolean => isDesignDnsName(topology, name);
  const ctx: PlanContext = { index, addresses, instances, isPublished, isDnsName, problems, services: [], groups: [], clients: [] };
  for (const node of topology.nodes) planNode(node, ctx);
  const { services, groups, clients } = ctx;
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
