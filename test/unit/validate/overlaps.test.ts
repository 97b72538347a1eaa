/**
 * subnet-overlap and vpc-overlap against a reference: random address plans (seeded), whose
 * overlapping pairs are computed by the obvious O(n²) comparison on ranges that the
 * ip-address library computes (not Topolab's own CIDR code). Every subnet that overlaps an
 * earlier one must be reported, against exactly the earlier subnets it overlaps.
 */
import { Address4, Address6 } from 'ip-address';
import { describe, expect, it } from 'vitest';
import type { Topology, TopologyNode } from '../../../core/model/index.js';
import { validateTopology } from '../../../core/validate/index.js';
import { MAX_OVERLAPS_NAMED } from '../../../core/validate/rules/subnet-overlap.js';
import { seededRandom } from '../../support/random.js';

interface Planned {
  id: string;
  vpc: string;
  cidr: string;
}

/** The reference range of a CIDR, by ip-address. */
function range(cidr: string): [bigint, bigint] {
  const address = cidr.includes(':') ? new Address6(cidr) : new Address4(cidr);
  return [address.startAddress().bigInt(), address.endAddress().bigInt()];
}

/** Expected diagnostics of subnet-overlap, as "moved>kept" and "moved+N" (the summary), in any order. */
function reference(subnets: readonly Planned[]): string[] {
  const out: string[] = [];
  const ranges = subnets.map((subnet) => range(subnet.cidr));
  subnets.forEach((subnet, j) => {
    const [first, last] = ranges[j]!;
    const v6 = subnet.cidr.includes(':');
    const earlier = subnets.slice(0, j).filter((other, i) => {
      if (other.vpc !== subnet.vpc || other.cidr.includes(':') !== v6) return false;
      const [a, b] = ranges[i]!;
      return a <= last && first <= b;
    });
    for (const other of earlier.slice(0, MAX_OVERLAPS_NAMED)) out.push(`${subnet.id}>${other.id}`);
    if (earlier.length > MAX_OVERLAPS_NAMED) out.push(`${subnet.id}+${earlier.length - MAX_OVERLAPS_NAMED}`);
  });
  return out.sort();
}

function reported(topology: Topology): string[] {
  return validateTopology(topology)
    .filter((d) => d.code === 'subnet-overlap')
    .map((d) => (d.nodeIds.length === 2 ? `${d.nodeIds[0]}>${d.nodeIds[1]}` : `${d.nodeIds[0]}+${/also overlaps (\d+) more/.exec(d.message)?.[1]}`))
    .sort();
}

