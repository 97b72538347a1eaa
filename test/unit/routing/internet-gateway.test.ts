import { describe, expect, it } from 'vitest';
import { safeParseIp } from '../../../core/cidr/address.js';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { isInternetRoutable } from '../../../core/routing/public-address.js';
import { trace } from '../../../core/routing/trace.js';

/**
 * An internet gateway carries traffic only to and from public addresses. One design with
 * two VPCs that each have an internet gateway and no peering (so the only path between
 * them is the internet), a peered third VPC, IPv6 VPCs with global and unique-local space.
 */
function world(): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      name: 'internet gateway world',
      nodes: [
        { id: 'vpc-a', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw-a', kind: 'internet-gateway', parent: 'vpc-a' },
        { id: 'pub-a', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.0.0/24' },
        { id: 'web-a', kind: 'server', parent: 'pub-a', ip: '10.0.0.10' },
        { id: 'lb-int', kind: 'load-balancer', parent: 'pub-a', ip: '10.0.0.11' },
        { id: 'lb-pub', kind: 'load-balancer', parent: 'pub-a', ip: '10.0.0.12', internetFacing: true },
        { id: 'nat', kind: 'nat-gateway', parent: 'pub-a', ip: '10.0.0.20' },
        { id: 'rt-pub', kind: 'route-table', parent: 'vpc-a', subnets: ['pub-a'], routes: [{ destination: '0.0.0.0/0', target: 'igw-a' }, { destination: '10.3.0.0/16', target: 'pcx-ad' }] },
        { id: 'priv-a', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.1.0/24' },
        { id: 'app', kind: 'server', parent: 'priv-a', ip: '10.0.1.10' },
        { id: 'rt-priv', kind: 'route-table', parent: 'vpc-a', subnets: ['priv-a'], routes: [{ destination: '0.0.0.0/0', target: 'nat' }] },
        // Only one block goes to the gateway: the subnet is not public, so nothing in it has a public address.
        { id: 'spec-a', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.2.0/24' },
        { id: 'spec-srv', kind: 'server', parent: 'spec-a', ip: '10.0.2.10' },
        { id: 'rt-spec', kind: 'route-table', parent: 'vpc-a', subnets: ['spec-a'], routes: [{ destination: '198.51.100.0/24', target: 'igw-a' }] },
        // A private subnet whose default route is an instance router in spec-a (a NAT instance without a public address).
        { id: 'routed-a', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.3.0/24' },
        { id: 'routed-srv', kind: 'server', parent: 'routed-a', ip: '10.0.3.10' },
        { id: 'rt-routed', kind: 'route-table', parent: 'vpc-a', subnets: ['routed-a'], routes: [{ destination: '0.0.0.0/0', target: 'spec-srv' }] },
        { id: 'vpc-b', kind: 'vpc', cidr: '10.1.0.0/16' },
        { id: 'igw-b', kind: 'internet-gateway', parent: 'vpc-b' },
        { id: 'pub-b', kind: 'subnet', parent: 'vpc-b', cidr: '10.1.0.0/24' },
        { id: 'web-b', kind: 'server', parent: 'pub-b', ip: '10.1.0.10' },
        { id: 'lb-b', kind: 'load-balancer', parent: 'pub-b', ip: '10.1.0.11', internetFacing: true },
        { id: 'rt-b', kind: 'route-table', parent: 'vpc-b', main: true, routes: [{ destination: '0.0.0.0/0', target: 'igw-b' }] },
        { id: 'vpc-d', kind: 'vpc', cidr: '10.3.0.0/16' },
        { id: 'sub-d', kind: 'subnet', parent: 'vpc-d', cidr: '10.3.0.0/24' },
        { id: 'srv-d', kind: 'server', parent: 'sub-d', ip: '10.3.0.10' },
        { id: 'rt-d', kind: 'route-table', parent: 'vpc-d', main: true, routes: [{ destination: '10.0.0.0/16', target: 'pcx-ad' }, { destination: '0.0.0.0/0', target: 'pcx-ad' }] },
        { id: 'pcx-ad', kind: 'peering', vpcs: ['vpc-a', 'vpc-d'] },
        { id: 'vpc6-a', kind: 'vpc', cidr: '2001:db8:a::/56' },
        { id: 'igw6-a', kind: 'internet-gateway', parent: 'vpc6-a' },
        { id: 'sub6-a', kind: 'subnet', parent: 'vpc6-a', cidr: '2001:db8:a::/64' },
        { id: 'web6-a', kind: 'server', parent: 'sub6-a', ip: '2001:db8:a::10' },
        { id: 'rt6-a', kind: 'route-table', parent: 'vpc6-a', main: true, routes: [{ destination: '::/0', target: 'igw6-a' }] },
        { id: 'vpc6-b', kind: 'vpc', cidr: '2001:db8:b::/56' },
        { id: 'igw6-b', kind: 'internet-gateway', parent: 'vpc6-b' },
        { id: 'sub6-b', kind: 'subnet', parent: 'vpc6-b', cidr: '2001:db8:b::/64' },
        { id: 'web6-b', kind: 'server', parent: 'sub6-b', ip: '2001:db8:b::10' },
        { id: 'lb6-b', kind: 'load-balancer', parent: 'sub6-b', ip: '2001:db8:b::11' },
        { id: 'rt6-b', kind: 'route-table', parent: 'vpc6-b', subnets: ['sub6-b'], routes: [{ destination: '::/0', target: 'igw6-b' }] },
        { id: 'priv6-b', kind: 'subnet', parent: 'vpc6-b', cidr: '2001:db8:b:1::/64' },
        { id: 'app6-b', kind: 'server', parent: 'priv6-b', ip: '2001:db8:b:1::10' },
        { id: 'rt6-b-priv', kind: 'route-table', parent: 'vpc6-b', main: true, routes: [] },
        { id: 'vpc-ula', kind: 'vpc', cidr: 'fd00:1::/56' },
        { id: 'igw-ula', kind: 'internet-gateway', parent: 'vpc-ula' },
        { id: 'sub-ula', kind: 'subnet', parent: 'vpc-ula', cidr: 'fd00:1::/64' },
        { id: 'srv-ula', kind: 'server', parent: 'sub-ula', ip: 'fd00:1::10' },
        { id: 'rt-ula', kind: 'route-table', parent: 'vpc-ula', main: true, routes: [{ destination: '::/0', target: 'igw-ula' }] },
        { id: 'user', kind: 'client', ip: '198.51.100.7' },
        { id: 'user6', kind: 'client', ip: '2001:db8:ff::7' },
        { id: 'home', kind: 'client', ip: '192.168.1.20' },
      ],
    }),
  );
}

interface Case {
  name: string;
  from: string;
  to: string;
  verdict: 'reachable' | 'blocked';
  blockedBy?: string;
  reason?: RegExp;
  kinds?: string[];
}

const PRIVATE_OF = (vpc: string): RegExp => new RegExp(`private address of VPC "${vpc}".*an internet gateway carries only public addresses`);

const cases: Case[] = [
  // Out to another VPC: its addresses are private to it, by id or by address, whatever the node.
  { name: 'a public server of another VPC, by id', from: 'web-a', to: 'web-b', verdict: 'blocked', blockedBy: 'rt-pub', reason: /sends "web-b" \(10\.1\.0\.10\) to internet gateway "igw-a".*but 10\.1\.0\.10 is a private address of VPC "vpc-b".*peer VPC "vpc-a" with "vpc-b" and route 10\.1\.0\.0\/16 through the peering/ },
  { name: 'a public server of another VPC, by address', from: 'web-a', to: '10.1.0.10', verdict: 'blocked', blockedBy: 'rt-pub', reason: PRIVATE_OF('vpc-b') },
  { name: 'an internet-facing balancer of another VPC, by id (its designed address is private)', from: 'web-a', to: 'lb-b', verdict: 'blocked', blockedBy: 'rt-pub', reason: PRIVATE_OF('vpc-b') },
  { name: 'near miss: a peered VPC is reached through the peering, not the gateway', from: 'web-a', to: 'srv-d', verdict: 'reachable', kinds: ['node', 'subnet', 'route-table', 'route', 'peering', 'subnet', 'route-table', 'return-route', 'node'] },
  { name: 'peering does not lend the far side an internet gateway', from: 'srv-d', to: '93.184.216.34', verdict: 'blocked', blockedBy: 'pcx-ad', reason: /not transitive and does not reach the internet/ },
  // Out to addresses outside every VPC: only public ones.
  { name: 'near miss: a public address', from: 'web-a', to: '93.184.216.34', verdict: 'reachable', kinds: ['node', 'subnet', 'route-table', 'route', 'internet-gateway', 'internet', 'internet'] },
  { name: 'an RFC 1918 address outside every VPC', from: 'web-a', to: '10.77.0.1', verdict: 'blocked', blockedBy: 'rt-pub', reason: /10\.77\.0\.1 is private \(RFC 1918\): the internet does not carry it/ },
  { name: 'the last address of 192.168.0.0/16', from: 'web-a', to: '192.168.255.254', verdict: 'blocked', blockedBy: 'rt-pub', reason: /RFC 1918/ },
  { name: 'near miss: just above 192.168.0.0/16', from: 'web-a', to: '192.169.0.1', verdict: 'reachable' },
  { name: 'near miss: just above 172.16.0.0/12', from: 'web-a', to: '172.32.0.1', verdict: 'reachable' },
  { name: 'carrier-grade NAT space', from: 'web-a', to: '100.64.0.5', verdict: 'blocked', blockedBy: 'rt-pub', reason: /shared address space/ },
  { name: 'an internet client at a private address (behind its own NAT) cannot be called', from: 'web-a', to: 'home', verdict: 'blocked', blockedBy: 'rt-pub', reason: /192\.168\.1\.20 is private/ },
  { name: 'through a NAT gateway, a private destination is still private', from: 'app', to: '10.77.0.1', verdict: 'blocked', blockedBy: 'rt-pub', reason: /RFC 1918/ },
  { name: 'near miss: through a NAT gateway to a public address', from: 'app', to: '93.184.216.34', verdict: 'reachable' },
  { name: 'through a NAT gateway, another VPC is still private', from: 'app', to: 'web-b', verdict: 'blocked', blockedBy: 'rt-pub', reason: PRIVATE_OF('vpc-b') },
  { name: 'near miss: a NAT gateway sends from its own public address', from: 'nat', to: '93.184.216.34', verdict: 'reachable' },
  // The source must have a public address too (the reverse direction of the replies).
  { name: 'an internal balancer has no public address to send from', from: 'lb-int', to: '93.184.216.34', verdict: 'blocked', blockedBy: 'rt-pub', reason: /no public source address \(load balancer "lb-int" is internal \(not "internetFacing"\)/ },
  { name: 'near miss: an internet-facing balancer does', from: 'lb-pub', to: '93.184.216.34', verdict: 'reachable' },
  { name: 'a server in a subnet with only a specific route to the gateway has no public address', from: 'spec-srv', to: '198.51.100.9', verdict: 'blocked', blockedBy: 'rt-spec', reason: /no public source address \(server "spec-srv" is in private subnet "spec-a"/ },
  { name: 'near miss: the same server to an address its table has no route for', from: 'spec-srv', to: '93.184.216.34', verdict: 'blocked', blockedBy: 'rt-spec', reason: /no route for 93\.184\.216\.34/ },
  { name: 'an instance router without a public address forwards nothing the gateway carries', from: 'routed-srv', to: '198.51.100.9', verdict: 'blocked', blockedBy: 'rt-spec', reason: /server "spec-srv", which forwards it, is in private subnet "spec-a"/ },
  // Into a VPC from the internet: only at public addresses.
  { name: 'near miss: an internet client to a public server by id', from: 'user', to: 'web-a', verdict: 'reachable' },
  { name: 'an internet client to a VPC IPv4 address', from: 'user', to: '10.0.0.10', verdict: 'blocked', blockedBy: 'vpc-a', reason: /IPv4 address of VPC "vpc-a", private to it.*"web-a" is reached at its public address/ },
  { name: 'an internet client to a private address outside every VPC', from: 'user', to: '10.77.0.1', verdict: 'blocked', blockedBy: 'user', reason: /RFC 1918.*cannot reach it/ },
  { name: 'an internet client behind its own NAT reaches a public balancer', from: 'home', to: 'lb-pub', verdict: 'reachable' },
  // IPv6: addresses outside ULA are global, so the internet carries them between VPCs.
  {
    name: 'IPv6: a server of another VPC at a global address, by id',
    from: 'web6-a',
    to: 'web6-b',
    verdict: 'reachable',
    kinds: ['node', 'subnet', 'route-table', 'route', 'internet-gateway', 'internet', 'internet-gateway', 'subnet', 'route-table', 'return-route', 'node'],
  },
  { name: 'IPv6: the same server by address', from: 'web6-a', to: '2001:db8:b::10', verdict: 'reachable' },
  { name: 'IPv6: an internal balancer of another VPC accepts nothing from the internet', from: 'web6-a', to: 'lb6-b', verdict: 'blocked', blockedBy: 'lb6-b', reason: /internal/ },
  { name: 'IPv6: a private subnet of another VPC', from: 'web6-a', to: 'app6-b', verdict: 'blocked', blockedBy: 'priv6-b', reason: /private subnet "priv6-b"/ },
  { name: 'IPv6: a unique-local VPC is private', from: 'web6-a', to: 'srv-ula', verdict: 'blocked', blockedBy: 'rt6-a', reason: PRIVATE_OF('vpc-ula') },
  { name: 'IPv6: a unique-local address outside every VPC', from: 'web6-a', to: 'fd12::1', verdict: 'blocked', blockedBy: 'rt6-a', reason: /unique local addresses/ },
  { name: 'IPv6: an internet client to a global VPC address', from: 'user6', to: '2001:db8:a::10', verdict: 'reachable' },
  { name: 'IPv6: an internet client to a unique-local VPC address', from: 'user6', to: 'fd00:1::10', verdict: 'blocked', blockedBy: 'vpc-ula', reason: /unique local addresses.*the internet does not carry it/ },
  { name: 'IPv6: a unique-local source has no public address', from: 'srv-ula', to: '2001:db8:ff::9', verdict: 'blocked', blockedBy: 'rt-ula', reason: /no public source address.*unique local/ },
];

describe('an internet gateway carries only public addresses', () => {
  const topology = world();
  it.each(cases)('$name', (c) => {
    const result = trace(topology, { from: c.from, to: c.to });
    expect(result.verdict, JSON.stringify(result.blockedBy)).toBe(c.verdict);
    if (c.verdict === 'blocked') {
      expect(result.blockedBy?.nodeId).toBe(c.blockedBy);
      expect(result.blockedBy?.reason).toMatch(c.reason as RegExp);
    } else {
      expect(result.blockedBy).toBeUndefined();
    }
    if (c.kinds) expect(result.hops.map((h) => h.kind)).toEqual(c.kinds);
  });

  it('stops at the route that sends a private address to the gateway, before the gateway hop', () => {
    const result = trace(world(), { from: 'web-a', to: 'web-b' });
    expect(result.hops.at(-1)).toMatchObject({ kind: 'route', route: { table: 'rt-pub', destination: '0.0.0.0/0', target: 'igw-a' } });
    expect(Object.keys(result)).toEqual(['verdict', 'hops', 'blockedBy']);
  });
});

describe('isInternetRoutable', () => {
  it.each([
    ['8.8.8.8', true],
    ['198.51.100.7', true], // documentation ranges stand for the internet in designs
    ['10.0.0.1', false],
    ['9.255.255.255', true],
    ['11.0.0.0', true],
    ['172.15.255.255', true],
    ['172.16.0.0', false],
    ['172.31.255.255', false],
    ['192.168.0.0', false],
    ['100.63.255.255', true],
    ['100.64.0.0', false],
    ['127.0.0.1', false],
    ['169.254.169.254', false],
    ['224.0.0.1', false],
    ['2600:1f18::1', true],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::1', false],
  ])('%s -> %s', (text, expected) => {
    expect(isInternetRoutable(safeParseIp(text) as NonNullable<ReturnType<typeof safeParseIp>>)).toBe(expected);
  });
});
