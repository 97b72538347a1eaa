import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAws, importTerraform, safeImportAws, safeImportTerraform } from '../../../core/import/index.js';
import { safeParseTopology } from '../../../core/model/load.js';
import { TopologyIndex } from '../../../core/model/queries.js';
import type { Topology, TopologyNode } from '../../../core/model/types.js';
import { RouteTables } from '../../../core/routing/tables.js';
import { trace } from '../../../core/routing/trace.js';
import { validateTopology } from '../../../core/validate/index.js';

/**
 * IPv6 in the import: VPC blocks (AWS-assigned, associated), IPv6-only subnets and their
 * instances' IPv6 addresses, IPv6 routes to internet gateways, and what the format cannot hold (a dual-stack subnet's
 * second block, egress-only gateways and the routes to them) listed in `ignored` with
 * what the design then lacks. Fixtures: test/fixtures/import/aws-ipv6, written from the
 * AWS CLI reference's describe shapes.
 */
const folder = new URL('../../fixtures/import/aws-ipv6/', import.meta.url).pathname;
const files = readdirSync(folder).map((name) => ({ name: join(folder, name), text: readFileSync(join(folder, name), 'utf8') }));
const built = importAws(files);
const design = built.topology;

function node<K extends TopologyNode['kind']>(from: Topology, id: string, kind: K): Extract<TopologyNode, { kind: K }> {
  const found = from.nodes.find((n) => n.id === id);
  expect(found?.kind, `${id} is a ${kind}`).toBe(kind);
  return found as Extract<TopologyNode, { kind: K }>;
}

