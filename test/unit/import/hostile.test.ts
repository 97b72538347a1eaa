import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoundedText } from '../../../core/cli/import-files.js';
import { runTopolab } from '../../support/cli.js';

/**
 * Hostile input to `topolab import`: every bad file ends in exit 2 with one line naming
 * the file and the JSON path, never a stack trace; a huge file is refused before it is
 * held in memory.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-import-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function refused(args: string[], message: RegExp): Promise<void> {
  const run = await runTopolab('import', ...args);
  expect(run.code, run.err).toBe(2);
  expect(run.err).toMatch(message);
  expect(run.err).not.toMatch(/\n\s+at /);
  expect(run.err.trim().split('\n')).toHaveLength(1);
}

const vpcs = (value: unknown) => JSON.stringify({ Vpcs: [value] });

describe('import: hostile input', () => {
  it('names the file, line and column of broken JSON', async () => {
    const path = await file('broken.json', '{"Vpcs": [ {"VpcId": "vpc-1",, } ]}');
    await refused(['aws', path], new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON at line 1, column \\d+`));
  });

  it('names the path of a wrong shape and of a missing field', async () => {
    await refused(['aws', await file('shape.json', JSON.stringify({ Vpcs: { VpcId: 'vpc-1' } }))], /shape\.json at Vpcs: expected an array/);
    await refused(['aws', await file('missing.json', vpcs({ VpcId: 'vpc-1' }))], /missing\.json at Vpcs\[0\]\.CidrBlock: expected string/);
    await refused(['aws', await file('deep.json', JSON.stringify({ Reservations: [{ Instances: [{ InstanceId: 42 }] }] }))], /deep\.json at Reservations\[0\]\.Instances\[0\]\.InstanceId: expected string/);
    await refused(['aws', await file('top.json', '[1,2]')], /top\.json: expected the JSON object/);
    await refused(['aws', await file('unknown.json', JSON.stringify({ Buckets: [] }))], /unknown\.json: no recognised top-level key \(found "Buckets"/);
  });

  it('refuses ids with characters a node id cannot hold, naming where', async () => {
    await refused(['aws', await file('odd.json', vpcs({ VpcId: 'vpc-1"><script>', CidrBlock: '10.0.0.0/16' }))], /odd\.json at Vpcs\[0\]\.VpcId: not an AWS resource id/);
    await refused(['aws', await file('long.json', vpcs({ VpcId: `vpc-${'a'.repeat(300)}`, CidrBlock: '10.0.0.0/16' }))], /long\.json at Vpcs\[0\]\.VpcId/);
    await refused(['aws', await file('empty-id.json', JSON.stringify({ VpcEndpoints: [{ VpcEndpointId: null }] }))], /empty-id\.json at VpcEndpoints\[0\]\.VpcEndpointId: expected a string id/);
  });

  it('imports Terraform keys with odd characters as ids the format holds', async () => {
    const doc = { format_version: '1.0', values: { root_module: { resources: [{ address: 'aws_vpc.v["a b\\"c/../d"]', mode: 'managed', type: 'aws_vpc', name: 'v', index: 'a b"c/../d', values: { cidr_block: '10.0.0.0/16' } }] } } };
    const run = await runTopolab('import', 'terraform', await file('odd-tf.json', JSON.stringify(doc)), '--json');
    expect(run.code, run.err).toBe(0);
    const out = JSON.parse(run.out) as { design: { nodes: { id: string }[] } };
    expect(out.design.nodes.map((n) => n.id)).toContain('aws_vpc.v.a_b_c_.._d');
  });

  it('refuses malformed IPv6 blocks and routes with exit 2, naming the file and the JSON path', async () => {
    await refused(['aws', await file('v6-vpc.json', vpcs({ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f18::/200' }] }))], /v6-vpc\.json at Vpcs\[0\]\.Ipv6CidrBlockAssociationSet\[0\]\.Ipv6CidrBlock: not a CIDR block/);
    await refused(['aws', await file('v6-route.json', JSON.stringify({ RouteTables: [{ RouteTableId: 'rtb-1', VpcId: 'vpc-1', Routes: [{ DestinationIpv6CidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }] }] }))], /v6-route\.json at RouteTables\[0\]\.Routes\[0\]\.DestinationIpv6CidrBlock: "0\.0\.0\.0\/0" is an IPv4 block where an IPv6 block belongs/);
    const tf = { format_version: '1.0', values: { root_module: { resources: [{ address: 'aws_subnet.s', mode: 'managed', type: 'aws_subnet', name: 's', values: { vpc_id: 'vpc-1', ipv6_cidr_block: ['2600::/64'] } }] } } };
    await refused(['terraform', await file('v6-tf.json', JSON.stringify(tf))], /v6-tf\.json at values\.root_module\.resources\[0\]\.values\.ipv6_cidr_block: expected a CIDR block as a string, got array/);
  });

  it('refuses an unknown major format_version and a Terraform document of the wrong shape', async () => {
    await refused(['terraform', await file('v2.json', JSON.stringify({ format_version: '2.0', values: {} }))], /v2\.json at format_version: format "2\.0" is not supported/);
    await refused(['terraform', await file('nofv.json', JSON.stringify({ values: {} }))], /nofv\.json at format_version: missing/);
    await refused(['terraform', await file('tf-shape.json', JSON.stringify({ format_version: '1.0', values: { root_module: { resources: [{ address: 'x' }] } } }))], /tf-shape\.json at values\.root_module\.resources\[0\]\.type/);
    const deep: Record<string, unknown> = { resources: [] };
    let at = deep;
    for (let i = 0; i < 100; i++) {
      const child: Record<string, unknown> = { resources: [] };
      at['child_modules'] = [child];
      at = child;
    }
    await refused(['terraform', await file('nested.json', JSON.stringify({ format_version: '1.0', values: { root_module: deep } }))], /nested\.json at values\.root_module(\.child_modules\[0\])+: modules nested more than 64 deep/);
  });

  it('refuses a file over the bound by its size, and a stream over it while reading', async () => {
    const big = await file('big.json', Buffer.alloc(2048, 0x20));
    await expect(readBoundedText(big, 1024)).rejects.toThrow(/big\.json: 0 MiB is more than the 0 MiB an import reads/);
    // A device has no size: the bound holds while reading.
    await expect(readBoundedText('/dev/zero', 4 * 1024 * 1024)).rejects.toThrow(/\/dev\/zero: more than the 4 MiB an import reads/);
  });

  it('refuses a missing file, a folder and text that is not UTF-8', async () => {
    await refused(['aws', join(dir, 'nope.json')], /nope\.json: no such file/);
    await refused(['aws', dir], /is a folder, not a file/);
    await refused(['aws', await file('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))], /latin1\.json: not UTF-8 text/);
  });

  it('keeps deep JSON nesting and a huge array of items from crashing the import', async () => {
    await refused(['aws', await file('nest.json', `{"Vpcs": [${'['.repeat(100_000)}${']'.repeat(100_000)}]}`)], /nest\.json at Vpcs\[0\]: expected object/);
    const many = JSON.stringify({ Subnets: Array.from({ length: 20_000 }, (_, i) => ({ SubnetId: `subnet-${i}`, VpcId: 'vpc-none', CidrBlock: '10.0.0.0/24' })) });
    const run = await runTopolab('import', 'aws', await file('many.json', many), '--json');
    expect(run.code, run.err).toBe(0);
    expect((JSON.parse(run.out) as { ignored: unknown[] }).ignored).toHaveLength(20_000);
  });
});
