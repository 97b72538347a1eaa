import { KIND_TRAITS, type Topology, type TopologyNode } from '../../core/model/index.js';
import type { ConfigureInput, FaultInput } from './types.js';

/** What an edit made while the lab runs means for the running lab. */
export interface EditVerdict {
  /** Why the edit is refused (it changes the structure the lab runs), or undefined. */
  refused?: string;
  /** Faults that apply the edit to the running lab at once. */
  live: FaultInput[];
  /** Live reconfigurations (`lab.configure`): weights, health checks, algorithms, filters. */
  configure: ConfigureInput[];
  /** Property changes the runtime cannot apply live: they take effect at the next launch. */
  deferred: string[];
}

/** Fields that are only drawing or naming: free to edit while the lab runs. */
const COSMETIC = new Set(['name', 'description', 'tags', 'zone']);
/** Fields the lab's address map and wiring depend on. */
const STRUCTURAL = new Set(['kind', 'parent', 'ip', 'port', 'cidr', 'secondaryCidrs', 'subnets', 'routes', 'vpcs', 'template', 'command', 'layer', 'rules', 'main', 'internetFacing', 'allow', 'deny']);

/** The milliseconds `lab.inject latency` takes for a designed latency (its mean or fixed value). */
export function latencyValue(latency: unknown): number {
  if (typeof latency === 'number') return latency;
  if (latency && typeof latency === 'object' && typeof (latency as { ms?: unknown }).ms === 'number') return (latency as { ms: number }).ms;
  return 0;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A filter edit the lab takes live (`lab.configure`): a node's security groups, a security
 * group's or network ACL's rules and default flag, an ACL's subnets; `undefined` for any
 * other field.
 */
function filterEdit(node: TopologyNode, field: string, value: unknown): ConfigureInput | undefined {
  if (field === 'securityGroups' && KIND_TRAITS[node.kind].securityGroups) return { nodeId: node.id, securityGroups: (value as string[] | undefined) ?? null };
  // Security groups and network ACLs are the kinds with rules of their own.
  if (!('inbound' in node)) return undefined;
  if (field === 'inbound' || field === 'outbound') return { nodeId: node.id, [field]: (value as unknown[] | undefined) ?? [] } as ConfigureInput;
  if (field === 'default') return { nodeId: node.id, default: value === true };
  if (field === 'subnets' && node.kind === 'network-acl') return { nodeId: node.id, subnets: (value as string[] | undefined) ?? [] };
  return undefined;
}

/**
 * Compares the document as launched with an edited one. Adding, deleting, re-parenting,
 * connecting or re-addressing nodes is refused (the running services would no longer match
 * the drawing); latency and error rate of servers become `lab.inject` faults; a server's
 * weight, a balancer's health check and algorithm, and the filters (a node's security
 * groups, a group's or ACL's rules, subnets and default flag) become `lab.configure` changes;
 * anything else is kept for the next launch.
 * Moves and renames are always fine. Pure.
 */
export function classifyEdit(launched: Topology, next: Topology): EditVerdict {
  const verdict: EditVerdict = { live: [], configure: [], deferred: [] };
  const before = new Map(launched.nodes.map((n) => [n.id, n]));
  const after = new Map(next.nodes.map((n) => [n.id, n]));
  const added = next.nodes.filter((n) => !before.has(n.id)).map((n) => n.id);
  const removed = launched.nodes.filter((n) => !after.has(n.id)).map((n) => n.id);
  if (added.length > 0) return { ...verdict, refused: `the lab is running: stop it to add ${added.join(', ')}` };
  if (removed.length > 0) return { ...verdict, refused: `the lab is running: stop it to delete ${removed.join(', ')}` };
  const edgeKey = (e: { from: string; to: string }): string => `${e.from}->${e.to}`;
  if (!same(launched.edges.map(edgeKey).sort(), next.edges.map(edgeKey).sort())) {
    return { ...verdict, refused: 'the lab is running: stop it to connect or disconnect nodes' };
  }
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (!old || old === node) continue;
    const fields = new Set([...Object.keys(old), ...Object.keys(node)]);
    for (const field of fields) {
      const a = (old as Record<string, unknown>)[field];
      const b = (node as Record<string, unknown>)[field];
      if (same(a, b) || COSMETIC.has(field)) continue;
      const filter = filterEdit(node, field, b);
      if (filter) {
        verdict.configure.push(filter);
        continue;
      }
      if (STRUCTURAL.has(field)) {
        const what = field === 'parent' ? `move ${node.id} into another container` : `change ${field} of ${node.id}`;
        return { live: [], configure: [], deferred: [], refused: `the lab is running: stop it to ${what}` };
      }
      if (node.kind === 'server' && field === 'latencyMs') {
        verdict.live.push({ nodeId: node.id, action: 'latency', value: latencyValue(b) });
      } else if (node.kind === 'server' && field === 'errorRate') {
        verdict.live.push({ nodeId: node.id, action: 'error-rate', value: typeof b === 'number' ? b : 0 });
      } else if (node.kind === 'server' && field === 'weight') {
        verdict.configure.push({ nodeId: node.id, weight: typeof b === 'number' ? b : 1 });
      } else if (node.kind === 'load-balancer' && field === 'healthCheck') {
        verdict.configure.push({ nodeId: node.id, healthCheck: node.healthCheck ?? null });
      } else if (node.kind === 'load-balancer' && field === 'algorithm') {
        verdict.configure.push({ nodeId: node.id, algorithm: node.algorithm });
      } else {
        verdict.deferred.push(`${field} of ${node.id}`);
      }
    }
  }
  return verdict;
}
