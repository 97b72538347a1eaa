import type { Provider, Topology, TopologyNode } from '../../../core/model/index.js';
import { generatePlan } from '../../bench/validate.bench.js';
import { seededRandom } from '../../support/random.js';

/**
 * The benchmark's plan of `subnets` subnets with address problems planted throughout
 * (seeded, so always the same file): CIDRs with host bits, bad octets and copies of an
 * earlier block; servers at the network, second and broadcast address, outside their
 * subnet, on another server's address, with bad text, and more servers than a /28 holds;
 * and blocks at the edges of the address spaces (0.0.0.0, 255.255.255.255, /0, /32, IPv6
 * /0, /64 and /128), with servers given an address and servers waiting for one. For tests
 * that pin what `validate` says about a big design.
 */
export function plantedPlan(subnets: number, provider: Provider, seed = 7): Topology {
  const plan = generatePlan(subnets);
  plan.provider = provider;
  const random = seededRandom(seed);
  const nodes: TopologyNode[] = [];
  let previousCidr = '10.0.0.0/28';
  let planted = 0;
  for (const node of plan.nodes) {
    nodes.push(node);
    if (node.kind !== 'subnet') continue;
    const [a, b, c, d] = node.cidr.split('/')[0]!.split('.').map(Number) as [number, number, number, number];
    const roll = random();
    if (roll < 0.01) node.cidr = `${a}.${b}.${c}.${d + 1 + Math.floor(random() * 15)}/28`; // host bits
    else if (roll < 0.015) node.cidr = `${a}.${b}.${c}.0${d}/28`; // leading zero
    else if (roll < 0.02) node.cidr = previousCidr; // the same block as the subnet before
    else if (roll < 0.025) node.cidr = `${a}.${b}.${c}.0/27`; // overlaps its neighbours (or host bits)
    previousCidr = node.cidr;
    if (random() < 0.03) {
      // Servers at chosen offsets of the block (0: network, 1: the router's, 15: broadcast, 16: outside).
      const offsets = [0, 1, 2, 3, 4, 14, 15, 16, 300];
      const offset = offsets[Math.floor(random() * offsets.length)]!;
      const value = ((a << 24) | (b << 16) | (c << 8) | d) + offset;
      const ip = `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
      nodes.push({ id: `${node.id}-at-${offset}`, kind: 'server', parent: node.id, ip });
      planted++;
    }
    if (random() < 0.01) {
      // More servers than the subnet has usable addresses: the last ones get none.
      for (let i = 0; i < 13; i++) nodes.push({ id: `${node.id}-full-${i}`, kind: 'server', parent: node.id });
      nodes.push({ id: `${node.id}-pinned`, kind: 'server', parent: node.id, ip: `${a}.${b}.${c}.${d + 6}` });
    }
    if (random() < 0.005) nodes.push({ id: `${node.id}-bad-ip`, kind: 'server', parent: node.id, ip: random() < 0.5 ? `${a}.${b}.${c}.999` : `${a}.${b}.0${c}.1` });
    if (random() < 0.005) nodes.push({ id: `${node.id}-dup-${planted}`, kind: 'server', parent: node.id, ip: `10.0.0.21` });
  }
  nodes.push(
    // The edges of IPv4: the whole space, its first and last addresses.
    { id: 'edge-vpc-all', kind: 'vpc', cidr: '0.0.0.0/0', secondaryCidrs: ['255.255.255.255/32'] },
    { id: 'edge-all', kind: 'subnet', parent: 'edge-vpc-all', cidr: '0.0.0.0/0' },
    { id: 'edge-all-web', kind: 'server', parent: 'edge-all' },
    { id: 'edge-all-zero', kind: 'server', parent: 'edge-all', ip: '0.0.0.0' },
    { id: 'edge-all-top', kind: 'server', parent: 'edge-all', ip: '255.255.255.255' },
    { id: 'edge-first', kind: 'subnet', parent: 'edge-vpc-all', cidr: '0.0.0.0/32' },
    { id: 'edge-first-web', kind: 'server', parent: 'edge-first' },
    { id: 'edge-last', kind: 'subnet', parent: 'edge-vpc-all', cidr: '255.255.255.255/32' },
    { id: 'edge-last-web', kind: 'server', parent: 'edge-last' },
    { id: 'edge-last-pinned', kind: 'server', parent: 'edge-last', ip: '255.255.255.255' },
    { id: 'edge-pair', kind: 'subnet', parent: 'edge-vpc-all', cidr: '255.255.255.254/31' },
    { id: 'edge-pair-a', kind: 'server', parent: 'edge-pair' },
    { id: 'edge-pair-b', kind: 'server', parent: 'edge-pair' },
    { id: 'edge-top-24', kind: 'subnet', parent: 'edge-vpc-all', cidr: '255.255.255.0/24' },
    { id: 'edge-top-24-a', kind: 'server', parent: 'edge-top-24', ip: '255.255.255.4' },
    { id: 'edge-top-24-b', kind: 'server', parent: 'edge-top-24' },
    { id: 'edge-top-24-c', kind: 'server', parent: 'edge-top-24' },
    // IPv6: a /56 with /64s, the whole space and single addresses.
    { id: 'v6-vpc', kind: 'vpc', cidr: 'fd00:1::/56' },
    { id: 'v6-a', kind: 'subnet', parent: 'v6-vpc', cidr: 'fd00:1::/64' },
    { id: 'v6-a-web', kind: 'server', parent: 'v6-a' },
    { id: 'v6-a-web-2', kind: 'server', parent: 'v6-a' },
    { id: 'v6-a-pinned', kind: 'server', parent: 'v6-a', ip: 'fd00:1::5' },
    { id: 'v6-a-zero', kind: 'server', parent: 'v6-a', ip: 'fd00:1::' },
    { id: 'v6-a-top', kind: 'server', parent: 'v6-a', ip: 'fd00:1::ffff:ffff:ffff:ffff' },
    { id: 'v6-a-outside', kind: 'server', parent: 'v6-a', ip: 'fd00:2::1' },
    { id: 'v6-a-dup', kind: 'server', parent: 'v6-a', ip: 'FD00:1:0:0::5' },
    { id: 'v6-b', kind: 'subnet', parent: 'v6-vpc', cidr: 'fd00:1:0:1::/64' },
    { id: 'v6-b-bad', kind: 'server', parent: 'v6-b', ip: 'fd00:1:0:1::g' },
    { id: 'v6-b-v4', kind: 'server', parent: 'v6-b', ip: '10.0.0.5' },
    { id: 'v6-vpc-all', kind: 'vpc', cidr: '::/0' },
    { id: 'v6-all', kind: 'subnet', parent: 'v6-vpc-all', cidr: '::/0' },
    { id: 'v6-all-web', kind: 'server', parent: 'v6-all' },
    { id: 'v6-all-top', kind: 'server', parent: 'v6-all', ip: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' },
    { id: 'v6-one', kind: 'subnet', parent: 'v6-vpc-all', cidr: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128' },
    { id: 'v6-one-web', kind: 'server', parent: 'v6-one' },
    { id: 'v6-host-bits', kind: 'subnet', parent: 'v6-vpc-all', cidr: 'fd00:9::1/64' },
    { id: 'v6-host-bits-web', kind: 'server', parent: 'v6-host-bits' },
  );
  return { ...plan, name: `${plan.name} with planted problems`, nodes };
}
