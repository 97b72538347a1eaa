/**
 * Validation benchmark: generated plans of 10,000 and 100,000 subnets, written as file
 * text; in one run it measures JSON.parse of that text, the schema check, and
 * validateTopology on the loaded topology. Target: validating 100,000 subnets costs at
 * most 3x the JSON.parse of its file.
 */
import { safeParseTopology, serializeTopology, type Topology, type TopologyNode } from '../../core/model/index.js';
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

const RUNS = 7;

async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const count of [10_000, 100_000]) {
    const label = `${count.toLocaleString('en-US')} subnets`;
    const text = serializeTopology(generatePlan(count));
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
        ...(count === 100_000 ? { target: '<= 3', ok: ratio <= 3 } : {}),
      },
    );
  }
  return figures;
}

/** Registered in test/bench/index.ts. */
export const bench: BenchModule = { name: 'validate', run };
