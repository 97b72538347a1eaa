/**
 * Live edits of the design's filters: a node's security groups, a security group's or
 * network ACL's rules, an ACL's subnets, a default flag. The edited design replaces the
 * one the gate traces against (with the dropped routes still out), so the next connection
 * obeys the change; forwarders get their target lists again, so a target the change blocks
 * leaves rotation (and one it frees comes back) at once.
 */
import { KIND_LABELS, KIND_TRAITS } from '../../model/kinds/index.js';
import { nodeSchemaOf } from '../../model/kinds/node-schemas.js';
import type { Topology, TopologyNode } from '../../model/types.js';
import { validateTopology } from '../../validate/index.js';
import { operationOf, type LabContext } from './context.js';
import { LabError, type LabReconfiguration } from './lab-types.js';
import { RUNS_ANYWAY } from './plan.js';
import { withoutRoutes } from './routes.js';
import { targetsOf } from './targets.js';

/** The fields of `lab.configure` that edit filters. */
const FILTER_FIELDS = ['securityGroups', 'inbound', 'outbound', 'subnets', 'default'] as const;

/** Whether a `lab.configure` change edits filters (and so goes through `editFilters`). */
export function editsFilters(change: LabReconfiguration): boolean {
  return FILTER_FIELDS.some((field) => change[field] !== undefined);
}

/** Applies a filter edit to the running lab; returns what changed. */
export function editFilters(ctx: LabContext, change: LabReconfiguration): string {
  const before = ctx.design;
  const node = before.nodes.find((n) => n.id === change.nodeId);
  if (!node) throw new LabError('not-found', `"${change.nodeId}" is not a node of this design`);
  const edited = editedNode(node, change);
  const parsed = nodeSchemaOf(node.kind).safeParse(edited);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(node)'}: ${issue.message}`).slice(0, 5);
    throw new LabError('bad-input', `${KIND_LABELS[node.kind]} "${node.id}" cannot take this edit: ${problems.join('; ')}`);
  }
  const design: Topology = { ...before, nodes: before.nodes.map((n) => (n.id === node.id ? (parsed.data as TopologyNode) : n)) };
  refuseNewErrors(before, design, node.id);
  ctx.design = design;
  ctx.requireGate().setTopology(withoutRoutes(design, ctx.dropped));
  // Re-sent lists make every forwarder ask the gate again: blocked targets leave rotation.
  for (const running of ctx.running.values()) {
    if (running.spec.upstreams.length > 0) operationOf(running, 'setTargets')(targetsOf(ctx, running.spec));
  }
  const fields = FILTER_FIELDS.filter((field) => change[field] !== undefined);
  return `${KIND_LABELS[node.kind].toLowerCase().replace('network acl', 'network ACL')} ${node.id}: ${fields.join(', ')} changed; the next connection obeys it`;
}

/** The node with the change's fields, each checked against what the kind has. */
function editedNode(node: TopologyNode, change: LabReconfiguration): Record<string, unknown> {
  const out: Record<string, unknown> = { ...node };
  // Security groups and network ACLs are the kinds with rules of their own.
  const isFilter = 'inbound' in node;
  const refuse = (field: string, what: string): never => {
    throw new LabError('bad-input', `${field} applies to ${what}; "${node.id}" is a ${KIND_LABELS[node.kind].toLowerCase()}`);
  };
  if (change.securityGroups !== undefined) {
    if (!KIND_TRAITS[node.kind].securityGroups) refuse('securityGroups', 'servers, balancers, proxies, caches, clients and auto-scaling groups');
    if (change.securityGroups === null) delete out['securityGroups'];
    else out['securityGroups'] = change.securityGroups;
  }
  for (const field of ['inbound', 'outbound', 'default'] as const) {
    if (change[field] === undefined) continue;
    if (!isFilter) refuse(field, 'security groups and network ACLs');
    out[field] = change[field];
  }
  if (change.subnets !== undefined) {
    if (node.kind !== 'network-acl') refuse('subnets', 'network ACLs (a route table\'s subnets need a restart)');
    out['subnets'] = change.subnets;
  }
  return out;
}

/**
 * Refuses an edit that makes the design wrong (an error it did not have), naming the
 * problems. A drawn edge the edit blocks (`connection-blocked`) is not refused: blocking a
 * flow is what a filter edit is for, and the lab runs such a design, answering 502.
 */
function refuseNewErrors(before: Topology, after: Topology, nodeId: string): void {
  const key = (d: { code: string; path?: string; message: string }): string => `${d.code}|${d.path ?? ''}|${d.message}`;
  const errors = (design: Topology) => validateTopology(design).filter((d) => d.severity === 'error' && !RUNS_ANYWAY.has(d.code));
  const had = new Set(errors(before).map(key));
  const fresh = errors(after).filter((d) => !had.has(key(d)));
  if (fresh.length === 0) return;
  throw new LabError('bad-input', `the edit of "${nodeId}" makes the design wrong: ${fresh.slice(0, 3).map((d) => `${d.code}: ${d.message}`).join('; ')}`);
}
