import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { TraceInputError } from '../../../core/routing/endpoints.js';
import { trace } from '../../../core/routing/trace.js';

/** One design with every situation the tracer distinguishes. */
function world(): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      name: 'trace world',
      nodes: [
        { id: 'vpc-a', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw-a', kind: 'internet-gateway', parent: 'vpc-a' },
        { id: 'pub-a', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.0.0/24' },
        { id: 'lb', kind: 'load-balancer', parent: 'pub-a', ip: '10.0.0.10', internetFacing: true },
        { id: 'lb-int', kind: 'load-balancer', parent: 'pub-a', ip: '10.0.0.11' },
        { id: 'nat', kind: 'nat-gateway', parent: 'pub-a', ip: '10.0.0.20' },
        { id: 'web-pub', kind: 'server', parent: 'pub-a', ip: '10.0.0.30' },
        { id: 'priv-a', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.1.0/24' },
        { id: 'app', kind: 'server', parent: 'priv-a', ip: '10.0.1.10' },
        { id: 'nat-bad', kind: 'nat-gateway', parent: 'priv-a', ip: '10.0.1.20' },
        { id: 'priv-b', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.2.0/24' },
        { id: 'app-b', kind: 'server', parent: 'priv-b', ip: '10.0.2.10' },
        { id: 'iso', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.3.0/24' },
        { id: 'iso-srv', kind: 'server', parent: 'iso', ip: '10.0.3.10' },
        { id: 'rt-pub', kind: 'route-table', parent: 'vpc-a', subnets: ['pub-a'], routes: [{ destination: '0.0.0.0/0', target: 'igw-a' }] },
        {
          id: 'rt-priv',
          kind: 'route-table',
          parent: 'vpc-a',
          main: true,
          routes: [
            { destination: '0.0.0.0/0', target: 'nat' },
            { destination: '10.1.0.0/16', target: 'pcx-ab' },
            { destination: '10.2.0.0/16', target: 'pcx-ac' },
            { destination: '10.0.9.0/24', target: 'blackhole' },
          ],
        },
        { id: 'rt-nat-bad', kind: 'route-table', parent: 'vpc-a', subnets: ['priv-b'], routes: [{ destination: '0.0.0.0/0', target: 'nat-bad' }] },
        { id: 'rt-iso', kind: 'route-table', parent: 'vpc-a', subnets: ['iso'], routes: [] },
        { id: 'routed', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.4.0/24' },
        { id: 'routed-srv', kind: 'server', parent: 'routed', ip: '10.0.4.10' },
        { id: 'rt-routed', kind: 'route-table', parent: 'vpc-a', subnets: ['routed'], routes: [{ destination: '0.0.0.0/0', target: 'web-pub' }] },
        { id: 'vpc-b', kind: 'vpc', cidr: '10.1.0.0/16' },
        { id: 'sub-b', kind: 'subnet', parent: 'vpc-b', cidr: '10.1.0.0/24' },
        { id: 'db', kind: 'server', parent: 'sub-b', ip: '10.1.0.10', port: 5432 },
        { id: 'rt-b', kind: 'route-table', parent: 'vpc-b', main: true, routes: [{ destination: '10.0.0.0/16', target: 'pcx-ab' }] },
        { id: 'pcx-ab', kind: 'peering', vpcs: ['vpc-a', 'vpc-b'] },
        { id: 'vpc-c', kind: 'vpc', cidr: '10.2.0.0/16' },
        { id: 'sub-c', kind: 'subnet', parent: 'vpc-c', cidr: '10.2.0.0/24' },
        { id: 'srv-c', kind: 'server', parent: 'sub-c', ip: '10.2.0.10' },
        { id: 'rt-c', kind: 'route-table', parent: 'vpc-c', main: true, routes: [] },
        { id: 'pcx-ac', kind: 'peering', vpcs: ['vpc-a', 'vpc-c'] },
        { id: 'vpc-d', kind: 'vpc', cidr: '10.3.0.0/16' },
        { id: 'sub-d', kind: 'subnet', parent: 'vpc-d', cidr: '10.3.0.0/24' },
        { id: 'srv-d', kind: 'server', parent: 'sub-d', ip: '10.3.0.10' },
        { id: 'rt-d', kind: 'route-table', parent: 'vpc-d', subnets: ['sub-d'], routes: [] },
        { id: 'vpc-e', kind: 'vpc', cidr: '10.4.0.0/16' },
        { id: 'sub-e', kind: 'subnet', parent: 'vpc-e', cidr: '10.4.0.0/24' },
        { id: 'srv-e', kind: 'server', parent: 'sub-e', ip: '10.4.0.10' },
        { id: 'user', kind: 'client', ip: '198.51.100.7' },
        { id: 'anon', kind: 'client' },
      ],
    }),
  );
}

interface Case {
  name: string;
  from: string;
  to: string;
  port?: number;
  verdict: 'reachable' | 'blocked';
  blockedBy?: string;
  reason?: RegExp;
  kinds?: string[];
}

const cases: Case[] = [
  {
    name: 'within a VPC by the local route',
    from: 'app',
    to: 'iso-srv',
    verdict: 'reachable',
    kinds: ['node', 'subnet', 'route-table', 'route', 'local', 'subnet', 'node'],
  },
  {
    name: 'across a peering with routes both ways',
    from: 'app',
    to: 'db',
    verdict: 'reachable',
    kinds: ['node', 'subnet', 'route-table', 'route', 'peering', 'subnet', 'route-table', 'return-route', 'node'],
  },
  { name: 'across a peering, destination given as an IP', from: 'app', to: '10.1.0.10', verdict: 'reachable' },
  { name: 'peering without a return route', from: 'app', to: 'srv-c', verdict: 'blocked', blockedBy: 'rt-c', reason: /return route.*"rt-c".*10\.0\.0\.0\/16 -> pcx-ac/ },
  { name: 'blackhole route', from: 'app', to: '10.0.9.5', verdict: 'blocked', blockedBy: 'rt-priv', reason: /10\.0\.9\.0\/24.*blackhole/ },
  {
    name: 'internet client to an internet-facing load balancer in a public subnet',
    from: 'user',
    to: 'lb',
    verdict: 'reachable',
    kinds: ['node', 'internet', 'internet-gateway', 'subnet', 'route-table', 'return-route', 'node'],
  },
  { name: 'internet client without an ip to the public balancer', from: 'anon', to: 'lb', verdict: 'reachable' },
  {
    name: 'internet client to a public server by its VPC address: the internet does not carry it',
    from: 'user',
    to: '10.0.0.30',
    verdict: 'blocked',
    blockedBy: 'vpc-a',
    reason: /10\.0\.0\.30 is an IPv4 address of VPC "vpc-a", private to it.*"web-pub" is reached at its public address/,
  },
  { name: 'internet client to a private server', from: 'user', to: 'app', verdict: 'blocked', blockedBy: 'priv-a', reason: /private subnet "priv-a".*"rt-priv".*only public subnets/ },
  { name: 'internet client to an internal balancer', from: 'user', to: 'lb-int', verdict: 'blocked', blockedBy: 'lb-int', reason: /internal.*internetFacing/ },
  { name: 'internet client to a NAT gateway', from: 'user', to: 'nat', verdict: 'blocked', blockedBy: 'nat', reason: /accepts none from the internet/ },
  { name: 'internet client to a VPC without internet gateway', from: 'user', to: 'srv-d', verdict: 'blocked', blockedBy: 'vpc-d', reason: /no internet gateway/ },
  { name: 'internet client to another internet address', from: 'user', to: '203.0.113.9', verdict: 'reachable', kinds: ['node', 'internet', 'internet'] },
  {
    name: 'private subnet to the internet through a NAT gateway in a public subnet',
    from: 'app',
    to: '8.8.8.8',
    verdict: 'reachable',
    kinds: ['node', 'subnet', 'route-table', 'route', 'nat-gateway', 'subnet', 'route-table', 'route', 'internet-gateway', 'internet', 'internet'],
  },
  { name: 'a public address outside every VPC is the internet', from: 'app', to: '93.184.216.34', verdict: 'reachable' },
  { name: 'NAT gateway in a private subnet', from: 'app-b', to: '8.8.8.8', verdict: 'blocked', blockedBy: 'nat-bad', reason: /private subnet "priv-a".*public subnet/ },
  {
    name: 'through an instance a route targets, which forwards from its own subnet',
    from: 'routed-srv',
    to: '8.8.8.8',
    verdict: 'reachable',
    kinds: ['node', 'subnet', 'route-table', 'route', 'instance', 'subnet', 'route-table', 'route', 'internet-gateway', 'internet', 'internet'],
  },
  { name: 'public subnet straight out through the internet gateway', from: 'web-pub', to: 'user', verdict: 'reachable' },
  { name: 'no default route', from: 'iso-srv', to: '8.8.8.8', verdict: 'blocked', blockedBy: 'rt-iso', reason: /no route for 8\.8\.8\.8.*0\.0\.0\.0\/0 -> igw-a/ },
  { name: 'no internet gateway in the VPC', from: 'srv-d', to: '8.8.8.8', verdict: 'blocked', blockedBy: 'rt-d', reason: /no internet gateway/ },
  { name: 'subnet with no route table at all', from: 'srv-e', to: 'user', verdict: 'blocked', blockedBy: 'sub-e', reason: /no route table.*no main table/ },
  { name: 'a node of another VPC, by id, is at a private address no internet gateway carries', from: 'web-pub', to: 'srv-c', verdict: 'blocked', blockedBy: 'rt-pub', reason: /private address of VPC "vpc-c"/ },
  { name: 'a public balancer of another VPC, by id, through the internet', from: 'srv-d', to: 'lb', verdict: 'blocked', blockedBy: 'rt-d' },
  { name: 'private address of another VPC sent to the internet gateway', from: 'web-pub', to: '10.2.0.10', verdict: 'blocked', blockedBy: 'rt-pub', reason: /private address of VPC "vpc-c"/ },
  { name: 'from a subnet (any instance in it) to a node', from: 'iso', to: 'app', verdict: 'reachable' },
  { name: 'from the internet to a public subnet itself', from: 'user', to: 'pub-a', verdict: 'reachable' },
  { name: 'to an address of a VPC that no node owns', from: 'app', to: '10.0.3.99', verdict: 'reachable', kinds: ['node', 'subnet', 'route-table', 'route', 'local', 'subnet', 'address'] },
  { name: 'to an address of a VPC outside every subnet', from: 'app', to: '10.0.200.1', verdict: 'blocked', blockedBy: 'vpc-a', reason: /no subnet of VPC "vpc-a" contains 10\.0\.200\.1/ },
  { name: 'the port the destination listens on', from: 'app', to: 'db', port: 5432, verdict: 'reachable' },
  { name: 'a port the destination does not listen on', from: 'app', to: 'db', port: 80, verdict: 'blocked', blockedBy: 'db', reason: /listens on port 5432, not 80/ },
];

describe('trace verdicts', () => {
  const topology = world();
  it.each(cases)('$name', (c) => {
    const result = trace(topology, { from: c.from, to: c.to, ...(c.port !== undefined ? { port: c.port } : {}) });
    expect(result.verdict, JSON.stringify(result.blockedBy)).toBe(c.verdict);
    if (c.verdict === 'blocked') {
      expect(result.blockedBy?.nodeId).toBe(c.blockedBy);
      expect(result.blockedBy?.reason).toMatch(c.reason as RegExp);
    } else {
      expect(result.blockedBy).toBeUndefined();
      expect(result.hops.at(-1)?.kind).toMatch(/node|internet|address/);
    }
    if (c.kinds) expect(result.hops.map((h) => h.kind)).toEqual(c.kinds);
    expect(result.hops[0]).toMatchObject({ kind: 'node', nodeId: c.from });
  });

  it('a node with tls listens on its HTTPS port too (443 unless tls.port says otherwise), and says so when neither matches', () => {
    const withTls = (tls: object): Topology => ({ ...topology, nodes: topology.nodes.map((n) => (n.id === 'lb' ? { ...n, tls } : n)) }) as Topology;
    expect(trace(withTls({ hosts: ['shop.example'] }), { from: 'user', to: 'lb', port: 443 }).verdict).toBe('reachable');
    expect(trace(topology, { from: 'user', to: 'lb', port: 443 }).blockedBy?.reason).toMatch(/listens on port 80, not 443$/);
    const custom = withTls({ port: 8443 });
    expect(trace(custom, { from: 'user', to: 'lb', port: 8443 }).verdict).toBe('reachable');
    expect(trace(custom, { from: 'user', to: 'lb', port: 80 }).verdict).toBe('reachable');
    expect(trace(custom, { from: 'user', to: 'lb', port: 443 }).blockedBy?.reason).toMatch(/listens on ports 80 and 8443 \(HTTPS\), not 443$/);
    expect(trace(withTls({ enabled: false }), { from: 'user', to: 'lb', port: 443 }).verdict).toBe('blocked');
  });

  it('describes the chosen route with its table, destination and target', () => {
    const result = trace(topology, { from: 'app', to: '8.8.8.8' });
    const routes = result.hops.filter((h) => h.kind === 'route').map((h) => h.route);
    expect(routes).toEqual([
      { table: 'rt-priv', destination: '0.0.0.0/0', target: 'nat', implicit: false },
      { table: 'rt-pub', destination: '0.0.0.0/0', target: 'igw-a', implicit: false },
    ]);
    expect(result.hops[0]?.address).toBe('10.0.1.10:80');
  });

  it('refuses unknown ids and kinds that carry no traffic', () => {
    expect(() => trace(topology, { from: 'ghost', to: 'app' })).toThrow(TraceInputError);
    expect(() => trace(topology, { from: 'app', to: 'nowhere' })).toThrow(/neither a node id of this topology nor an IP address/);
    expect(() => trace(topology, { from: 'vpc-a', to: 'app' })).toThrow(/is a vpc/);
    expect(() => trace(topology, { from: 'app', to: 'rt-pub' })).toThrow(/route table/);
  });
});

describe('trace over IPv6', () => {
  const topology = parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc6', kind: 'vpc', cidr: '2001:db8:1::/56' },
        { id: 'igw6', kind: 'internet-gateway', parent: 'vpc6' },
        { id: 'sub6', kind: 'subnet', parent: 'vpc6', cidr: '2001:db8:1::/64' },
        { id: 'sub6b', kind: 'subnet', parent: 'vpc6', cidr: '2001:db8:1:1::/64' },
        { id: 'web6', kind: 'server', parent: 'sub6', ip: '2001:db8:1::10' },
        { id: 'app6', kind: 'server', parent: 'sub6b', ip: '2001:db8:1:1::10' },
        { id: 'rt6', kind: 'route-table', parent: 'vpc6', subnets: ['sub6'], routes: [{ destination: '::/0', target: 'igw6' }] },
        { id: 'rt6b', kind: 'route-table', parent: 'vpc6', subnets: ['sub6b'], routes: [] },
        { id: 'user6', kind: 'client', ip: '2001:db8:ff::5' },
      ],
    }),
  );
  it.each([
    ['web6', '2001:db8:ff::1', 'reachable', undefined],
    ['user6', 'web6', 'reachable', undefined],
    ['web6', 'app6', 'reachable', undefined],
    ['user6', 'app6', 'blocked', 'sub6b'],
    ['app6', 'user6', 'blocked', 'rt6b'],
  ])('%s -> %s is %s', (from, to, verdict, blockedBy) => {
    const result = trace(topology, { from, to });
    expect(result.verdict).toBe(verdict);
    expect(result.blockedBy?.nodeId).toBe(blockedBy);
  });
  it('formats IPv6 endpoints with brackets and the port', () => {
    expect(trace(topology, { from: 'user6', to: 'web6' }).hops.at(-1)?.address).toBe('[2001:db8:1::10]:80');
  });
});

