import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, validateTopology, type DiagnosticCode, type Severity } from '../../../core/validate/index.js';
import type { TopologyNode } from '../../../core/model/index.js';
import { FILTER_CASES } from './filter-cases.js';
import { DNS_CASES } from './dns-cases.js';
import { add, all, codesOf, fixture, nodeById, patch, provider, same, variant, type Mutation } from './helpers.js';

/**
 * Every diagnostic code: a variant of the clean base fixture that triggers it (checked for
 * severity, node ids, JSON path, fix and a telling message) and a near miss that does not.
 * Base node indexes: 0 vpc-main, 1 igw, 2 public-a, 3 private-a, 4 rt-public (main),
 * 5 rt-private, 6 nat, 7 lb, 8 web-1, 9 web-2, 10 vpc-peer, 11 peer-sub, 12 rt-peer,
 * 13 pcx, 14 asg, 15 visitor, 16 public-b (the balancer's second zone); added nodes
 * start at 17.
 */
interface CodeCase {
  code: DiagnosticCode;
  name: string;
  trigger: Mutation;
  severity: Severity;
  nodeIds: string[];
  path: string;
  fix?: { field: string; value: unknown };
  message: RegExp;
  nearMiss: Mutation;
  nearMissName: string;
}

const vpcX = (cidr: string, region = 'us-east-1', extra: Partial<Record<string, unknown>> = {}): TopologyNode =>
  ({ id: 'vpc-x', kind: 'vpc', cidr, region, ...extra }) as TopologyNode;
const subnet = (id: string, parent: string, cidr: string): TopologyNode => ({ id, kind: 'subnet', parent, cidr });
const server = (id: string, parent: string, ip?: string): TopologyNode => (ip === undefined ? { id, kind: 'server', parent } : { id, kind: 'server', parent, ip });
const addRoute = (tableId: string, destination: string, target: string): Mutation => (t) => {
  (nodeById(t, tableId)['routes'] as { destination: string; target: string }[]).push({ destination, target });
};
const addEdge = (id: string, from: string, to: string): Mutation => (t) => {
  t.edges.push({ id, from, to });
};