/** A random plan: two IPv4 VPCs (/16) and one dual-stack VPC, subnets of random sizes in random order, some repeated. */
function randomPlan(seed: number): { topology: Topology; subnets: Planned[] } {
  const random = seededRandom(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const nodes: TopologyNode[] = [
    { id: 'a', kind: 'vpc', cidr: '10.1.0.0/16' },
    { id: 'b', kind: 'vpc', cidr: '10.2.0.0/16' },
    { id: 'c', kind: 'vpc', cidr: '10.3.0.0/16', secondaryCidrs: ['fd00:3::/56'] },
  ];
  const subnets: Planned[] = [];
  const count = 20 + pick(120);
  for (let i = 0; i < count; i++) {
    const vpc = ['a', 'b', 'c'][pick(3)]!;
    let cidr: string;
    if (i > 0 && random() < 0.08) {
      cidr = subnets[pick(i)]!.cidr; // a copy of an earlier subnet's block (maybe in another VPC)
    } else if (vpc === 'c' && random() < 0.3) {
      const prefix = 56 + pick(9); // /56 to /64 inside fd00:3::/56
      const slot = pick(1 << (prefix - 56));
      cidr = `fd00:3:0:${(slot << (64 - prefix)).toString(16)}::/${prefix}`;
    } else {
      const prefix = 18 + pick(11); // /18 to /28 inside the /16
      const slot = pick(1 << (prefix - 16));
      const offset = slot << (32 - prefix);
      cidr = `10.${vpc === 'a' ? 1 : vpc === 'b' ? 2 : 3}.${offset >>> 8}.${offset & 255}/${prefix}`;
    }
    // A copied block from another VPC would be outside this one; keep it in the VPC it came from.
    const owner = subnets.find((s) => s.cidr === cidr)?.vpc ?? vpc;
    subnets.push({ id: `s${i}`, vpc: owner, cidr });
    nodes.push({ id: `s${i}`, kind: 'subnet', parent: owner, cidr });
  }
  for (const vpc of ['a', 'b', 'c']) nodes.push({ id: `${vpc}-rt`, kind: 'route-table', parent: vpc, main: true, subnets: [], routes: [] });
  return { topology: { schema: 'topolab/1', name: 'random', provider: 'generic', nodes, edges: [], layout: {} }, subnets };
}

describe('subnet-overlap against an O(n²) reference on random plans', () => {
  it('reports every overlapping subnet, against exactly the earlier subnets it overlaps (200 seeds)', () => {
    let overlapping = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { topology, subnets } = randomPlan(seed);
      const expected = reference(subnets);
      overlapping += new Set(expected.map((line) => line.split(/[>+]/)[0])).size;
      expect(reported(topology), `seed ${seed}`).toEqual(expected);
    }
    // The plans are dense enough that the comparison means something.
    expect(overlapping).toBeGreaterThan(2000);
  }, 30_000);

  it('a subnet inside two earlier nested subnets is reported against both, in one run', () => {
    const { topology } = {
      topology: {
        schema: 'topolab/1',
        name: 'chain',
        provider: 'aws',
        edges: [],
        layout: {},
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'big', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/20' },
          { id: 'mid', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
          { id: 'small', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/26' },
          { id: 'outer', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/19' },
        ],
      } satisfies Topology,
    };
    const messages = validateTopology(topology)
      .filter((d) => d.code === 'subnet-overlap')
      .map((d) => d.message);
    expect(messages).toEqual([
      'Subnet "mid" 10.0.1.0/24 overlaps subnet "big" 10.0.0.0/20 in the same VPC (it lies inside it); subnets of one VPC must not share addresses',
      'Subnet "small" 10.0.1.0/26 overlaps subnet "big" 10.0.0.0/20 in the same VPC (it lies inside it); subnets of one VPC must not share addresses',
      'Subnet "small" 10.0.1.0/26 overlaps subnet "mid" 10.0.1.0/24 in the same VPC (it lies inside it); subnets of one VPC must not share addresses',
      'Subnet "outer" 10.0.0.0/19 overlaps subnet "big" 10.0.0.0/20 in the same VPC (it contains it); subnets of one VPC must not share addresses',
      'Subnet "outer" 10.0.0.0/19 overlaps subnet "mid" 10.0.1.0/24 in the same VPC (it contains it); subnets of one VPC must not share addresses',
      'Subnet "outer" 10.0.0.0/19 overlaps subnet "small" 10.0.1.0/26 in the same VPC (it contains it); subnets of one VPC must not share addresses',
    ]);
  });

  it('bounds the output for a file of 3,000 copies of one block: the first few named, then one line', () => {
    const nodes: TopologyNode[] = [{ id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' }];
    for (let i = 0; i < 3000; i++) nodes.push({ id: `copy-${i}`, kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' });
    const found = validateTopology({ schema: 'topolab/1', name: 'copies', provider: 'aws', nodes, edges: [], layout: {} }).filter((d) => d.code === 'subnet-overlap');
    // Copy i names min(i, 5) earlier copies, plus a summary once it has more than 5.
    const expected = Array.from({ length: 3000 }, (_, i) => Math.min(i, MAX_OVERLAPS_NAMED) + (i > MAX_OVERLAPS_NAMED ? 1 : 0)).reduce((a, b) => a + b, 0);
    expect(found).toHaveLength(expected);
    expect(found.filter((d) => d.nodeIds[0] === 'copy-2999').map((d) => d.message).at(-1)).toBe(
      'Subnet "copy-2999" 10.0.0.0/24 also overlaps 2994 more subnets listed before it in the same VPC; only the first 5 are named, each in its own diagnostic',
    );
  });
});

describe('vpc-overlap reports every overlapping pair of VPCs in a region', () => {
  it('matches the O(n²) pairs on 100 seeded random sets of VPC blocks', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(seed);
      const nodes: TopologyNode[] = [];
      const blocks: { id: string; cidr: string }[] = [];
      const count = 2 + Math.floor(random() * 12);
      for (let i = 0; i < count; i++) {
        const prefix = 12 + Math.floor(random() * 8);
        const offset = Math.floor(random() * (1 << (prefix - 8))) << (32 - prefix);
        const cidr = `10.${offset >>> 16}.${(offset >>> 8) & 255}.0/${prefix}`;
        blocks.push({ id: `v${i}`, cidr });
        nodes.push({ id: `v${i}`, kind: 'vpc', cidr, region: 'eu-west-1' });
      }
      const expected: string[] = [];
      blocks.forEach((b, j) => {
        const [first, last] = range(b.cidr);
        const earlier = blocks.slice(0, j).filter((a) => {
          const [x, y] = range(a.cidr);
          return x <= last && first <= y;
        });
        for (const a of earlier.slice(0, 5)) expected.push(`${a.id}|${b.id}`);
      });
      const found = validateTopology({ schema: 'topolab/1', name: 'vpcs', provider: 'generic', nodes, edges: [], layout: {} })
        .filter((d) => d.code === 'vpc-overlap' && d.nodeIds.length === 2)
        .map((d) => d.nodeIds.join('|'));
      expect(found.sort(), `seed ${seed}`).toEqual(expected.sort());
    }
  });
});
