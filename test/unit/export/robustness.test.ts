import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EXPORT_FORMATS, renderExport } from '../../../core/export/index.js';
import { TopologySchema } from '../../../core/model/schema.js';

/** A small deterministic generator, so a failing design can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const TEXT = ['a;}', 'x\ny', '${v}', '%{y}', '"q"', "it's", '<b>', 'ok', '', '\u0000', '$dollar', '100%', '/p a', '*.ex.com', 'ex.com'];
const CIDRS = ['10.0.0.0/16', '10.0.1.0/24', '10.0.2.0/24', '10.0.1.5/24', 'nonsense', '2001:db8::/56', '2001:db8:0:1::/64', '10.0.0.0/30'];

/** A schema-valid design with random kinds, containment, edges and free text: often nonsense, never malformed. */
function randomDesign(seed: number): unknown {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const nodes: Record<string, unknown>[] = [];
  const ids: string[] = [];
  const count = 3 + Math.floor(next() * 14);
  for (let i = 0; i < count; i++) {
    const id = `n${i}`;
    const kind = pick(['vpc', 'subnet', 'server', 'load-balancer', 'reverse-proxy', 'cache', 'autoscaling-group', 'route-table', 'internet-gateway', 'nat-gateway', 'forward-proxy', 'client', 'peering', 'dns-zone']);
    const node: Record<string, unknown> = { id, kind, name: pick(TEXT), description: pick(TEXT) };
    if (kind === 'dns-zone') {
      node['name'] = pick(['shop.example', 'a;}', 'x\ny', '"q"', 'ex.com', '*.ex.com']);
      node['records'] = Array.from({ length: Math.floor(next() * 4) }, () => ({
        name: pick(['www', '@', ...TEXT.filter((t) => t !== '')]),
        type: pick(['A', 'AAAA', 'CNAME', 'TXT']),
        ttl: pick([60, 0, -1, 1.5, 2 ** 31]),
        values: [pick([...ids, ...TEXT, '10.0.1.9', '2001:db8::9']), pick([...ids, 'www.ex.com'])],
        policy: pick(['simple', 'weighted', 'failover', 'multivalue', 'latency']),
        ...(next() < 0.3 ? { weights: [1, 0] } : {}),
        ...(next() < 0.3 ? { healthCheck: { path: '/h' } } : {}),
      }));
    }
    if (ids.length > 0 && next() < 0.8) node['parent'] = pick(ids);
    if (kind === 'vpc' || kind === 'subnet') node['cidr'] = pick(CIDRS);
    if (kind === 'subnet') node['zone'] = pick(TEXT);
    if (kind === 'load-balancer') {
      node['layer'] = pick([4, 7]);
      node['algorithm'] = pick(['round-robin', 'weighted-round-robin', 'least-connections', 'source-hash', 'random-two']);
      if (next() < 0.5) node['healthCheck'] = { path: `/${pick(TEXT).replace(/^\/*/, '')}`, intervalMs: 50 + Math.floor(next() * 5000), fall: 1, rise: 1 };
      if (next() < 0.3) node['sticky'] = { cookie: 'C' };
      if (next() < 0.3) node['maxBodyBytes'] = Math.floor(next() * 3) * 1024;
    }
    if (kind === 'server' && next() < 0.5) node['weight'] = Math.floor(next() * 4);
    if (kind === 'route-table') node['routes'] = [{ destination: pick(CIDRS), target: pick([...ids, 'local', 'blackhole']) || 'local' }];
    if (kind === 'peering') node['vpcs'] = [pick(ids.length > 0 ? ids : [id]), pick(ids.length > 0 ? ids : [id])];
    if (kind === 'autoscaling-group') Object.assign(node, { min: Math.floor(next() * 3), max: 1 + Math.floor(next() * 4), template: { port: 8080 } });
    if (['server', 'load-balancer', 'reverse-proxy', 'cache'].includes(kind) && next() < 0.4) node['ip'] = pick(['10.0.1.9', '2001:db8:0:1::9', '10.0.1.300', '10.0.2.7']);
    if (kind === 'reverse-proxy' && ids.length > 0) {
      node['rules'] = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
        ...(next() < 0.5 ? { host: pick(TEXT) } : {}),
        ...(next() < 0.7 ? { pathPrefix: `/${pick(TEXT)}` } : {}),
        upstreams: [pick(ids)],
        ...(next() < 0.3 ? { rewritePrefix: `/${pick(TEXT)}` } : {}),
        ...(next() < 0.3 ? { requestHeaders: { [pick(['X-A', 'X B', 'X-C'])]: pick(TEXT) } } : {}),
      }));
    }
    nodes.push(node);
    ids.push(id);
  }
  const edges = Array.from({ length: Math.floor(next() * count * 1.5) }, (_, i) => ({ id: `e${i}`, from: pick(ids), to: pick(ids), label: pick(TEXT) }));
  return { schema: 'topolab/1', name: pick(TEXT), nodes, edges, layout: {} };
}

describe('every target renders any schema-valid design without throwing', () => {
  // CPU-bound (360 renders, ~1 s alone): room for a busy 2-core machine, as the other randomized tests have.
  it('on 60 random designs', { timeout: 30_000 }, () => {
    let rendered = 0;
    for (let seed = 1; rendered < 60 && seed < 1000; seed++) {
      const parsed = TopologySchema.safeParse(randomDesign(seed));
      if (!parsed.success) continue; // e.g. a parent cycle: the schema refuses it before any export
      rendered++;
      for (const format of EXPORT_FORMATS) {
        const result = renderExport(parsed.data, format);
        // Zone files exist only for zones with a usable name; every other target always writes files.
        if (format === 'bind') expect(result.files.length + result.report.notExpressible.length, `seed ${seed} ${format}`).toBeGreaterThanOrEqual(parsed.data.nodes.filter((n) => n.kind === 'dns-zone').length);
        else expect(result.files.length, `seed ${seed} ${format}`).toBeGreaterThan(0);
        for (const file of result.files) {
          if (file.path.endsWith('.drawio')) expect(XMLValidator.validate(file.content), `seed ${seed}`).toBe(true);
          if (/\.ya?ml$/.test(file.path)) for (const doc of parseAllDocuments(file.content)) expect(doc.errors, `seed ${seed}`).toEqual([]);
        }
      }
    }
    expect(rendered).toBe(60);
  });
});
