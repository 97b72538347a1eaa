import { describe, expect, it } from 'vitest';
import { formatIpValue, safeParseIp } from '../../../core/cidr/address.js';
import { safeParseCidr } from '../../../core/cidr/block.js';
import { PROVIDER_IDS, providerProfile } from '../../../core/cidr/providers.js';
import { resolveAddresses, type ResolvedAddress } from '../../../core/model/addresses.js';
import { DEFAULT_PORTS, isAddressableKind } from '../../../core/model/kinds.js';
import { TopologyIndex } from '../../../core/model/queries.js';
import type { Topology, TopologyNode } from '../../../core/model/types.js';
import { seededRandom } from '../../support/random.js';

/**
 * resolveAddresses counts IPv4 in plain numbers and keeps nodes by position; this is the
 * BigInt, id-keyed algorithm it replaced, kept as the reference: on seeded random plans
 * (both families, blocks from /0 to /32 and /128, addresses at the edges, taken, reserved,
 * outside their subnet or of the other family, invalid text, nested nodes, and repeated
 * ids that bypass the schema) both must give the same entries in the same order. It keys
 * taken addresses by family and value (`4:4` is 0.0.0.4, `6:4` is ::4): two addresses of one
 * number are two addresses.
 */
function referenceAddresses(index: TopologyIndex): Map<string, ResolvedAddress> {
  const profile = providerProfile(index.topology.provider);
  const out = new Map<string, ResolvedAddress>();
  const pending = new Map<string, string[]>();
  const taken = new Map<string, Set<string>>();
  const key = (version: 4 | 6, value: bigint): string => `${version}:${value}`;
  const setOf = (key: string): Set<string> => {
    let set = taken.get(key);
    if (!set) taken.set(key, (set = new Set()));
    return set;
  };
  for (const node of index.topology.nodes) {
    if (!isAddressableKind(node.kind)) continue;
    const addressable = node as { id: string; ip?: string; port?: number; kind: typeof node.kind };
    const port = addressable.port ?? DEFAULT_PORTS[node.kind as keyof typeof DEFAULT_PORTS];
    if (addressable.ip !== undefined) {
      const ip = safeParseIp(addressable.ip);
      if (ip) {
        out.set(node.id, { ip: formatIpValue(ip.version, ip.value), version: ip.version, value: ip.value, port, assigned: false });
        const subnet = index.subnetOf(node.id);
        if (subnet) setOf(subnet.id).add(key(ip.version, ip.value));
      }
      continue;
    }
    const subnet = index.subnetOf(node.id);
    if (subnet) pending.set(subnet.id, [...(pending.get(subnet.id) ?? []), node.id]);
  }
  for (const [subnetId, nodeIds] of pending) {
    const subnet = index.nodeOfKind(subnetId, 'subnet');
    const parsed = subnet ? safeParseCidr(subnet.cidr) : undefined;
    if (!parsed?.ok) continue;
    const block = parsed.block;
    const used = setOf(subnetId);
    for (const reserved of profile.reserved(block)) used.add(key(block.version, reserved.value));
    let candidate = block.first;
    for (const id of nodeIds) {
      while (candidate <= block.last && used.has(key(block.version, candidate))) candidate++;
      if (candidate > block.last) break;
      const node = index.node(id) as { port?: number; kind: string } | undefined;
      const port = node?.port ?? DEFAULT_PORTS[node?.kind as keyof typeof DEFAULT_PORTS] ?? 0;
      out.set(id, { ip: formatIpValue(block.version, candidate), version: block.version, value: candidate, port, assigned: true });
      used.add(key(block.version, candidate));
    }
  }
  return out;
}

