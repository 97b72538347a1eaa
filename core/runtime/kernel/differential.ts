import { groupInstancePort, resolveAddresses } from '../../model/addresses.js';
import { safeParsePorts } from '../../model/ports.js';
import { KIND_TRAITS, type NodeKind } from '../../model/kinds/index.js';
import { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import { TraceInputError } from '../../routing/endpoints.js';
import { trace, type TraceRequest } from '../../routing/trace.js';
import { validateTopology } from '../../validate/index.js';
import { DialBook } from './dial.js';
import { HostProcess } from './host-process.js';
import type { ProbeOutcome } from './host/protocol.js';
import { KernelNetwork } from './kernel-network.js';
import { planKernelNetwork } from './plan/network.js';
import { KernelSandbox } from './sandbox.js';

/** Whether a kind listens on its designed port (takes plain or proxy requests at one address): the destinations of the differential flows. */
const listens = (kind: NodeKind): boolean => KIND_TRAITS[kind].addressable && (KIND_TRAITS[kind].receives === 'http' || KIND_TRAITS[kind].receives === 'proxy');

/** One flow of the corpus: what trace says and what the kernel did. */
export interface FlowVerdict {
  from: string;
  to: string;
  /** The address and port the source dialled (private or public, as the lab resolves it). */
  dialled: string;
  /**
   * The port the source connected from, when it matters: trace blocks a flow whose replies
   * some of the source's ephemeral ports cannot get (a stateless ACL), so the kernel is
   * asked from one of those ports. Absent: any port the kernel picks.
   */
  sourcePort?: number;
  traced: 'reachable' | 'blocked';
  /** Trace's blocker, for blocked flows. */
  blockedBy?: string;
  kernel: ProbeOutcome;
  agree: boolean;
}

/** The differential run of one design. */
export interface DifferentialResult {
  design: string;
  flows: FlowVerdict[];
  /** Why the design was not run (it cannot become a kernel network). */
  skipped?: string;
}

/** Options of a differential run. */
export interface DifferentialOptions {
  /** How long a TCP connect may take before it counts as timed out, ms. Default 2000. */
  timeoutMs?: number;
  /** Probes in flight at once. Default 64. */
  parallel?: number;
}

/**
 * Builds the design's kernel network (no services: a bare TCP listener on each listening
 * node's designed address and port, and on every auto-scaling instance's) and, for every
 * ordered pair of addressable nodes, compares trace's verdict with the kernel's: a TCP
 * connect from the source's namespace that is answered (reachable) or refused, unreachable
 * or timed out (blocked). Every disagreement is a bug in trace or in the kernel mapping.
 */
export async function runDifferential(name: string, topology: Topology, options: DifferentialOptions = {}): Promise<DifferentialResult> {
  const planned = planKernelNetwork(topology, { diagnostics: validateTopology(topology) });
  if (!planned.ok) {
    const codes = planned.problems.map((p) => p.code).filter((c, i, all) => all.indexOf(c) === i);
    return { design: name, flows: [], skipped: `${codes.length} kinds of error: ${codes.slice(0, 3).join(', ')}${codes.length > 3 ? ', ...' : ''}` };
  }
  const plan = planned.plan;
  const index = new TopologyIndex(topology);
  const ports = listeningPorts(index);
  const sandbox = await KernelSandbox.create();
  const hosts = new Map<string, HostProcess>();
  try {
    await new KernelNetwork(sandbox, plan).build();
    for (const [id, ns] of Object.entries(plan.nodeNamespaces)) hosts.set(id, new HostProcess(sandbox, ns));
    await Promise.all([...hosts.values()].map((h) => h.started()));
    const destinations = [...hosts.keys()].filter((id) => ports.has(id));
    await Promise.all(destinations.map((id) => hosts.get(id)?.call({ op: 'listen', host: plan.addressing[id]?.private as string, port: ports.get(id) as number })));
    // Each host first knocks at its router (refused or dropped, never counted), so the neighbour
    // entries of every link exist before the flows: dozens of first packets waiting on neighbour
    // resolution at once on a loaded machine can outlast the 2 s a flow gets.
    await Promise.all(
      [...hosts].map(([id, host]) => {
        const ns = plan.namespaces.find((n) => n.name === plan.nodeNamespaces[id]);
        const gateways = (ns?.routes ?? []).flatMap((r) => (r.via !== undefined && r.destination.endsWith('/0') ? [r.via] : []));
        return Promise.all(gateways.map((gateway) => host.call({ op: 'probe', host: gateway, port: 9, timeoutMs: 500 })));
      }),
    );
    const dial = new DialBook(topology, plan.addressing);
    const ephemeralEdges = aclPortEdges(index);
    const cases: Omit<FlowVerdict, 'kernel' | 'agree'>[] = [];
    for (const from of hosts.keys()) {
      if (from.includes('#')) continue; // an instance is not a design node: trace cannot start there
      for (const to of destinations) {
        if (to === from) continue;
        const port = ports.get(to) as number;
        const address = dial.address(from, to) as string;
        const target = to.includes('#') ? (plan.addressing[to]?.private as string) : to;
        const verdict = traced(topology, { from, to: target, port });
        const sourcePort = verdict.traced === 'blocked' ? failingSourcePort(topology, { from, to: target, port }, ephemeralEdges) : undefined;
        cases.push({ from, to, dialled: address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`, ...verdict, ...(sourcePort !== undefined ? { sourcePort } : {}) });
      }
    }
    const flows = await inBatches(cases, options.parallel ?? 64, async (flow) => {
      const host = hosts.get(flow.from) as HostProcess;
      const [address, port] = splitAddress(flow.dialled);
      const result = await host.call<{ outcome: ProbeOutcome }>({ op: 'probe', host: address, port, timeoutMs: options.timeoutMs ?? 2000, ...(flow.sourcePort !== undefined ? { localPort: flow.sourcePort } : {}) });
      return { ...flow, kernel: result.outcome, agree: (result.outcome === 'answered') === (flow.traced === 'reachable') };
    });
    return { design: name, flows };
  } finally {
    await Promise.allSettled([...hosts.values()].map((h) => h.close()));
    await sandbox.close();
  }
}

/** The agreement table: one row per design, then every disagreement with trace's reason. */
export function formatAgreement(results: readonly DifferentialResult[]): string {
  const rows = [['design', 'flows', 'reachable', 'blocked', 'agree', 'agreement']];
  let total = 0;
  let agreed = 0;
  for (const r of results) {
    if (r.skipped !== undefined) {
      rows.push([r.design, '-', '-', '-', '-', `skipped (${r.skipped})`]);
      continue;
    }
    const agree = r.flows.filter((f) => f.agree).length;
    total += r.flows.length;
    agreed += agree;
    const reachable = r.flows.filter((f) => f.traced === 'reachable').length;
    rows.push([r.design, String(r.flows.length), String(reachable), String(r.flows.length - reachable), String(agree), percent(agree, r.flows.length)]);
  }
  rows.push(['total', String(total), '', '', String(agreed), percent(agreed, total)]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  for (const r of results) {
    for (const f of r.flows.filter((flow) => !flow.agree)) {
      lines.push(`DISAGREE ${r.design}: ${f.from} -> ${f.to} (${f.dialled}): trace ${f.traced}${f.blockedBy ? ` (${f.blockedBy})` : ''}, kernel ${f.kernel}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((part / whole) * 100).toFixed(1)}%`;
}

function traced(topology: Topology, request: TraceRequest): { traced: 'reachable' | 'blocked'; blockedBy?: string } {
  try {
    const result = trace(topology, request);
    if (result.verdict === 'reachable') return { traced: 'reachable' };
    return { traced: 'blocked', blockedBy: `${result.blockedBy?.nodeId}: ${result.blockedBy?.reason}` };
  } catch (error) {
    if (error instanceof TraceInputError) return { traced: 'blocked', blockedBy: error.message };
    throw error;
  }
}

/**
 * Trace judges the replies of a flow for every port of the source's ephemeral range, and
 * blocks it when a stateless ACL refuses some of them; a TCP connect uses one port. So a
 * flow trace blocks is probed from a port trace blocks it on, when there is one: the first
 * of the range's ends and the edges of every ACL rule's ports (the only places a verdict
 * can change) for which trace with that `sourcePort` blocks too. `undefined` when no port
 * changes anything (the flow is blocked on every port, or for another reason).
 */
function failingSourcePort(topology: Topology, request: TraceRequest, edges: readonly number[]): number | undefined {
  const open = edges.filter((port) => traced(topology, { ...request, sourcePort: port }).traced === 'reachable');
  if (open.length === 0) return undefined;
  return edges.find((port) => traced(topology, { ...request, sourcePort: port }).traced === 'blocked');
}

/** The ports where an ACL verdict on a reply can change: each rule's first and last port and their neighbours, and the ephemeral ranges' ends (unprivileged ports only). */
function aclPortEdges(index: TopologyIndex): number[] {
  const edges = new Set<number>([1024, 32768, 60999, 65535]);
  for (const acl of index.ofKind('network-acl')) {
    for (const rule of [...acl.inbound, ...acl.outbound]) {
      const parsed = rule.ports === undefined ? undefined : safeParsePorts(rule.ports);
      if (!parsed?.ok) continue;
      for (const port of [parsed.range.from - 1, parsed.range.from, parsed.range.to, parsed.range.to + 1]) if (port >= 1024 && port <= 65535) edges.add(port);
    }
  }
  return [...edges].sort((a, b) => a - b);
}

/** The designed port of every node and instance that listens. */
function listeningPorts(index: TopologyIndex): Map<string, number> {
  const ports = new Map<string, number>();
  for (const [id, address] of resolveAddresses(index)) {
    const node = index.node(id);
    if (node && listens(node.kind) && !index.nodeOfKind(node.parent, 'autoscaling-group') && address.port > 0) ports.set(id, address.port);
  }
  for (const group of index.ofKind('autoscaling-group')) {
    const port = groupInstancePort(index, group);
    for (let n = 1; n <= group.max; n++) ports.set(`${group.id}#${n}`, port);
  }
  return ports;
}

function splitAddress(text: string): [string, number] {
  const at = text.lastIndexOf(':');
  return [text.slice(0, at).replace(/^\[(.*)\]$/, '$1'), Number(text.slice(at + 1))];
}

async function inBatches<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return out;
}