const CASES: CodeCase[] = [
  {
    code: 'cidr-invalid',
    name: 'a subnet CIDR with a leading zero',
    trigger: patch('private-a', { cidr: '10.0.01.0/24' }),
    severity: 'error',
    nodeIds: ['private-a'],
    path: 'nodes[3].cidr',
    message: /leading zero/,
    nearMiss: patch('private-a', { cidr: '10.0.10.0/24' }),
    nearMissName: 'the same CIDR written without the zero',
  },
  {
    code: 'cidr-invalid',
    name: 'a route destination without a prefix',
    trigger: addRoute('rt-private', '203.0.113.9', 'nat'),
    severity: 'error',
    nodeIds: ['rt-private'],
    path: 'nodes[5].routes[2].destination',
    fix: { field: 'routes[2].destination', value: '203.0.113.9/32' },
    message: /has no prefix length.*203\.0\.113\.9\/32/,
    nearMiss: addRoute('rt-private', '203.0.113.9/32', 'nat'),
    nearMissName: 'the same host route with /32',
  },
  {
    code: 'cidr-host-bits',
    name: '10.0.1.5/24',
    trigger: patch('private-a', { cidr: '10.0.1.5/24' }),
    severity: 'error',
    nodeIds: ['private-a'],
    path: 'nodes[3].cidr',
    fix: { field: 'cidr', value: '10.0.1.0/24' },
    message: /host bits set.*10\.0\.1\.0\/24/,
    nearMiss: same,
    nearMissName: '10.0.1.0/24',
  },
  {
    code: 'vpc-size',
    name: 'a /15 VPC on AWS',
    trigger: add(vpcX('10.8.0.0/15')),
    severity: 'error',
    nodeIds: ['vpc-x'],
    path: 'nodes[17].cidr',
    message: /AWS VPC blocks are \/16 to \/28/,
    nearMiss: all(add(vpcX('10.8.0.0/15')), provider('azure')),
    nearMissName: 'the same /15 on Azure',
  },
  {
    code: 'vpc-overlap',
    name: 'two VPCs of one region sharing addresses',
    trigger: add(vpcX('10.0.128.0/20', 'eu-west-1')),
    severity: 'warning',
    nodeIds: ['vpc-main', 'vpc-x'],
    path: 'nodes[0].cidr',
    message: /overlaps VPC "vpc-x" 10\.0\.128\.0\/20.*same region/,
    nearMiss: add(vpcX('10.0.128.0/20', 'us-east-1')),
    nearMissName: 'the same blocks in different regions',
  },
  {
    code: 'vpc-overlap',
    name: 'a peered VPC whose secondary CIDR overlaps',
    trigger: patch('vpc-peer', { secondaryCidrs: ['10.0.200.0/24'] }),
    severity: 'error',
    nodeIds: ['vpc-main', 'vpc-peer'],
    path: 'nodes[0].cidr',
    message: /10\.0\.200\.0\/24.*peered/,
    nearMiss: patch('vpc-peer', { secondaryCidrs: ['10.2.0.0/24'] }),
    nearMissName: 'a secondary CIDR outside the peer',
  },
  {
    code: 'vpc-secondary-overlap',
    name: "a secondary CIDR inside the VPC's primary",
    trigger: patch('vpc-main', { secondaryCidrs: ['10.0.64.0/18'] }),
    severity: 'error',
    nodeIds: ['vpc-main'],
    path: 'nodes[0].secondaryCidrs[0]',
    message: /secondaryCidrs\[0\] 10\.0\.64\.0\/18 overlaps its own cidr 10\.0\.0\.0\/16/,
    nearMiss: patch('vpc-main', { secondaryCidrs: ['10.5.0.0/16'] }),
    nearMissName: 'a disjoint secondary CIDR',
  },
  {
    code: 'vpc-not-private',
    name: 'a VPC in public space',
    trigger: add(vpcX('8.8.0.0/16')),
    severity: 'warning',
    nodeIds: ['vpc-x'],
    path: 'nodes[17].cidr',
    message: /not private address space.*RFC 1918/,
    nearMiss: add(vpcX('172.16.0.0/16')),
    nearMissName: 'an RFC 1918 VPC',
  },
  {
    code: 'subnet-size',
    name: 'a /15 subnet (in a /12 VPC) on AWS',
    trigger: add(vpcX('10.16.0.0/12'), subnet('huge', 'vpc-x', '10.16.0.0/15')),
    severity: 'error',
    nodeIds: ['huge'],
    path: 'nodes[18].cidr',
    message: /too large: AWS subnets are \/16 to \/28/,
    nearMiss: add(vpcX('10.16.0.0/12'), subnet('huge', 'vpc-x', '10.16.0.0/16')),
    nearMissName: 'a /16 subnet',
  },
  {
    code: 'subnet-too-small',
    name: 'a /29 subnet on AWS',
    trigger: add(subnet('tiny', 'vpc-main', '10.0.9.0/29')),
    severity: 'error',
    nodeIds: ['tiny'],
    path: 'nodes[17].cidr',
    message: /too small: AWS subnets are \/16 to \/28/,
    nearMiss: add(subnet('tiny', 'vpc-main', '10.0.9.0/28')),
    nearMissName: 'a /28 subnet',
  },
  {
    code: 'subnet-outside-vpc',
    name: 'a subnet outside its VPC',
    trigger: add(subnet('stray', 'vpc-main', '10.9.0.0/24')),
    severity: 'error',
    nodeIds: ['stray', 'vpc-main'],
    path: 'nodes[17].cidr',
    message: /not inside its VPC "main" \(vpc-main\) \(10\.0\.0\.0\/16\)/,
    nearMiss: all(patch('vpc-main', { secondaryCidrs: ['10.9.0.0/16'] }), add(subnet('stray', 'vpc-main', '10.9.0.0/24'))),
    nearMissName: "the same subnet inside the VPC's secondary CIDR",
  },
  {
    code: 'subnet-overlap',
    name: 'a /25 inside an existing /24',
    trigger: add(subnet('dup', 'vpc-main', '10.0.1.128/25')),
    severity: 'error',
    nodeIds: ['dup', 'private-a'],
    path: 'nodes[17].cidr',
    message: /"dup" 10\.0\.1\.128\/25 overlaps .*"private-a" 10\.0\.1\.0\/24/,
    nearMiss: add(subnet('dup', 'vpc-main', '10.0.2.0/25')),
    nearMissName: 'an adjacent /25',
  },
  {
    code: 'subnet-full',
    name: 'twelve servers in a /28 (11 usable on AWS)',
    trigger: add(subnet('small', 'vpc-main', '10.0.9.0/28'), ...Array.from({ length: 12 }, (_, i) => server(`s${i}`, 'small'))),
    severity: 'error',
    nodeIds: ['small', 's11'],
    path: 'nodes[17].cidr',
    message: /11 usable addresses under AWS rules/,
    nearMiss: add(subnet('small', 'vpc-main', '10.0.9.0/28'), ...Array.from({ length: 11 }, (_, i) => server(`s${i}`, 'small'))),
    nearMissName: 'eleven servers',
  },
  {
    code: 'ip-invalid',
    name: 'an octet above 255',
    trigger: patch('web-1', { ip: '10.0.1.256' }),
    severity: 'error',
    nodeIds: ['web-1'],
    path: 'nodes[8].ip',
    message: /"10\.0\.1\.256" is not an IPv4 or IPv6 address/,
    nearMiss: patch('web-1', { ip: '10.0.1.11' }),
    nearMissName: 'a valid address',
  },
  {
    code: 'ip-outside-subnet',
    name: "an address of the neighbouring subnet",
    trigger: patch('web-1', { ip: '10.0.0.50' }),
    severity: 'error',
    nodeIds: ['web-1', 'private-a'],
    path: 'nodes[8].ip',
    message: /10\.0\.0\.50, which is outside its subnet "private-a" 10\.0\.1\.0\/24/,
    nearMiss: patch('web-1', { ip: '10.0.1.50' }),
    nearMissName: 'an address inside the subnet',
  },
  {
    code: 'ip-reserved',
    name: 'the AWS VPC-router address',
    trigger: patch('web-1', { ip: '10.0.1.1' }),
    severity: 'error',
    nodeIds: ['web-1', 'private-a'],
    path: 'nodes[8].ip',
    // web-2 was given 10.0.1.4, the first usable address; the next free one is .5.
    fix: { field: 'ip', value: '10.0.1.5' },
    message: /reserved by AWS for the VPC router.*AWS reserves the first four addresses and the last address/,
    nearMiss: patch('web-1', { ip: '10.0.1.5' }),
    nearMissName: 'the first free usable address',
  },
  {
    code: 'ip-reserved',
    name: 'the broadcast address',
    trigger: patch('web-1', { ip: '10.0.1.255' }),
    severity: 'error',
    nodeIds: ['web-1', 'private-a'],
    path: 'nodes[8].ip',
    fix: { field: 'ip', value: '10.0.1.5' },
    message: /broadcast address/,
    nearMiss: patch('web-1', { ip: '10.0.1.254' }),
    nearMissName: 'the last usable address',
  },
  {
    code: 'ip-duplicate',
    name: 'two servers with one address',
    trigger: patch('web-2', { ip: '10.0.1.10' }),
    severity: 'error',
    nodeIds: ['web-2', 'web-1'],
    path: 'nodes[9].ip',
    message: /10\.0\.1\.10, already used by "web-1" in VPC "main"/,
    nearMiss: add(vpcX('10.0.0.0/16', 'us-east-1'), subnet('x-sub', 'vpc-x', '10.0.1.0/24'), server('x-web', 'x-sub', '10.0.1.10')),
    nearMissName: 'the same address in another VPC',
  },
  {
    code: 'parent-invalid',
    name: 'a server placed directly in a VPC',
    trigger: patch('web-1', { parent: 'vpc-main', ip: undefined }),
    severity: 'error',
    nodeIds: ['web-1', 'vpc-main'],
    path: 'nodes[8].parent',
    message: /Server "web-1" is in VPC "main" \(vpc-main\); a server belongs in a subnet or in an auto-scaling group/,
    nearMiss: add(server('instance', 'asg')),
    nearMissName: 'a server inside an auto-scaling group',
  },
  {
    code: 'route-table-missing',
    name: 'a subnet with no association when the VPC has no main table',
    trigger: patch('rt-public', { main: undefined }),
    severity: 'warning',
    nodeIds: ['public-a', 'vpc-main'],
    path: 'nodes[2]',
    message: /Subnet "public-a" has no route table/,
    nearMiss: patch('rt-public', { main: undefined, subnets: ['public-a', 'public-b'] }),
    nearMissName: 'the same subnet with an explicit association',
  },
  {
    code: 'route-table-multiple',
    name: 'a subnet listed by two tables',
    trigger: patch('rt-public', { subnets: ['private-a'] }),
    severity: 'error',
    nodeIds: ['private-a', 'rt-public', 'rt-private'],
    path: 'nodes[5].subnets[0]',
    message: /associated with 2 route tables/,
    nearMiss: patch('rt-public', { subnets: ['public-a'] }),
    nearMissName: 'each subnet in one table',
  },
  {
    code: 'route-table-multiple',
    name: 'a VPC with two main tables',
    trigger: patch('rt-private', { main: true }),
    severity: 'error',
    nodeIds: ['rt-private', 'vpc-main', 'rt-public'],
    path: 'nodes[5].main',
    message: /2 main route tables/,
    nearMiss: patch('rt-private', { main: false }),
    nearMissName: 'main: false',
  },
  {
    code: 'route-table-foreign-subnet',
    name: "a table listing another VPC's subnet",
    trigger: patch('rt-private', { subnets: ['private-a', 'peer-sub'] }),
    severity: 'error',
    nodeIds: ['rt-private', 'peer-sub'],
    path: 'nodes[5].subnets[1]',
    message: /lists subnet "peer-sub" of VPC "shared"/,
    nearMiss: patch('rt-private', { subnets: ['private-a', 'public-a'] }),
    nearMissName: 'a subnet of its own VPC',
  },
  {
    code: 'route-target-missing',
    name: 'a route to an id that is not a node',
    trigger: addRoute('rt-private', '10.2.0.0/16', 'ghost'),
    severity: 'error',
    nodeIds: ['rt-private'],
    path: 'nodes[5].routes[2].target',
    message: /"ghost", which is not a node/,
    nearMiss: addRoute('rt-private', '10.2.0.0/16', 'blackhole'),
    nearMissName: 'a blackhole route',
  },
  {
    code: 'route-target-missing',
    name: 'a route to a subnet',
    trigger: addRoute('rt-private', '10.2.0.0/16', 'public-a'),
    severity: 'error',
    nodeIds: ['rt-private', 'public-a'],
    path: 'nodes[5].routes[2].target',
    message: /subnet "public-a", which cannot be a route target/,
    nearMiss: addRoute('rt-private', '10.2.0.0/16', 'web-1'),
    nearMissName: 'a route to an instance',
  },
  {
    code: 'route-target-foreign',
    name: "a route to another, unpeered VPC's NAT gateway",
    trigger: add(vpcX('10.8.0.0/16'), { id: 'rt-x', kind: 'route-table', parent: 'vpc-x', main: true, subnets: [], routes: [{ destination: '0.0.0.0/0', target: 'nat' }] }),
    severity: 'error',
    nodeIds: ['rt-x', 'nat'],
    path: 'nodes[18].routes[0].target',
    message: /NAT gateway "nat" in VPC "main" \(vpc-main\).*not peered/,
    nearMiss: addRoute('rt-peer', '0.0.0.0/0', 'nat'),
    nearMissName: 'the same route from the peered VPC',
  },
  {
    code: 'route-target-foreign',
    name: 'a route through a peering that does not connect the VPC',
    trigger: add(vpcX('10.8.0.0/16'), { id: 'rt-x', kind: 'route-table', parent: 'vpc-x', main: true, subnets: [], routes: [{ destination: '10.0.0.0/16', target: 'pcx' }] }),
    severity: 'error',
    nodeIds: ['rt-x', 'pcx'],
    path: 'nodes[18].routes[0].target',
    message: /peering "pcx", which does not connect/,
    nearMiss: same,
    nearMissName: 'routes through the peering from both its VPCs',
  },
  {
    code: 'route-overlap',
    name: 'two default routes in one table',
    trigger: addRoute('rt-private', '0.0.0.0/0', 'igw'),
    severity: 'error',
    nodeIds: ['rt-private'],
    path: 'nodes[5].routes[2].destination',
    message: /two routes for 0\.0\.0\.0\/0 \(routes\[0\] -> nat and routes\[2\] -> igw\)/,
    nearMiss: addRoute('rt-private', '0.0.0.0/1', 'igw'),
    nearMissName: 'a more specific route',
  },
  {
    code: 'route-destination-local',
    name: "a route for the VPC's own CIDR to a NAT gateway",
    trigger: addRoute('rt-private', '10.0.0.0/16', 'nat'),
    severity: 'error',
    nodeIds: ['rt-private'],
    path: 'nodes[5].routes[2].destination',
    message: /replaces the implicit local route/,
    nearMiss: addRoute('rt-private', '10.0.0.0/16', 'local'),
    nearMissName: 'the explicit local route',
  },
  {
    code: 'route-destination-local',
    name: 'a local route outside the VPC',
    trigger: addRoute('rt-private', '10.5.0.0/16', 'local'),
    severity: 'error',
    nodeIds: ['rt-private'],
    path: 'nodes[5].routes[2].target',
    message: /"local" only reaches the VPC's own blocks/,
    nearMiss: addRoute('rt-private', '10.0.1.0/24', 'local'),
    nearMissName: 'a local route inside the VPC',
  },
  {
    code: 'nat-in-private-subnet',
    name: 'a NAT gateway in the private subnet',
    trigger: patch('nat', { parent: 'private-a', ip: undefined }),
    severity: 'error',
    nodeIds: ['nat', 'private-a'],
    path: 'nodes[6].parent',
    message: /route table "rt-private" has no 0\.0\.0\.0\/0 \(or ::\/0\) route to an internet gateway/,
    nearMiss: same,
    nearMissName: 'the NAT gateway in the public subnet',
  },
  {
    code: 'public-lb-in-private-subnet',
    name: 'an internet-facing balancer in the private subnet',
    trigger: patch('lb', { parent: 'private-a', ip: undefined }),
    severity: 'error',
    nodeIds: ['lb', 'private-a'],
    path: 'nodes[7].parent',
    message: /Internet-facing load balancer "lb" is in private subnet "private-a"/,
    nearMiss: patch('lb', { parent: 'private-a', ip: undefined, internetFacing: false }),
    nearMissName: 'an internal balancer in the private subnet',
  },
  {
    code: 'peering-overlap',
    name: 'peered VPCs with the same CIDR',
    trigger: all(patch('vpc-peer', { cidr: '10.0.0.0/16', region: 'us-east-1' }), patch('peer-sub', { cidr: '10.0.0.0/24' })),
    severity: 'error',
    nodeIds: ['pcx', 'vpc-main', 'vpc-peer'],
    path: 'nodes[13].vpcs',
    message: /AWS cannot peer VPCs with overlapping CIDR blocks/,
    nearMiss: same,
    nearMissName: 'disjoint peered VPCs',
  },
  {
    code: 'peering-self',
    name: 'a peering of a VPC with itself',
    trigger: patch('pcx', { vpcs: ['vpc-main', 'vpc-main'] }),
    severity: 'error',
    nodeIds: ['pcx'],
    path: 'nodes[13].vpcs',
    message: /with itself/,
    nearMiss: same,
    nearMissName: 'a peering of two VPCs',
  },
  {
    code: 'igw-multiple',
    name: 'two internet gateways in one VPC',
    trigger: add({ id: 'igw-2', kind: 'internet-gateway', parent: 'vpc-main' }),
    severity: 'error',
    nodeIds: ['igw-2', 'vpc-main', 'igw'],
    path: 'nodes[17]',
    message: /2 internet gateways/,
    nearMiss: add({ id: 'igw-2', kind: 'internet-gateway', parent: 'vpc-peer' }),
    nearMissName: 'one gateway per VPC',
  },
  {
    code: 'edge-invalid',
    name: 'an edge from a server to an auto-scaling group',
    trigger: addEdge('e-bad', 'web-1', 'asg'),
    severity: 'error',
    nodeIds: ['web-1', 'asg'],
    path: 'edges[4]',
    message: /a server cannot send to an auto-scaling group: it has no address of its own/,
    nearMiss: addEdge('e-good', 'web-1', 'web-2'),
    nearMissName: 'an edge from a server to a server (a dependency)',
  },
  {
    code: 'edge-invalid',
    name: 'a TCP edge from a reverse proxy',
    trigger: (t) => {
      t.nodes.push({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a' } as TopologyNode);
      t.edges.push({ id: 'e-gw', from: 'gw', to: 'web-1', protocol: 'tcp' });
    },
    severity: 'error',
    nodeIds: ['gw', 'web-1'],
    path: 'edges[4]',
    message: /a reverse proxy speaks only HTTP to its upstreams, so an edge from it cannot carry "protocol": "tcp"/,
    nearMiss: (t) => {
      t.nodes.push({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a' } as TopologyNode);
      t.edges.push({ id: 'e-gw', from: 'gw', to: 'web-1', protocol: 'http' });
    },
    nearMissName: 'the same edge carrying HTTP',
  },
  {
    code: 'connection-blocked',
    name: 'an internet client drawn to an internal balancer',
    trigger: patch('lb', { internetFacing: undefined }),
    severity: 'error',
    nodeIds: ['lb', 'visitor'],
    path: 'e-visitor-lb',
    fix: { field: 'internetFacing', value: true },
    message: /^Edge "e-visitor-lb" from "visitor" to "lb" \(port 80, http\) is blocked by "lb": load balancer "lb" is internal/,
    nearMiss: patch('lb', { internetFacing: true }),
    nearMissName: 'the same balancer internet-facing',
  },
  {
    code: 'connection-blocked',
    name: 'a server calling a database across a peering with no route back',
    trigger: all(add(server('db', 'peer-sub', '10.1.0.10')), addEdge('e-db', 'web-1', 'db'), patch('rt-peer', { routes: [] })),
    severity: 'error',
    nodeIds: ['rt-peer', 'web-1', 'db'],
    path: 'e-db',
    fix: { field: 'routes', value: [{ destination: '10.0.0.0/16', target: 'pcx' }] },
    message: /\(port 80, http\) is blocked by "rt-peer": peering without a return route/,
    nearMiss: all(add(server('db', 'peer-sub', '10.1.0.10')), addEdge('e-db', 'web-1', 'db')),
    nearMissName: 'the same call with the route back',
  },
  {
    code: 'connection-blocked',
    name: 'an edge to a port its target does not listen on',
    trigger: (t) => {
      t.edges.push({ id: 'e-port', from: 'web-1', to: 'web-2', port: 8080, protocol: 'tcp' });
    },
    severity: 'error',
    nodeIds: ['web-2', 'web-1'],
    path: 'e-port',
    message: /\(port 8080, tcp\) is blocked by "web-2": "web-2" listens on port 80, not 8080/,
    nearMiss: (t) => {
      t.edges.push({ id: 'e-port', from: 'web-1', to: 'web-2', port: 80, protocol: 'tcp' });
    },
    nearMissName: 'the same edge on the port it listens on',
  },
  {
    code: 'alb-single-zone',
    name: 'an application balancer whose second subnet is in the same zone',
    trigger: patch('public-b', { zone: 'a' }),
    severity: 'warning',
    nodeIds: ['lb', 'public-a'],
    path: 'nodes[7].parent',
    message: /Application load balancer "lb" has all its subnets in zone "a": AWS requires subnets in at least two availability zones/,
    nearMiss: patch('public-b', { zone: undefined }),
    nearMissName: 'a second subnet that names no zone (it may go in any zone)',
  },
  {
    code: 'lb-no-targets',
    name: 'a balancer with no edges',
    trigger: (t) => {
      t.edges = t.edges.filter((e) => e.from !== 'lb');
    },
    severity: 'warning',
    nodeIds: ['lb'],
    path: 'nodes[7]',
    message: /has no targets/,
    nearMiss: (t) => {
      t.edges = t.edges.filter((e) => e.id === 'e-lb-asg' || e.from !== 'lb');
    },
    nearMissName: 'a balancer whose only target is an auto-scaling group',
  },
  {
    code: 'reference-kind',
    name: 'an auto-scaling group spread over a server',
    trigger: patch('asg', { subnets: ['web-1'] }),
    severity: 'error',
    nodeIds: ['asg', 'web-1'],
    path: 'nodes[14].subnets[0]',
    message: /names a server "web-1" as a subnet; subnets\[0\] must name a subnet$/,
    nearMiss: patch('asg', { subnets: ['public-a'] }),
    nearMissName: 'a group spread over another subnet',
  },
  {
    code: 'reference-kind',
    name: 'a reverse-proxy rule sending to a subnet',
    trigger: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ pathPrefix: '/api', upstreams: ['web-1', 'private-a'] }] } as TopologyNode),
    severity: 'error',
    nodeIds: ['gw', 'private-a'],
    path: 'nodes[17].rules[0].upstreams[1]',
    message: /names a subnet "private-a" as an upstream; rules\[0\]\.upstreams\[1\] must name a server, load balancer, reverse proxy, cache or auto-scaling group/,
    nearMiss: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ pathPrefix: '/api', upstreams: ['web-1', 'asg'] }] } as TopologyNode),
    nearMissName: 'a rule sending to a server and a group',
  },
  {
    code: 'header-invalid',
    name: 'a reverse-proxy rule setting a header value with a line break',
    trigger: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ pathPrefix: '/api', upstreams: ['web-1'], requestHeaders: { 'X-Tenant': 'a\r\nX-Admin: yes' } }] } as TopologyNode),
    severity: 'error',
    nodeIds: ['gw'],
    path: 'nodes[17].rules[0].requestHeaders["X-Tenant"]',
    message: /rule 1 sets request header "X-Tenant", which cannot be sent: the value holds a character a header cannot carry/,
    nearMiss: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ pathPrefix: '/api', upstreams: ['web-1'], requestHeaders: { 'X-Tenant': 'a "quoted" ${x} %[src] {b};' } }] } as TopologyNode),
    nearMissName: 'a value full of config syntax but only visible ASCII',
  },
  {
    code: 'header-invalid',
    name: 'a reverse-proxy rule setting a response header whose name is not a token',
    trigger: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ upstreams: ['web-1'], responseHeaders: { 'X Bad:Name': 'v' } }] } as TopologyNode),
    severity: 'error',
    nodeIds: ['gw'],
    path: 'nodes[17].rules[0].responseHeaders["X Bad:Name"]',
    message: /sets response header "X Bad:Name", which cannot be sent: the name is not an HTTP token/,
    nearMiss: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ upstreams: ['web-1'], responseHeaders: { "X-Odd!#$%&'*+.^_`|~": 'v' } }] } as TopologyNode),
    nearMissName: 'a name using every token punctuation character',
  },
  {
    code: 'gateway-invalid',
    name: 'two gateway routes sharing an id',
    trigger: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', gateway: { routes: [{ id: 'api', path: '/a/*', upstreams: ['web-1'] }, { id: 'api', path: '/b/*', upstreams: ['web-1'] }] } } as TopologyNode),
    severity: 'error',
    nodeIds: ['gw'],
    path: 'nodes[17].gateway.routes[1].id',
    message: /route id "api" is used by routes\[0\] already/,
    nearMiss: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', gateway: { routes: [{ id: 'api', path: '/a/*', upstreams: ['web-1'] }, { id: 'api-b', path: '/b/*', upstreams: ['web-1'] }] } } as TopologyNode),
    nearMissName: 'two routes with their own ids',
  },
  {
    code: 'gateway-invalid',
    name: 'a gateway route whose auth names an undeclared secret',
    trigger: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', gateway: { secrets: { keys: 'keys.json' }, routes: [{ id: 'api', upstreams: ['web-1'], auth: { type: 'api-key', keys: 'kyes' } }] } } as TopologyNode),
    severity: 'error',
    nodeIds: ['gw'],
    path: 'nodes[17].gateway.routes[0].auth.keys',
    message: /the secret "kyes" is not declared in gateway.secrets \(declared: keys\)/,
    nearMiss: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', gateway: { secrets: { keys: 'keys.json' }, routes: [{ id: 'api', upstreams: ['web-1'], auth: { type: 'api-key', keys: 'keys' } }] } } as TopologyNode),
    nearMissName: 'the declared secret',
  },
  {
    code: 'gateway-invalid',
    name: 'a gateway path pattern no request can match',
    trigger: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', gateway: { routes: [{ id: 'api', path: '/files/*/meta', upstreams: ['web-1'] }] } } as TopologyNode),
    severity: 'error',
    nodeIds: ['gw'],
    path: 'nodes[17].gateway.routes[0].path',
    message: /impossible path pattern: "\*" may only be the last segment/,
    nearMiss: add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', gateway: { routes: [{ id: 'api', path: '/files/{name}/meta', upstreams: ['web-1'] }] } } as TopologyNode),
    nearMissName: 'a parameter in the middle',
  },
  {
    code: 'asg-size',
    name: 'desired above max',
    trigger: patch('asg', { desired: 5 }),
    severity: 'error',
    nodeIds: ['asg'],
    path: 'nodes[14].desired',
    fix: { field: 'desired', value: 3 },
    message: /min 1, desired 5, max 3/,
    nearMiss: patch('asg', { desired: 3 }),
    nearMissName: 'desired equal to max',
  },
];