const V4_BLOCKS = ['0.0.0.0/0', '0.0.0.0/32', '0.0.0.0/30', '255.255.255.255/32', '255.255.255.254/31', '255.255.255.248/29', '10.0.0.0/28', '10.0.0.16/28', '10.0.1.0/24', '10.0.0.0/16', '10.0.0.5/28', '10.0.00.0/24'];
const V6_BLOCKS = ['::/0', '::/96', '::/127', '::/128', 'fd00::/64', 'fd00::/126', 'fd00::1/128', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff8/125', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 'fd00::1/64'];
const ADDRESSES = [
  '0.0.0.0',
  '0.0.0.1',
  '0.0.0.4',
  '0.0.0.5',
  '10.0.0.4',
  '10.0.0.5',
  '10.0.0.15',
  '10.0.0.16',
  '10.0.1.7',
  '255.255.255.255',
  '255.255.255.254',
  '10.0.0.256',
  '10.0.0.05',
  '::',
  '::4',
  '::5',
  '::1',
  '::ffff:a00:5',
  'fd00::',
  'fd00::1',
  'fd00::2',
  'FD00::3',
  'fd00:0:0:0:0:0:0:4',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe',
  'fd00::g',
  '',
];
const ADDRESSABLE = ['server', 'load-balancer', 'reverse-proxy', 'cache', 'forward-proxy', 'nat-gateway', 'client'] as const;

/** A random plan: a few VPCs of subnets of random blocks, with addressable nodes in (or near) them. */
function randomPlan(seed: number): Topology {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const nodes: TopologyNode[] = [];
  const subnets: string[] = [];
  const vpcs = 1 + Math.floor(random() * 3);
  let n = 0;
  for (let v = 0; v < vpcs; v++) {
    const vpc = `vpc-${v}`;
    nodes.push({ id: vpc, kind: 'vpc', cidr: random() < 0.5 ? '10.0.0.0/16' : 'fd00::/56' });
    for (let s = 0, count = 1 + Math.floor(random() * 5); s < count; s++) {
      const id = `${vpc}-s${s}`;
      subnets.push(id);
      nodes.push({ id, kind: 'subnet', parent: vpc, cidr: random() < 0.6 ? pick(V4_BLOCKS) : pick(V6_BLOCKS) });
    }
  }
  for (let i = 0, count = Math.floor(random() * 40); i < count; i++) {
    const kind = pick(ADDRESSABLE);
    const node: Record<string, unknown> = { id: `n${n++}`, kind };
    const where = random();
    if (where < 0.8) node['parent'] = pick(subnets);
    else if (where < 0.9) node['parent'] = `vpc-${Math.floor(random() * vpcs)}`;
    if (random() < 0.4) node['ip'] = pick(ADDRESSES);
    if (random() < 0.2) node['port'] = 1 + Math.floor(random() * 9000);
    // Repeated ids (the schema refuses them; the index must still agree with the id lookups).
    if (seed % 7 === 0 && random() < 0.2) node['id'] = pick([...subnets, 'n0', 'n1']);
    // Nodes shuffled in among the subnets: a subnet may come after its nodes.
    nodes.splice(Math.floor(random() * (nodes.length + 1)), 0, node as unknown as TopologyNode);
  }
  return { schema: 'topolab/1', name: `random ${seed}`, provider: pick(PROVIDER_IDS), nodes, edges: [], layout: {} };
}

describe('resolveAddresses against the BigInt reference', () => {
  it('gives the same entries, in the same order, on 1,500 seeded random plans', () => {
    let assigned = 0;
    let given = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const plan = randomPlan(seed);
      const index = new TopologyIndex(plan);
      const expected = [...referenceAddresses(new TopologyIndex(plan)).entries()];
      expect([...resolveAddresses(index).entries()], `seed ${seed}`).toEqual(expected);
      for (const [, address] of expected) {
        if (address.assigned) assigned++;
        else given++;
      }
    }
    // Both kinds of entry were exercised.
    expect(assigned).toBeGreaterThan(1000);
    expect(given).toBeGreaterThan(1000);
  });

  it('agrees when the index is given the loader-built parent positions', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const plan = randomPlan(seed);
      const positions = new Map(plan.nodes.map((node, i) => [node.id, i]));
      const parentAt = Int32Array.from(plan.nodes, (node) => (node.parent === undefined ? -1 : (positions.get(node.parent) ?? -1)));
      const expected = [...referenceAddresses(new TopologyIndex(plan)).entries()];
      expect([...resolveAddresses(new TopologyIndex(plan, positions, parentAt)).entries()], `seed ${seed}`).toEqual(expected);
    }
  });
});
