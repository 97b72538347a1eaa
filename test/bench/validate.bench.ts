/**
 * Validation benchmark: generated plans of 10,000 and 100,000 subnets, written as file
 * text; in one run it measures JSON.parse of that text, the schema check, and
 * validateTopology on the loaded topology. Target: validating 100,000 subnets costs at
 * most 3x the JSON.parse of its file. The same plans with 1,000 edges (servers calling
 * servers, each traced by `connection-blocked`) show what checking drawn connections
 * costs; the 100,000-subnet one keeps the same target.
 */
import { safeParseTopology, serializeTopology, type Topology, type TopologyNode } from '../../core/model/index.js';
import { Tracer } from '../../core/routing/trace.js';
import { validateTopology } from '../../core/validate/index.js';
import { interleavedMedians, type BenchFigure, type BenchModule } from './bench.js';

const SUBNETS_PER_VPC = 4096; // /28 subnets filling a /16, the largest AWS VPC

/**
 * A clean plan of `subnetCount` /28 subnets spread over /16 VPCs (10.N.0.0/16, one region
 * each), with per VPC: an internet gateway, a public main route table, a private table
 * (via NAT) associated with half of the subnets, a NAT gateway in a public subnet, and a
 * server in every tenth subnet (every other one with an explicit address). No diagnostic
 * is expected: it doubles as a false-positive check in the unit tests.
 */
export function generatePlan(subnetCount: number): Topology {
  const nodes: TopologyNode[] = [];
  const vpcCount = Math.ceil(subnetCount / SUBNETS_PER_VPC);
  let made = 0;
  for (let v = 0; v < vpcCount; v++) {
    const vpc = `vpc-${v}`;
    const second = v % 256;
    const first = 10 + Math.floor(v / 256);
    nodes.push({ id: vpc, kind: 'vpc', name: `VPC ${v}`, cidr: `${first}.${second}.0.0/16`, region: `region-${v}` });
    nodes.push({ id: `${vpc}-igw`, kind: 'internet-gateway', parent: vpc });
    const inVpc = Math.min(SUBNETS_PER_VPC, subnetCount - made);
    const privateSubnets: string[] = [];
    for (let s = 0; s < inVpc; s++) {
      const id = `${vpc}-s${s}`;
      const offset = s * 16;
      const cidr = `${first}.${second}.${offset >> 8}.${offset & 255}/28`;
      nodes.push({ id, kind: 'subnet', name: `subnet ${v}.${s}`, parent: vpc, cidr, zone: `zone-${s % 3}` });
      if (s % 2 === 1) privateSubnets.push(id);
      if (s === 0) nodes.push({ id: `${vpc}-nat`, kind: 'nat-gateway', parent: id, ip: `${first}.${second}.0.4` });
      if (s % 10 === 1) {
        const server: TopologyNode = { id: `${id}-web`, kind: 'server', parent: id };
        if (s % 20 === 1) server.ip = `${first}.${second}.${offset >> 8}.${(offset & 255) + 5}`;
        nodes.push(server);
      }
    }
    made += inVpc;
    nodes.push({
      id: `${vpc}-rt-public`,
      kind: 'route-table',
      parent: vpc,
      main: true,
      subnets: [],
      routes: [{ destination: '0.0.0.0/0', target: `${vpc}-igw` }],
    });
    nodes.push({
      id: `${vpc}-rt-private`,
      kind: 'route-table',
      parent: vpc,
      subnets: privateSubnets,
      routes: [{ destination: '0.0.0.0/0', target: `${vpc}-nat` }],
    });
  }
  return { schema: 'topolab/1', name: `${subnetCount} subnets`, provider: 'aws', nodes, edges: [], layout: {} };
}

/**
 * The plan with `count` edges: each of the first `count` servers calls the next server of
 * its VPC (the last one calls the first), so every flow stays inside a VPC and is
 * reachable. Every edge starts in a subnet of its own, so no walk is shared: the most a
 * tracer has to do per edge.
 */
export function withEdges(plan: Topology, count: number): Topology {
  const byVpc = new Map<string, string[]>();
  const parents = new Map(plan.nodes.map((n) => [n.id, n.parent]));
  const servers = plan.nodes.filter((n) => n.kind === 'server');
  for (const server of servers) {
    const vpc = parents.get(server.parent ?? '') ?? '';
    byVpc.set(vpc, [...(byVpc.get(vpc) ?? []), server.id]);
  }
  if (servers.length < count) throw new Error(`the plan has ${servers.length} servers, fewer than ${count} edges`);
  const edges = servers.slice(0, count).map((server, i) => {
    const peers = byVpc.get(parents.get(server.parent ?? '') ?? '') ?? [];
    const next = peers[(peers.indexOf(server.id) + 1) % peers.length] as string;
    return { id: `call-${i}`, from: server.id, to: next };
  });
  return { ...plan, name: `${plan.name} and ${count} edges`, edges };
}

const RUNS = 7;

/** The cases: plain plans, then the same plans with 1,000 edges. */
const CASES: { subnets: number; edges: number; target: boolean }[] = [
  { subnets: 10_000, edges: 0, target: false },
  { subnets: 100_000, edges: 0, target: true },
  { subnets: 10_000, edges: 1_000, target: false },
  { subnets: 100_000, edges: 1_000, target: true },
];

async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const { subnets: count, edges, target } of CASES) {
    const label = `${count.toLocaleString('en-US')} subnets${edges > 0 ? ` + ${edges.toLocaleString('en-US')} edges` : ''}`;
    const plan = generatePlan(count);
    const text = serializeTopology(edges > 0 ? withEdges(plan, edges) : plan);
    const loaded = safeParseTopology(text);
    if (!loaded.ok) throw new Error(`generated plan does not load: ${loaded.error.message}`);
    const topology = loaded.topology;
    const { parse: parseMs, load: loadMs, validate: validateMs } = interleavedMedians(RUNS, {
      parse: () => JSON.parse(text),
      load: () => safeParseTopology(text),
      validate: () => validateTopology(topology),
    }) as { parse: number; load: number; validate: number };
    const diagnostics = validateTopology(topology).length;
    const ratio = validateMs / parseMs;
    figures.push(
      { case: label, measure: 'file size', value: text.length / 1e6, unit: 'MB' },
      { case: label, measure: 'JSON.parse', value: parseMs, unit: 'ms' },
      { case: label, measure: 'schema check (load - JSON.parse)', value: Math.max(0, loadMs - parseMs), unit: 'ms' },
      { case: label, measure: 'validateTopology', value: validateMs, unit: 'ms' },
      { case: label, measure: 'diagnostics (clean plan)', value: diagnostics, unit: '', target: '= 0', ok: diagnostics === 0 },
      {
        case: label,
        measure: 'validate / JSON.parse',
        value: ratio,
        unit: 'x',
        ...(target ? { target: '<= 3', ok: ratio <= 3 } : {}),
      },
    );
    if (edges > 0) {
      // What the edges cost the tracer: every edge starts in a subnet of its own, so one walk each.
      const tracer = new Tracer(topology);
      for (const edge of topology.edges) tracer.trace({ from: edge.from, to: edge.to, protocol: 'tcp' });
      figures.push({ case: label, measure: 'trace walks for the edges', value: tracer.walks, unit: '' });
    }
  }
  return figures;
}

/** Registered in test/bench/index.ts. */
export const bench: BenchModule = { name: 'validate', run };
