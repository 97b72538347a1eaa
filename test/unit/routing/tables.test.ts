import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../../core/cidr/block.js';
import { parseIp } from '../../../core/cidr/address.js';
import { TopologyIndex } from '../../../core/model/queries.js';
import { parseTopology } from '../../../core/model/load.js';
import { longestPrefixMatch, RouteTables } from '../../../core/routing/tables.js';
import { buildValidationContext, isPublicSubnet } from '../../../core/validate/context.js';

const routes = (list: [string, string][]) => list.map(([destination, target]) => ({ destination, block: parseCidr(destination), target }));

describe('longestPrefixMatch', () => {
  const table = routes([
    ['0.0.0.0/0', 'igw'],
    ['10.0.0.0/16', 'local'],
    ['10.0.1.0/24', 'nat'],
    ['10.0.1.7/32', 'host'],
    ['::/0', 'igw6'],
    ['2001:db8::/32', 'peer'],
    ['2001:db8::1/128', 'one'],
  ]);
  it.each([
    ['10.0.1.7', 'host'],
    ['10.0.1.8', 'nat'],
    ['10.0.1.255', 'nat'],
    ['10.0.2.1', 'local'],
    ['10.0.255.255', 'local'],
    ['10.1.0.0', 'igw'],
    ['0.0.0.0', 'igw'],
    ['255.255.255.255', 'igw'],
    ['2001:db8::1', 'one'],
    ['2001:db8::2', 'peer'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'peer'],
    ['2001:db9::', 'igw6'],
    ['::', 'igw6'],
  ])('%s -> %s', (ip, target) => {
    expect(longestPrefixMatch(table, parseIp(ip))?.target).toBe(target);
  });

  it('matches nothing without a covering route, and never across IP versions', () => {
    const v4only = routes([['10.0.0.0/8', 'local']]);
    expect(longestPrefixMatch(v4only, parseIp('11.0.0.1'))).toBeUndefined();
    expect(longestPrefixMatch(v4only, parseIp('::a00:1'))).toBeUndefined();
    expect(longestPrefixMatch([], parseIp('10.0.0.1'))).toBeUndefined();
  });

  it('prefers the implicit local route on a tie, else the first in order', () => {
    const tie = [
      { block: parseCidr('10.0.0.0/16'), target: 'a', implicit: false },
      { block: parseCidr('10.0.0.0/16'), target: 'local', implicit: true },
      { block: parseCidr('10.0.0.0/16'), target: 'b', implicit: false },
    ];
    expect(longestPrefixMatch(tie, parseIp('10.0.3.3'))?.target).toBe('local');
    expect(longestPrefixMatch([tie[0]!, tie[2]!], parseIp('10.0.3.3'))?.target).toBe('a');
  });
});

describe('RouteTables', () => {
  const topology = parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16', secondaryCidrs: ['10.1.0.0/16', 'bad'] },
        { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
        { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
        { id: 'priv', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'lonely', kind: 'subnet', parent: 'vpc2', cidr: '10.9.0.0/24' },
        { id: 'vpc2', kind: 'vpc', cidr: '10.9.0.0/16' },
        { id: 'rt-main', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '10.0.0.0/16', target: 'local' }] },
        { id: 'rt-pub', kind: 'route-table', parent: 'vpc', subnets: ['pub'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '10.0.1.5/24', target: 'blackhole' }] },
      ],
    }),
  );
  const tables = new RouteTables(new TopologyIndex(topology));

  it('uses the explicit association, adding a local route per VPC CIDR', () => {
    const pub = tables.forSubnet('pub');
    expect(pub?.association).toBe('explicit');
    expect(pub?.table?.id).toBe('rt-pub');
    expect(pub?.routes.map((r) => [r.destination, r.target, r.implicit, r.index])).toEqual([
      ['10.0.0.0/16', 'local', true, undefined],
      ['10.1.0.0/16', 'local', true, undefined],
      ['0.0.0.0/0', 'igw', false, 0],
    ]);
  });

  it('falls back to the main table without listing a written local route twice', () => {
    const priv = tables.forSubnet('priv');
    expect(priv?.association).toBe('main');
    expect(priv?.routes.map((r) => [r.destination, r.implicit])).toEqual([
      ['10.1.0.0/16', true],
      ['10.0.0.0/16', false],
    ]);
  });

  it('reports no table when there is neither association nor main table', () => {
    expect(tables.forSubnet('lonely')).toMatchObject({ association: 'none', routes: [], vpcId: 'vpc2' });
    expect(tables.forSubnet('vpc')).toBeUndefined();
  });

  it('derives public subnets from a default route to the VPC internet gateway', () => {
    expect(tables.isPublic('pub')).toBe(true);
    expect(tables.isPublic('priv')).toBe(false);
    expect(tables.isPublic('lonely')).toBe(false);
  });

  it('agrees with the validator on which subnets are public, for a gateway of another VPC and per IP version too', () => {
    const design = parseTopology(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          ...topology.nodes,
          { id: 'igw2', kind: 'internet-gateway', parent: 'vpc2' },
          // IPv6 to the gateway, IPv4 nowhere: the IPv4 subnet has no way out (as in AWS), the IPv6 one has.
          { id: 'v4-only', kind: 'subnet', parent: 'vpc', cidr: '10.0.6.0/24' },
          { id: 'pub6', kind: 'subnet', parent: 'vpc', cidr: '2001:db8:0:6::/64' },
          { id: 'rt-v6', kind: 'route-table', parent: 'vpc', subnets: ['v4-only', 'pub6'], routes: [{ destination: '::/0', target: 'igw' }] },
          // IPv4 to the gateway only: not a way out for an IPv6 subnet.
          { id: 'priv6', kind: 'subnet', parent: 'vpc', cidr: '2001:db8:0:7::/64' },
          { id: 'rt-v4', kind: 'route-table', parent: 'vpc', subnets: ['priv6'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
          { id: 'other', kind: 'subnet', parent: 'vpc', cidr: '10.0.7.0/24' },
          { id: 'rt-other', kind: 'route-table', parent: 'vpc', subnets: ['other'], routes: [{ destination: '0.0.0.0/0', target: 'igw2' }] },
        ],
      }),
    );
    const routing = new RouteTables(new TopologyIndex(design));
    const context = buildValidationContext(design);
    const subnets = design.nodes.filter((n) => n.kind === 'subnet');
    expect(subnets.filter((s) => routing.isPublic(s.id)).map((s) => s.id)).toEqual(['pub', 'pub6']);
    expect(subnets.filter((s) => isPublicSubnet(context, s)).map((s) => s.id)).toEqual(['pub', 'pub6']);
  });
});