describe('trace through instance routers', () => {
  it('stops a routing loop and names the table that closes it', () => {
    const topology = parseTopology(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'x', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
          { id: 'y', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/24' },
          { id: 'router-x', kind: 'server', parent: 'x' },
          { id: 'router-y', kind: 'forward-proxy', parent: 'y' },
          { id: 'rt-x', kind: 'route-table', parent: 'vpc', subnets: ['x'], routes: [{ destination: '0.0.0.0/0', target: 'router-y' }] },
          { id: 'rt-y', kind: 'route-table', parent: 'vpc', subnets: ['y'], routes: [{ destination: '0.0.0.0/0', target: 'router-x' }] },
        ],
      }),
    );
    const result = trace(topology, { from: 'router-x', to: '1.1.1.1' });
    expect(result.verdict).toBe('blocked');
    expect(result.blockedBy).toEqual({ code: 'routing-loop', nodeId: 'rt-x', reason: expect.stringMatching(/routing loop/) as unknown as string });
    expect(result.hops.filter((h) => h.kind === 'instance').map((h) => h.nodeId)).toEqual(['router-y', 'router-x']);
  });
});

describe('a VPC whose design draws no route table', () => {
  // AWS gives every VPC a main route table holding the local route: traffic inside the VPC
  // flows without any table of the design, and nothing else does.
  const topology = parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
        { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'b', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/24' },
        { id: 'web', kind: 'server', parent: 'a', ip: '10.0.1.10' },
        { id: 'db', kind: 'server', parent: 'b', ip: '10.0.2.10', port: 5432 },
        { id: 'vpc-2', kind: 'vpc', cidr: '10.1.0.0/16' },
        { id: 'c', kind: 'subnet', parent: 'vpc-2', cidr: '10.1.0.0/24' },
        { id: 'far', kind: 'server', parent: 'c', ip: '10.1.0.10' },
      ],
    }),
  );

  it('reaches another subnet of the same VPC by the implicit local route', () => {
    const result = trace(topology, { from: 'web', to: 'db' });
    expect(result.verdict).toBe('reachable');
    expect(result.hops.find((h) => h.kind === 'local')?.description).toMatch(/implicit main table/);
    expect(trace(topology, { from: 'web', to: '10.0.9.9' }).blockedBy?.code).toBe('address-unowned'); // in the VPC, in no subnet
  });

  it('reaches nothing outside the VPC, and says why', () => {
    for (const to of ['far', '8.8.8.8']) {
      const result = trace(topology, { from: 'web', to });
      expect(result.verdict).toBe('blocked');
      expect(result.blockedBy?.code).toMatch(/no-route-table|private-subnet/);
    }
  });
});
