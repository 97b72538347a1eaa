import { describe, expect, it } from 'vitest';
import { renderExport } from '../../../core/export/index.js';
import { parseTopology } from '../../../core/model/index.js';

/** A proxy and a cache sending to a DNS name of the design; a second cache whose `origins` names a node. */
const design = parseTopology(
  JSON.stringify({
    schema: 'topolab/1',
    nodes: [
      { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
      { id: 'app', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
      { id: 'web1', kind: 'server', parent: 'app', ip: '10.0.1.10' },
      { id: 'gw', kind: 'reverse-proxy', parent: 'app', ip: '10.0.1.30', rules: [{ pathPrefix: '/', upstreams: ['api.shop.example'] }] },
      { id: 'edge', kind: 'cache', parent: 'app', ip: '10.0.1.40', origins: ['api.shop.example'] },
      { id: 'near', kind: 'cache', parent: 'app', ip: '10.0.1.41', origins: ['web1'] },
      { id: 'shop', kind: 'dns-zone', name: 'shop.example', records: [{ name: 'api', type: 'A', ttl: 60, values: ['web1'], policy: 'simple' }] },
    ],
  }),
);

describe('upstreams named by DNS in the proxy configs', () => {
  it.each(['nginx', 'haproxy'] as const)('%s reports each DNS-named upstream as not expressible, and a cache origin naming a node joins its pool', (format) => {
    const result = renderExport(design, format);
    const dns = result.report.notExpressible.filter((e) => e.feature === 'dns-upstream').map((e) => [e.nodeId, e.detail.split(' ')[1]]);
    expect(dns).toEqual([
      ['gw', 'api.shop.example'],
      ['edge', 'api.shop.example'],
    ]);
    const config = result.files.map((f) => f.content).join('\n');
    // `near` fetches from web1 through its `origins`, as it would through an edge.
    const near = config.slice(config.indexOf('near'));
    expect(near).toMatch(/10\.0\.1\.10:80/);
  });
});
