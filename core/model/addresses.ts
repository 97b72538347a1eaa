import { addressKey, formatIPv4Number, formatIPv6BigInt, formatIpValue, parseIPv4Number, parseIPv6BigInt, type AddressKey, type IpAddress } from '../cidr/address.js';
import { parseIPv4Cidr, safeParseCidr, type CidrBlock, type IPv4Range } from '../cidr/block.js';
import { providerProfile, reservedIPv4Offsets, type ReservedAddress } from '../cidr/providers.js';
import { DEFAULT_PORTS, isAddressableKind } from './kinds.js';
import type { TopologyIndex } from './queries.js';
import type { AutoscalingGroupNode, SubnetNode, TopologyNode } from './types.js';

/** The designed address of one addressable node. */
export interface ResolvedAddress {
  ip: string;
  version: 4 | 6;
  value: bigint;
  port: number;
  /** True when the file gave no `ip` and the engine picked the next free usable address. */
  assigned: boolean;
}

/**
 * The designed address of every addressable node: the file's `ip` when it parses, else
 * the lowest usable address of the node's subnet that is neither reserved by the
 * provider nor taken, in file order (so the same file always gives the same addresses).
 * Nodes whose `ip` is invalid, or with no subnet and no `ip`, get no entry; the
 * validator reports them.
 *
 * Runs on every validation of a 100,000-subnet plan, so IPv4 is counted in plain numbers
 * (exact below 2^32) and nodes and subnets are kept by position (walking parents in the
 * index's position array, not by id); BigInt is left to IPv6 and to the `value` of each
 * entry. test/unit/model/addresses-reference.test.ts holds it to the BigInt reference on
 * random plans. `addressableAt`: the positions of the addressable nodes, in file order, when
 * the caller has them (the validation context does), so the other 90% of a big plan's
 * nodes are not walked again.
 */
export function resolveAddresses(index: TopologyIndex, addressableAt?: readonly number[]): Map<string, ResolvedAddress> {
  const profile = providerProfile(index.topology.provider);
  const nodes = index.topology.nodes;
  const out = new Map<string, ResolvedAddress>();
  // Subnet position -> positions of the nodes waiting for an address, in file order.
  const pending = new Map<number, number[]>();
  // Subnet position -> addresses taken by an explicit `ip`, as `addressKey`s: IPv4 a number,
  // IPv6 a BigInt, so an address of the other family (invalid there, which the validator
  // reports) never takes the address of the same number in the subnet.
  const taken = new Map<number, Set<AddressKey>>();
  // First listed in pairs: only a subnet that also has nodes waiting needs a set.
  const takenIn: number[] = [];
  const takenKeys: AddressKey[] = [];
  const count = addressableAt ? addressableAt.length : nodes.length;
  for (let k = 0; k < count; k++) {
    const i = addressableAt ? addressableAt[k]! : k;
    const node = nodes[i]!;
    if (!isAddressableKind(node.kind)) continue;
    const addressable = node as { id: string; ip?: string; port?: number; kind: typeof node.kind };
    const text = addressable.ip;
    if (text !== undefined) {
      const port = addressable.port ?? DEFAULT_PORTS[node.kind as keyof typeof DEFAULT_PORTS];
      // A strict IPv4 text is its own canonical form: no text to build.
      const v4 = parseIPv4Number(text);
      let key: AddressKey;
      if (v4 !== undefined) {
        out.set(node.id, { ip: text, version: 4, value: BigInt(v4), port, assigned: false });
        key = v4;
      } else {
        const v6 = parseIPv6BigInt(text);
        if (v6 === undefined) continue;
        out.set(node.id, { ip: formatIPv6BigInt(v6), version: 6, value: v6, port, assigned: false });
        key = addressKey(6, v6);
      }
      const subnet = index.ancestorPositionOfKind(i, 'subnet');
      if (subnet >= 0) {
        takenIn.push(subnet);
        takenKeys.push(key);
      }
      continue;
    }
    const subnet = index.ancestorPositionOfKind(i, 'subnet');
    if (subnet >= 0) {
      const list = pending.get(subnet);
      if (list) list.push(i);
      else pending.set(subnet, [i]);
    }
  }
  for (let k = 0; k < takenIn.length; k++) if (pending.has(takenIn[k]!)) setOf(taken, takenIn[k]!).add(takenKeys[k]!);
  // The node each entry describes is the node of its id (they differ only where ids repeat, which the schema refuses).
  const nodeAt = (at: number): TopologyNode => (index.uniqueIds ? nodes[at]! : index.node(nodes[at]!.id)!);
  for (const [subnetAt, waiting] of pending) {
    const cidr = (nodes[subnetAt] as SubnetNode).cidr;
    const v4 = typeof cidr === 'string' ? parseIPv4Cidr(cidr) : undefined;
    if (v4) assignIPv4(v4, taken.get(subnetAt), reservedIPv4Offsets(profile, v4.prefix), waiting, nodeAt, out);
    else {
      const parsed = safeParseCidr(cidr);
      if (parsed.ok) assignBigInt(parsed.block, setOf(taken, subnetAt), profile.reserved(parsed.block), waiting, nodeAt, out);
    }
  }
  return out;
}

