import { safeParseIp, formatIpValue, type IpAddress } from '../cidr/address.js';
import { safeParseCidr, type CidrBlock } from '../cidr/block.js';
import { providerProfile } from '../cidr/providers.js';
import { DEFAULT_PORTS, isAddressableKind } from './kinds.js';
import type { TopologyIndex } from './queries.js';
import type { AutoscalingGroupNode } from './types.js';

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
 */
export function resolveAddresses(index: TopologyIndex): Map<string, ResolvedAddress> {
  const profile = providerProfile(index.topology.provider);
  const out = new Map<string, ResolvedAddress>();
  const pending = new Map<string, string[]>(); // subnet id -> node ids waiting for an address
  const taken = new Map<string, Set<bigint>>();
  for (const node of index.topology.nodes) {
    if (!isAddressableKind(node.kind)) continue;
    const addressable = node as { id: string; ip?: string; port?: number; kind: typeof node.kind };
    const port = addressable.port ?? DEFAULT_PORTS[node.kind as keyof typeof DEFAULT_PORTS];
    if (addressable.ip !== undefined) {
      const ip = safeParseIp(addressable.ip);
      if (ip) {
        out.set(node.id, { ip: formatIpValue(ip.version, ip.value), version: ip.version, value: ip.value, port, assigned: false });
        const subnet = index.subnetOf(node.id);
        if (subnet) setOf(taken, subnet.id).add(ip.value);
      }
      continue;
    }
    const subnet = index.subnetOf(node.id);
    if (subnet) {
      const list = pending.get(subnet.id);
      if (list) list.push(node.id);
      else pending.set(subnet.id, [node.id]);
    }
  }
  for (const [subnetId, nodeIds] of pending) {
    const subnet = index.nodeOfKind(subnetId, 'subnet');
    const parsed = subnet ? safeParseCidr(subnet.cidr) : undefined;
    if (!parsed?.ok) continue;
    const block = parsed.block;
    const used = setOf(taken, subnetId);
    for (const reserved of profile.reserved(block)) used.add(reserved.value);
    let candidate = block.first;
    for (const id of nodeIds) {
      while (candidate <= block.last && used.has(candidate)) candidate++;
      if (candidate > block.last) break; // subnet full: the validator reports it
      const node = index.node(id) as { port?: number; kind: string } | undefined;
      const port = node?.port ?? DEFAULT_PORTS[node?.kind as keyof typeof DEFAULT_PORTS] ?? 0;
      out.set(id, { ip: formatIpValue(block.version, candidate), version: block.version, value: candidate, port, assigned: true });
      used.add(candidate);
    }
  }
  return out;
}

/** The next usable address of a block not in `used` (for new instances and dropped nodes). */
export function nextFreeAddress(block: CidrBlock, used: ReadonlySet<bigint>, provider: Parameters<typeof providerProfile>[0]): IpAddress | undefined {
  const reserved = new Set(providerProfile(provider).reserved(block).map((r) => r.value));
  for (let v = block.first; v <= block.last; v++) {
    if (!reserved.has(v) && !used.has(v)) return { version: block.version, value: v };
  }
  return undefined;
}

function setOf(map: Map<string, Set<bigint>>, key: string): Set<bigint> {
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
  const used = new Set<bigint>([...addresses.values()].map((a) => a.value));
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
        used.add(free.value);
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