describe('import aws: IPv6', () => {
  it('makes a design that loads and has no errors', () => {
    const loaded = safeParseTopology(JSON.stringify(design));
    expect(loaded.ok).toBe(true);
    expect(validateTopology(design).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('keeps the IPv4 block primary and the associated IPv6 block as a secondary block (not the disassociated one)', () => {
    expect(node(design, 'vpc-0d6000000000000a1', 'vpc')).toMatchObject({ cidr: '10.20.0.0/16', secondaryCidrs: ['2600:1f18:4a3:6e00::/56'] });
  });

  it('imports an IPv6-only subnet with its IPv6 block, and a dual-stack one with its IPv4 block, listing the IPv6 block it leaves out', () => {
    expect(node(design, 'subnet-0d6only00000000a1', 'subnet').cidr).toBe('2600:1f18:4a3:6e01::/64');
    expect(node(design, 'subnet-0d6priv00000000a1', 'subnet').cidr).toBe('10.20.1.0/24');
    expect(node(design, 'subnet-0d6pub000000000a1', 'subnet').cidr).toBe('10.20.0.0/24');
    expect(built.ignored).toContainEqual({
      type: 'SubnetIpv6CidrBlock',
      id: 'subnet-0d6pub000000000a1 2600:1f18:4a3:6e00::/64',
      reason: expect.stringMatching(/dual-stack subnet.*imported with its IPv4 block 10\.20\.0\.0\/24 only; IPv6 traffic to and from its nodes is not modelled/) as unknown as string,
    });
  });

  it('keeps IPv6 routes to an internet gateway, drops the IPv6 local route, and lists the route to an egress-only gateway with what it means', () => {
    expect(node(design, 'rtb-0d6pub000000000a1', 'route-table').routes).toEqual([
      { destination: '0.0.0.0/0', target: 'igw-0d6000000000000a1' },
      { destination: '::/0', target: 'igw-0d6000000000000a1' },
    ]);
    expect(node(design, 'rtb-0d6main00000000a1', 'route-table').routes).toEqual([]);
    expect(node(design, 'rtb-0d6egr000000000a1', 'route-table').routes).toEqual([]);
    expect(built.ignored).toContainEqual({ type: 'Route', id: 'rtb-0d6egr000000000a1 ::/0', reason: expect.stringMatching(/^to EgressOnlyInternetGateway eigw-0d6000000000000a1: the format has no egress-only internet gateway.*IPv6 traffic this route lets out/) as unknown as string });
    expect(built.ignored).toContainEqual(expect.objectContaining({ type: 'EgressOnlyInternetGateway', id: 'eigw-0d6000000000000a1' }));
    expect(built.ignored.some((i) => i.reason.includes('IPv4 routing only') || i.reason.includes('IPv4 VPC blocks only'))).toBe(false);
  });

  it('gives an instance of an IPv6-only subnet its IPv6 address, and one of a dual-stack subnet its IPv4 address', () => {
    expect(node(design, 'i-0d6web0000000000a1', 'server').ip).toBe('2600:1f18:4a3:6e01::10');
    expect(node(design, 'i-0d6dual000000000a1', 'server').ip).toBe('10.20.0.10');
    const out = trace(design, { from: 'i-0d6web0000000000a1', to: '2606:4700:4700::1111', port: 443 });
    expect(out.verdict).toBe('reachable');
  });

  it('routes IPv6 as AWS does: the IPv6-only public subnet reaches the internet over ::/0, the egress-only one (not modelled) does not', () => {
    const out = trace(design, { from: 'subnet-0d6only00000000a1', to: '2606:4700:4700::1111', port: 443 });
    expect(out.verdict).toBe('reachable');
    expect(out.hops.map((h) => h.nodeId)).toContain('igw-0d6000000000000a1');
    expect(trace(design, { from: 'subnet-0d6app00000000a1', to: '2606:4700:4700::1111', port: 443 }).verdict).not.toBe('reachable');
  });

  it('counts a subnet public by the default route of its own IP version', () => {
    const tables = new RouteTables(new TopologyIndex(design));
    expect(tables.isPublic('subnet-0d6pub000000000a1')).toBe(true);
    expect(tables.isPublic('subnet-0d6only00000000a1')).toBe(true);
    expect(tables.isPublic('subnet-0d6priv00000000a1')).toBe(false);
    // A table sending ::/0 to the gateway and nothing for IPv4: its IPv4 subnet stays private.
    const v6Out = { ...design, nodes: design.nodes.map((n) => (n.id === 'rtb-0d6egr000000000a1' && n.kind === 'route-table' ? { ...n, routes: [{ destination: '::/0', target: 'igw-0d6000000000000a1' }] } : n)) };
    const v6Tables = new RouteTables(new TopologyIndex(v6Out));
    expect(v6Tables.isPublic('subnet-0d6app00000000a1')).toBe(true);
    expect(v6Tables.isPublic('subnet-0d6priv00000000a1')).toBe(false);
  });

  it('refuses malformed IPv6 values, naming the file and the JSON path', () => {
    const bad = (text: unknown, name = 'bad.json') => {
      const result = safeImportAws([{ name, text: JSON.stringify(text) }]);
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.error.message;
    };
    const vpc = (v6: unknown) => ({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: v6 }] }] });
    expect(bad(vpc('2600:1f18::/129'), 'v.json')).toMatch(/^v\.json at Vpcs\[0\]\.Ipv6CidrBlockAssociationSet\[0\]\.Ipv6CidrBlock: not a CIDR block: .*129/);
    expect(bad(vpc('10.0.0.0/16'))).toMatch(/^bad\.json at Vpcs\[0\]\.Ipv6CidrBlockAssociationSet\[0\]\.Ipv6CidrBlock: "10\.0\.0\.0\/16" is an IPv4 block where an IPv6 block belongs/);
    expect(bad(vpc('2600:1f18:::/56'))).toMatch(/Ipv6CidrBlock: not a CIDR block/);
    expect(bad(vpc(56))).toMatch(/Ipv6CidrBlock: expected string/);
    expect(bad({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '2600:1f18::/56' }] })).toMatch(/at Vpcs\[0\]\.CidrBlock: "2600:1f18::\/56" is an IPv6 block where an IPv4 block belongs/);
    expect(bad({ RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Routes: [{ DestinationIpv6CidrBlock: '::/0/0', GatewayId: 'igw-1' }] }] })).toMatch(/at RouteTables\[0\]\.Routes\[0\]\.DestinationIpv6CidrBlock: not a CIDR block/);
    expect(bad({ Subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1', Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: 'fe80::1/64' }] }] })).toMatch(/at Subnets\[0\]\.Ipv6CidrBlockAssociationSet\[0\]\.Ipv6CidrBlock: not a CIDR block: .*host/);
    expect(bad({ Reservations: [{ Instances: [{ InstanceId: 'i-1', SubnetId: 'subnet-1', Ipv6Address: '2600::10::1' }] }] })).toMatch(/at Reservations\[0\]\.Instances\[0\]\.Ipv6Address: not an IPv6 address/);
    expect(bad({ Reservations: [{ Instances: [{ InstanceId: 'i-1', SubnetId: 'subnet-1', NetworkInterfaces: [{ Ipv6Addresses: [{ Ipv6Address: '10.0.0.1' }] }] }] }] })).toMatch(/at Reservations\[0\]\.Instances\[0\]\.NetworkInterfaces\[0\]\.Ipv6Addresses\[0\]\.Ipv6Address: not an IPv6 address/);
    expect(bad({ Subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1', Ipv6CidrBlockAssociationSet: [] }] })).toMatch(/at Subnets\[0\]\.CidrBlock: missing: a subnet has a CidrBlock, or an associated block/);
  });
});

/** A Terraform state of a dual-stack VPC, with the IPv6 resources the import reads and the one it cannot. */
const ipv6State = {
  format_version: '1.0',
  values: {
    root_module: {
      resources: [
        { address: 'aws_vpc.main', mode: 'managed', type: 'aws_vpc', name: 'main', values: { id: 'vpc-1', cidr_block: '10.40.0.0/16', ipv6_cidr_block: '2600:1f18:aa:100::/56', assign_generated_ipv6_cidr_block: true } },
        { address: 'aws_vpc_ipv6_cidr_block_association.extra', mode: 'managed', type: 'aws_vpc_ipv6_cidr_block_association', name: 'extra', values: { id: 'vpc-cidr-assoc-1', vpc_id: 'vpc-1', ipv6_cidr_block: '2600:1f18:aa:200::/56' } },
        { address: 'aws_subnet.v6', mode: 'managed', type: 'aws_subnet', name: 'v6', values: { id: 'subnet-v6', vpc_id: 'vpc-1', cidr_block: null, ipv6_cidr_block: '2600:1f18:aa:100::/64', ipv6_native: true, availability_zone: 'us-east-1a' } },
        { address: 'aws_subnet.dual', mode: 'managed', type: 'aws_subnet', name: 'dual', values: { id: 'subnet-dual', vpc_id: 'vpc-1', cidr_block: '10.40.1.0/24', ipv6_cidr_block: '2600:1f18:aa:101::/64', availability_zone: 'us-east-1a' } },
        { address: 'aws_internet_gateway.gw', mode: 'managed', type: 'aws_internet_gateway', name: 'gw', values: { id: 'igw-1', vpc_id: 'vpc-1' } },
        { address: 'aws_egress_only_internet_gateway.out', mode: 'managed', type: 'aws_egress_only_internet_gateway', name: 'out', values: { id: 'eigw-1', vpc_id: 'vpc-1' } },
        { address: 'aws_route_table.pub', mode: 'managed', type: 'aws_route_table', name: 'pub', values: { id: 'rtb-pub', vpc_id: 'vpc-1', route: [{ cidr_block: '', ipv6_cidr_block: '::/0', gateway_id: 'igw-1' }] } },
        { address: 'aws_route.pub_v4', mode: 'managed', type: 'aws_route', name: 'pub_v4', values: { route_table_id: 'rtb-pub', destination_cidr_block: '0.0.0.0/0', gateway_id: 'igw-1' } },
        { address: 'aws_route_table.priv', mode: 'managed', type: 'aws_route_table', name: 'priv', values: { id: 'rtb-priv', vpc_id: 'vpc-1', route: [] } },
        { address: 'aws_route.priv_v6', mode: 'managed', type: 'aws_route', name: 'priv_v6', values: { route_table_id: 'rtb-priv', destination_ipv6_cidr_block: '::/0', egress_only_gateway_id: 'eigw-1' } },
        { address: 'aws_route_table_association.v6', mode: 'managed', type: 'aws_route_table_association', name: 'v6', values: { subnet_id: 'subnet-v6', route_table_id: 'rtb-pub' } },
        { address: 'aws_route_table_association.dual', mode: 'managed', type: 'aws_route_table_association', name: 'dual', values: { subnet_id: 'subnet-dual', route_table_id: 'rtb-priv' } },
        { address: 'aws_instance.web6', mode: 'managed', type: 'aws_instance', name: 'web6', values: { id: 'i-6', subnet_id: 'subnet-v6', ipv6_addresses: ['2600:1f18:aa:100::20'] } },
      ],
    },
  },
};

describe('import terraform: IPv6', () => {
  const tf = importTerraform({ name: 'v6-state.json', text: JSON.stringify(ipv6State) });

  it('reads the VPC\'s IPv6 block and its associated IPv6 blocks, IPv6-only subnets and IPv6 routes', () => {
    expect(validateTopology(tf.topology).filter((d) => d.severity === 'error')).toEqual([]);
    expect(node(tf.topology, 'aws_vpc.main', 'vpc')).toMatchObject({ cidr: '10.40.0.0/16', secondaryCidrs: ['2600:1f18:aa:100::/56', '2600:1f18:aa:200::/56'] });
    expect(node(tf.topology, 'aws_subnet.v6', 'subnet').cidr).toBe('2600:1f18:aa:100::/64');
    expect(node(tf.topology, 'aws_subnet.dual', 'subnet').cidr).toBe('10.40.1.0/24');
    expect(node(tf.topology, 'aws_route_table.pub', 'route-table').routes).toEqual([
      { destination: '::/0', target: 'aws_internet_gateway.gw' },
      { destination: '0.0.0.0/0', target: 'aws_internet_gateway.gw' },
    ]);
    expect(node(tf.topology, 'aws_route_table.priv', 'route-table').routes).toEqual([]);
    expect(node(tf.topology, 'aws_instance.web6', 'server').ip).toBe('2600:1f18:aa:100::20');
  });

  it('lists the dual-stack subnet\'s IPv6 block, the egress-only gateway and the route to it', () => {
    expect(tf.ignored).toContainEqual(expect.objectContaining({ type: 'SubnetIpv6CidrBlock', id: 'aws_subnet.dual 2600:1f18:aa:101::/64' }));
    expect(tf.ignored).toContainEqual({ type: 'aws_egress_only_internet_gateway', id: 'aws_egress_only_internet_gateway.out', reason: expect.stringContaining('no egress-only internet gateway') as unknown as string });
    expect(tf.ignored).toContainEqual({ type: 'Route', id: 'aws_route_table.priv ::/0', reason: expect.stringContaining('IPv6 traffic this route lets out to the internet (outbound only) finds no route in the design') as unknown as string });
  });

  it('says when a plan does not know the IPv6 block AWS assigns at apply', () => {
    const plan = { format_version: '1.2', planned_values: { root_module: { resources: [{ address: 'aws_vpc.v', mode: 'managed', type: 'aws_vpc', name: 'v', values: { cidr_block: '10.0.0.0/16', assign_generated_ipv6_cidr_block: true } }] } } };
    const built = importTerraform({ name: 'plan.json', text: JSON.stringify(plan) });
    expect(node(built.topology, 'aws_vpc.v', 'vpc')).toMatchObject({ cidr: '10.0.0.0/16' });
    expect(built.ignored).toContainEqual({ type: 'aws_vpc', id: 'aws_vpc.v ipv6_cidr_block', reason: expect.stringContaining('not known before apply') as unknown as string });
  });

  it('refuses malformed IPv6 values, naming the file and the JSON path', () => {
    const broken = (mutate: (resources: { values: Record<string, unknown> }[]) => void) => {
      const doc = structuredClone(ipv6State);
      mutate(doc.values.root_module.resources as { values: Record<string, unknown> }[]);
      const result = safeImportTerraform({ name: 'tf.json', text: JSON.stringify(doc) });
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.error.message;
    };
    expect(broken((r) => (r[0]!.values['ipv6_cidr_block'] = 'zz::/56'))).toMatch(/^tf\.json at values\.root_module\.resources\[0\]\.values\.ipv6_cidr_block: not a CIDR block/);
    expect(broken((r) => (r[2]!.values['ipv6_cidr_block'] = '10.40.2.0/24'))).toMatch(/^tf\.json at values\.root_module\.resources\[2\]\.values\.ipv6_cidr_block: "10\.40\.2\.0\/24" is an IPv4 block where an IPv6 block belongs/);
    expect(broken((r) => (r[9]!.values['destination_ipv6_cidr_block'] = 42))).toMatch(/^tf\.json at values\.root_module\.resources\[9\]\.values\.destination_ipv6_cidr_block: expected a CIDR block as a string, got number/);
    expect(broken((r) => ((r[6]!.values['route'] as Record<string, unknown>[])[0]!['ipv6_cidr_block'] = '::/0/0'))).toMatch(/^tf\.json at values\.root_module\.resources\[6\]\.values\.route\[0\]\.ipv6_cidr_block: not a CIDR block/);
    expect(broken((r) => (r[1]!.values['ipv6_cidr_block'] = '2600:1f18:aa:200::1/56'))).toMatch(/resources\[1\]\.values\.ipv6_cidr_block: not a CIDR block: .*host/);
    expect(broken((r) => (r[12]!.values['ipv6_addresses'] = ['2600:1f18:aa:100::g']))).toMatch(/^tf\.json at values\.root_module\.resources\[12\]\.values\.ipv6_addresses\[0\]: "2600:1f18:aa:100::g" is not an IPv6 address/);
  });
});