/** The port of a node given an address: its own, else its kind's default. */
function portOf(node: TopologyNode): number {
  return (node as { port?: number }).port ?? DEFAULT_PORTS[node.kind as keyof typeof DEFAULT_PORTS] ?? 0;
}

/**
 * Gives each waiting node the next free usable address of an IPv4 block, in plain numbers.
 * A candidate is free unless a node's own `ip` took it (`taken`, absent for most subnets)
 * or the provider reserves it (a handful of offsets); addresses handed out here only ever
 * rise, so they need no set: the next candidate starts above the last one given.
 */
function assignIPv4(block: IPv4Range, taken: ReadonlySet<AddressKey> | undefined, reserved: readonly number[], waiting: readonly number[], nodeAt: (at: number) => TopologyNode, out: Map<string, ResolvedAddress>): void {
  let candidate = block.first;
  for (let w = 0; w < waiting.length; w++) {
    while (candidate <= block.last && (reserved.includes(candidate - block.first) || taken?.has(candidate) === true)) candidate++;
    if (candidate > block.last) break; // subnet full: the validator reports it
    const node = nodeAt(waiting[w]!);
    out.set(node.id, { ip: formatIPv4Number(candidate), version: 4, value: BigInt(candidate), port: portOf(node), assigned: true });
    candidate++;
  }
}

/** Gives each waiting node the next free usable address of a block in BigInt (IPv6). */
function assignBigInt(block: CidrBlock, used: Set<AddressKey>, reserved: readonly ReservedAddress[], waiting: readonly number[], nodeAt: (at: number) => TopologyNode, out: Map<string, ResolvedAddress>): void {
  const keyOf = (value: bigint): AddressKey => addressKey(block.version, value);
  for (const r of reserved) used.add(keyOf(r.value));
  let candidate = block.first;
  for (const at of waiting) {
    while (candidate <= block.last && used.has(keyOf(candidate))) candidate++;
    if (candidate > block.last) break; // subnet full: the validator reports it
    const node = nodeAt(at);
    out.set(node.id, { ip: formatIpValue(block.version, candidate), version: block.version, value: candidate, port: portOf(node), assigned: true });
    used.add(keyOf(candidate));
  }
}

/**
 * The next usable address of a block not in `used` (for new instances and dropped nodes).
 * `used` holds `addressKey`s, so an address of the other family never takes one of the block's.
 */
export function nextFreeAddress(block: CidrBlock, used: ReadonlySet<AddressKey>, provider: Parameters<typeof providerProfile>[0]): IpAddress | undefined {
  const reserved = new Set(providerProfile(provider).reserved(block).map((r) => r.value));
  for (let v = block.first; v <= block.last; v++) {
    if (!reserved.has(v) && !used.has(addressKey(block.version, v))) return { version: block.version, value: v };
  }
  return undefined;
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

/** An address set aside for one instance of an auto-scaling group. */
export interface InstanceAddress {
  subnetId: string;
  ip: string;
  version: 4 | 6;
  value: bigint;
}

/**
 * Addresses for the instances of every auto-scaling group: `max` per group (the most it
 * can ever run), at the next free usable addresses of its subnets (its own first, then
 * `subnets`), taken round robin so instances spread over zones; a full subnet passes its
 * turn. Groups later in the file skip what earlier ones took, so the lab, the exports and
 * the canvas agree on every instance's address. Fewer than `max` entries means the
 * subnets ran out.
 */
export function groupInstanceAddresses(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>): Map<string, InstanceAddress[]> {
  const used = new Set<AddressKey>([...addresses.values()].map((a) => addressKey(a.version, a.value)));
  const out = new Map<string, InstanceAddress[]>();
  for (const group of index.ofKind('autoscaling-group')) {
    const subnetIds = [index.subnetOf(group.id)?.id, ...(group.subnets ?? [])].filter((id): id is string => id !== undefined);
    const pools = subnetIds.flatMap((id) => {
      const subnet = index.nodeOfKind(id, 'subnet');
      const parsed = subnet ? safeParseCidr(subnet.cidr) : undefined;
      return parsed?.ok ? [{ id, block: parsed.block }] : [];
    });
    const list: InstanceAddress[] = [];
    for (let turn = 0; list.length < group.max && pools.length > 0; turn++) {
      let found = false;
      for (let tries = 0; tries < pools.length && !found; tries++) {
        const pool = pools[(turn + tries) % pools.length]!;
        const free = nextFreeAddress(pool.block, used, index.topology.provider);
        if (!free) continue;
        used.add(addressKey(free.version, free.value));
        list.push({ subnetId: pool.id, ip: formatIpValue(free.version, free.value), version: free.version, value: free.value });
        found = true;
      }
      if (!found) break;
    }
    out.set(group.id, list);
  }
  return out;
}

/**
 * The port every instance of a group listens on: its `template`'s, or without a template
 * the first server drawn inside the group (which describes its instances), else 80. The
 * one rule for the lab and the tracer, so a traced port is the port the lab listens on.
 */
export function groupInstancePort(index: TopologyIndex, group: AutoscalingGroupNode): number {
  const child = index.children(group.id).find((c) => c.kind === 'server');
  const source = group.template ?? (child?.kind === 'server' ? child : undefined);
  return source?.port ?? DEFAULT_PORTS.server;
}
