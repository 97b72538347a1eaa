import { addressKey, formatIpValue, type AddressKey } from '../../cidr/address.js';
import type { ProviderProfile, ReservedAddress } from '../../cidr/providers.js';
import { subnetFacts, subnetFactsAt } from '../context.js';
import { KIND_LABELS } from '../../model/kinds.js';
import { nextFreeAddress } from '../../model/addresses.js';
import type { TopologyNode } from '../../model/types.js';
import { blockOfSpan, spanContainsValue, type Span } from '../span.js';
import { nameOf, type ValidationRule } from './rule.js';

interface ReservedHit {
  node: TopologyNode;
  subnetId: string;
  ip: string;
  reason: string;
}

/**
 * The designed address of every addressable node:
 * ip-invalid (not an address), ip-outside-subnet (not in the node's subnet),
 * ip-reserved (network, provider-reserved or broadcast address; the fix is the next
 * free usable address), ip-duplicate (two nodes of one VPC, or two internet clients,
 * with the same address). One pass; hash maps, no pairwise comparison.
 */
export const ipAddressRule: ValidationRule = {
  name: 'ip-address',
  codes: ['ip-invalid', 'ip-outside-subnet', 'ip-reserved', 'ip-duplicate'],
  check(context, report) {
    const { index, profile, addresses } = context;
    // VPC id ('' for the internet) -> address -> first node id. IPv4 keys are numbers, IPv6
    // keys BigInts, so the two families never collide and no key string is built per node.
    const owners = new Map<string, Map<number | bigint, string>>();
    let lastVpcId: string | undefined;
    let vpcOwners = new Map<number | bigint, string>();
    const reservedBySubnet = new Map<string, ReservedAddress[]>();
    const windows = reservedWindows(profile);
    const hits: ReservedHit[] = [];
    const { addressable, addressableAt } = context;
    for (let k = 0; k < addressable.length; k++) {
      const node = addressable[k]!;
      const address = addresses.get(node.id);
      if (!address) {
        // resolveAddresses gives every node whose `ip` parses an entry.
        const text = (node as { ip?: string }).ip;
        if (text === undefined) continue;
        report({
          code: 'ip-invalid',
          severity: 'error',
          message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} ip "${text}" is not an IPv4 or IPv6 address (dotted quad without leading zeros, or IPv6 text)`,
          nodeIds: [node.id],
          path: index.pathOf(node.id, 'ip'),
        });
        continue;
      }
      const facts = subnetFactsAt(context, addressableAt[k]!);
      const subnet = facts?.node;
      const vpcId = subnet?.parent ?? '';
      if (vpcId !== lastVpcId) {
        lastVpcId = vpcId;
        const existing = owners.get(vpcId);
        if (existing) vpcOwners = existing;
        else owners.set(vpcId, (vpcOwners = new Map()));
      }
      const key = address.version === 4 ? Number(address.value) : address.value;
      const owner = vpcOwners.get(key);
      if (owner === undefined) vpcOwners.set(key, node.id);
      else {
        report({
          code: 'ip-duplicate',
          severity: 'error',
          message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} has the address ${address.ip}, already used by ${nameOf(context, owner)}${vpcId ? ` in VPC ${nameOf(context, vpcId)}` : ' on the internet'}; every address must be unique`,
          nodeIds: [node.id, owner],
          path: index.pathOf(node.id, 'ip'),
        });
      }
      const span = facts?.span;
      if (address.assigned || !subnet || !span) continue;
      if (!spanContainsValue(span, address.version, address.value)) {
        report({
          code: 'ip-outside-subnet',
          severity: 'error',
          message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} has the address ${address.ip}, which is outside its subnet ${nameOf(context, subnet.id)} ${subnet.cidr}`,
          nodeIds: [node.id, subnet.id],
          path: index.pathOf(node.id, 'ip'),
        });
        continue;
      }
      // Providers reserve a few addresses at each end: skip the list for the addresses in between.
      if (!nearEnds(span, address.value, windows)) continue;
      let reserved = reservedBySubnet.get(subnet.id);
      if (!reserved) reservedBySubnet.set(subnet.id, (reserved = profile.reserved(blockOfSpan(span))));
      const hit = reserved.find((r) => r.value === address.value);
      if (hit) hits.push({ node, subnetId: subnet.id, ip: address.ip, reason: hit.reason });
    }
    if (hits.length === 0) return;
    // Fixes need every address taken in the subnet: a second pass, only when something was hit.
    const hitSubnets = new Set(hits.map((h) => h.subnetId));
    const usedBySubnet = new Map<string, Set<AddressKey>>();
    for (let k = 0; k < addressable.length; k++) {
      const node = addressable[k]!;
      const subnetId = subnetFactsAt(context, addressableAt[k]!)?.node.id;
      const address = addresses.get(node.id);
      if (subnetId === undefined || !address || !hitSubnets.has(subnetId)) continue;
      let used = usedBySubnet.get(subnetId);
      if (!used) usedBySubnet.set(subnetId, (used = new Set()));
      used.add(addressKey(address.version, address.value));
    }
    for (const hit of hits) {
      const facts = subnetFacts(context, hit.subnetId)!;
      const subnet = facts.node;
      const free = nextFreeAddress(blockOfSpan(facts.span!), usedBySubnet.get(hit.subnetId) ?? new Set(), profile.id);
      const freeText = free ? formatIpValue(free.version, free.value) : undefined;
      report({
        code: 'ip-reserved',
        severity: 'error',
        message:
          `${KIND_LABELS[hit.node.kind]} ${nameOf(context, hit.node.id)} has the address ${hit.ip} in subnet ${nameOf(context, subnet.id)} ${subnet.cidr}, which is ${/^reserved/.test(hit.reason) ? '' : 'the '}${hit.reason}: ` +
          `${profile.reservedRule}${freeText ? `; the next free usable address is ${freeText}` : '; the subnet has no free usable address left'}`,
        nodeIds: [hit.node.id, subnet.id],
        path: index.pathOf(hit.node.id, 'ip'),
        ...(freeText ? { fix: { title: `Use ${freeText}`, nodeId: hit.node.id, field: 'ip', value: freeText } } : {}),
      });
    }
  },
};

interface Window {
  /** Reserved addresses lie less than `lead` above the first address ... */
  lead: number;
  /** ... or less than `trail` below the last one. */
  trail: number;
}

type Windows = { 4: Window; 6: Window };

/** Whether an address (inside the span) is close enough to either end to be reserved. */
function nearEnds(span: Span, value: bigint, windows: Windows): boolean {
  const window = windows[span.version];
  if (span.version === 4) {
    // Numbers for IPv4: this runs for every addressed node of a big plan.
    const v = Number(value);
    return v - (span.first as number) < window.lead || (span.last as number) - v < window.trail;
  }
  return value - (span.first as bigint) < BigInt(window.lead) || (span.last as bigint) - value < BigInt(window.trail);
}

const windowCache = new Map<ProviderProfile, Windows>();

/** How far from each end of a subnet a provider's reserved addresses reach (measured once per profile). */
function reservedWindows(profile: ProviderProfile): Windows {
  let cached = windowCache.get(profile);
  if (!cached) {
    const measure = (version: 4 | 6, bits: number): Window => {
      // A /16-sized block: every provider's reserved addresses sit within a few of either end.
      const block = { version, prefix: bits - 16, first: 0n, last: 0xffffn };
      let lead = 0;
      let trail = 0;
      for (const r of profile.reserved(block)) {
        const fromFirst = Number(r.value);
        const fromLast = Number(block.last - r.value);
        if (fromFirst < 0x8000) lead = Math.max(lead, fromFirst + 1);
        else trail = Math.max(trail, fromLast + 1);
      }
      return { lead, trail };
    };
    cached = { 4: measure(4, 32), 6: measure(6, 128) };
    windowCache.set(profile, cached);
  }
  return cached;
}