describe('the base fixtures are clean', () => {
  it.each(['base', 'ipv6'] as const)('%s has no diagnostic', (name) => {
    expect(validateTopology(fixture(name))).toEqual([]);
  });
});

describe.each([...CASES, ...FILTER_CASES, ...DNS_CASES])('$code', (c) => {
  const base = fixture('base');
  it(`is reported for ${c.name}`, () => {
    const found = validateTopology(variant(base, c.trigger)).filter((d) => d.code === c.code);
    expect(found).toHaveLength(1);
    const diagnostic = found[0]!;
    expect(diagnostic).toMatchObject({ severity: c.severity, nodeIds: c.nodeIds, path: c.path });
    expect(diagnostic.message).toMatch(c.message);
    if (c.fix) expect(diagnostic.fix).toMatchObject({ nodeId: c.nodeIds[0], field: c.fix.field, value: c.fix.value });
    else expect(diagnostic.fix).toBeUndefined();
  });
  it(`is not reported for ${c.nearMissName}`, () => {
    expect(codesOf(variant(base, c.nearMiss))).not.toContain(c.code);
  });
});

describe('coverage of the code list', () => {
  const tested = new Set([...CASES, ...FILTER_CASES, ...DNS_CASES].map((c) => c.code));
  // Codes listed in diagnostic.ts but not produced by any rule yet (kept stable for the file format).
  const reserved = new Set<DiagnosticCode>(['ip-missing', 'nat-missing-igw']);
  it.each(DIAGNOSTIC_CODES.filter((code) => !reserved.has(code)))('%s has a triggering case', (code) => {
    expect(tested.has(code)).toBe(true);
  });
});

describe('alb-single-zone', () => {
  const base = fixture('base');
  it('is reported for a balancer alone in its route table, and names the fix', () => {
    const [found] = validateTopology(variant(base, patch('public-b', { parent: 'vpc-peer', cidr: '10.1.1.0/24' }))).filter((d) => d.code === 'alb-single-zone');
    expect(found?.message).toMatch(/has a single subnet .*Add a subnet in another zone that uses the same route table as "public-a", or make it a layer 4/);
  });
  it('is not reported for a network (layer 4) balancer, nor for a design on another provider', () => {
    const single = patch('public-b', { zone: 'a' });
    expect(codesOf(variant(base, all(single, patch('lb', { layer: 4 }))))).not.toContain('alb-single-zone');
    expect(codesOf(variant(base, all(single, provider('generic'))))).not.toContain('alb-single-zone');
  });
});
