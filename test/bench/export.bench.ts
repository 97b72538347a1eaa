/**
 * Export benchmark: one design of 100 balancers, each in front of 10 servers, a reverse
 * proxy with 100 rules and a cache, spread over 64 subnets (1,169 nodes), rendered
 * for every target. Target: each export of it in at most 1 s, so exporting from the
 * canvas never stalls the app.
 */
import { EXPORT_FORMATS, renderExport } from '../../core/export/index.js';
import { TopologySchema } from '../../core/model/schema.js';
import type { Topology } from '../../core/model/types.js';
import { medianMs, type BenchFigure, type BenchModule } from './bench.js';

const TARGET_MS = 1000;

/** A large, valid design: `balancers` load balancers of `perBalancer` servers each, plus a proxy and a cache. */
export function generateExportDesign(balancers: number, perBalancer: number): Topology {
  const nodes: Record<string, unknown>[] = [{ id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' }];
  const edges: Record<string, unknown>[] = [];
  for (let s = 0; s < 64; s++) nodes.push({ id: `subnet-${s}`, kind: 'subnet', parent: 'vpc', cidr: `10.0.${s}.0/24`, zone: `zone-${s % 3}` });
  nodes.push({ id: 'igw', kind: 'internet-gateway', parent: 'vpc' });
  nodes.push({ id: 'rt', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '0.0.0.0/0', target: 'igw' }] });
  const rules: Record<string, unknown>[] = [];
  for (let b = 0; b < balancers; b++) {
    const lb = `lb-${b}`;
    nodes.push({ id: lb, kind: 'load-balancer', parent: `subnet-${b % 64}`, algorithm: b % 2 === 0 ? 'least-connections' : 'weighted-round-robin', healthCheck: { path: '/health', intervalMs: 2000 } });
    for (let s = 0; s < perBalancer; s++) {
      const server = `${lb}-s${s}`;
      nodes.push({ id: server, kind: 'server', parent: `subnet-${(b + s + 1) % 64}`, weight: 1 + (s % 3) });
      edges.push({ id: `${lb}-e${s}`, from: lb, to: server });
    }
    rules.push({ host: `svc${b}.example.com`, pathPrefix: `/api/${b}/`, upstreams: [lb], requestHeaders: { 'X-Svc': `svc ${b}` } });
  }
  nodes.push({ id: 'gw', kind: 'reverse-proxy', parent: 'subnet-0', internetFacing: true, rules });
  nodes.push({ id: 'cdn', kind: 'cache', parent: 'subnet-0', defaultTtl: 60 });
  edges.push({ id: 'cdn-e', from: 'cdn', to: 'lb-0' });
  return TopologySchema.parse({ schema: 'topolab/1', name: 'export bench', nodes, edges });
}

export const bench: BenchModule = {
  name: 'export',
  async run(): Promise<BenchFigure[]> {
    const design = generateExportDesign(100, 10);
    const label = `${design.nodes.length} nodes, 100 balancers`;
    return EXPORT_FORMATS.map((format) => {
      const ms = medianMs(5, () => renderExport(design, format));
      return { case: label, measure: `render ${format}`, value: ms, unit: 'ms', target: `<= ${TARGET_MS}`, ok: ms <= TARGET_MS };
    });
  },
};
