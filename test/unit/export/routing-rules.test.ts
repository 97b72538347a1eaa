import { describe, expect, it } from 'vitest';
import { renderExport } from '../../../core/export/index.js';
import { parseTopology, type Topology } from '../../../core/model/index.js';
import { RouteTables } from '../../../core/routing/index.js';
import { TopologyIndex } from '../../../core/model/index.js';

/**
 * The exporters take route tables, associations and publicness from core/routing, so an
 * export never calls a subnet public that trace, validate and the lab call private.
 */
function design(tables: object[], extra: object[] = []): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc-a', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw-a', kind: 'internet-gateway', parent: 'vpc-a' },
        { id: 'app', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.1.0/24', zone: 'a' },
        { id: 'vpc-b', kind: 'vpc', cidr: '10.1.0.0/16' },
        { id: 'igw-b', kind: 'internet-gateway', parent: 'vpc-b' },
        { id: 'web', kind: 'subnet', parent: 'vpc-b', cidr: '10.1.1.0/24', zone: 'a' },
        ...extra,
        ...tables,
      ],
    }),
  );
}

const publicOnLaunch = (topology: Topology, subnet: string): boolean => {
  const main = renderExport(topology, 'terraform').files.find((f) => f.path === 'main.tf')?.content ?? '';
  const block = main.slice(main.indexOf(`resource "aws_subnet" "${subnet}"`));
  return block.slice(0, block.indexOf('\n}')).includes('map_public_ip_on_launch = true');
};

const isPublic = (topology: Topology, subnet: string): boolean => new RouteTables(new TopologyIndex(topology)).isPublic(subnet);

describe('Terraform publicness follows core/routing', () => {
  it('a route to an internet gateway that is not the default route does not make a subnet public', () => {
    const topology = design([{ id: 'rt-a', kind: 'route-table', parent: 'vpc-a', subnets: ['app'], routes: [{ destination: '203.0.113.0/24', target: 'igw-a' }] }]);
    expect(isPublic(topology, 'app')).toBe(false);
    // The exporter used to say public here (any route to any internet gateway).
    expect(publicOnLaunch(topology, 'app')).toBe(false);
  });

  it('a default route to the internet gateway of another VPC does not make a subnet public', () => {
    const topology = design([{ id: 'rt-a', kind: 'route-table', parent: 'vpc-a', subnets: ['app'], routes: [{ destination: '0.0.0.0/0', target: 'igw-b' }] }]);
    expect(isPublic(topology, 'app')).toBe(false);
    expect(publicOnLaunch(topology, 'app')).toBe(false);
  });

  it('a table listing a subnet of another VPC does not route it (routing ignores the association, so does the export)', () => {
    const topology = design([
      { id: 'rt-b', kind: 'route-table', parent: 'vpc-b', subnets: ['app', 'web'], routes: [{ destination: '0.0.0.0/0', target: 'igw-b' }] },
      { id: 'rt-a', kind: 'route-table', parent: 'vpc-a', main: true, routes: [] },
    ]);
    expect(isPublic(topology, 'app')).toBe(false);
    expect(isPublic(topology, 'web')).toBe(true);
    expect(publicOnLaunch(topology, 'app')).toBe(false);
    expect(publicOnLaunch(topology, 'web')).toBe(true);
    // Compose: the subnet's network is internal (no route out through its own VPC's table).
    const compose = renderExport(topology, 'compose').report.expressed.find((e) => e.nodeId === 'app');
    expect(compose?.detail).toMatch(/internal \(no route out\)/);
  });

  it('the default route to its own internet gateway makes a subnet public, in both', () => {
    const topology = design([{ id: 'rt-a', kind: 'route-table', parent: 'vpc-a', subnets: ['app'], routes: [{ destination: '0.0.0.0/0', target: 'igw-a' }] }]);
    expect(isPublic(topology, 'app')).toBe(true);
    expect(publicOnLaunch(topology, 'app')).toBe(true);
  });
});

describe('no kind is dropped without a word', () => {
  it('Kubernetes and Terraform report every client, which they cannot express', () => {
    const topology = design([], [{ id: 'visitor', kind: 'client' }]);
    for (const format of ['kubernetes', 'terraform'] as const) {
      const report = renderExport(topology, format).report;
      expect(report.notExpressible.some((e) => e.nodeId === 'visitor' && e.feature === 'client'), format).toBe(true);
    }
  });
});
