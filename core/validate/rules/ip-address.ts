import { formatIpValue, safeParseIp } from '../../cidr/address.js';
import type { ReservedAddress } from '../../cidr/providers.js';
import { KIND_LABELS } from '../../model/kinds.js';
import { nextFreeAddress } from '../../model/addresses.js';
import type { TopologyNode } from '../../model/types.js';
import { blockOfSpan, spanContainsValue } from '../span.js';
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
    const owners = new Map<string, string>(); // "vpc|version|value" -> first node id
    const usedBySubnet = new Map<string, Set<bigint>>();
    const reservedBySubnet = new Map<string, ReservedAddress[]>();
    const hits: ReservedHit[] = [];
    for (const node of context.addressable) {
      const text = (node as { ip?: string }).ip;
      const subnet = index.subnetOf(node.id);
      if (text !== undefined && !safeParseIp(text)) {
        report({
          code: 'ip-invalid',
          severity: 'error',
          message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} ip "${text}" is not an IPv4 or IPv6 address (dotted quad without leading zeros, or IPv6 text)`,
          nodeIds: [node.id],
          path: index.pathOf(node.id, 'ip'),
        });
        continue;
      }
      const address = addresses.get(node.id);
      if (!address) continue;
      if (subnet) {
        let used = usedBySubnet.get(subnet.id);
        if (!used) usedBySubnet.set(subnet.id, (used = new Set()));
        used.add(address.value);
      }
      const vpcId = subnet?.parent ?? '';
      const key = `${vpcId}|${address.version}|${address.value}`;
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, node.id);
      else {
        report({
          code: 'ip-duplicate',
          severity: 'error',
          message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} has the address ${address.ip}, already used by ${nameOf(context, owner)}${vpcId ? ` in VPC ${nameOf(context, vpcId)}` : ' on the internet'}; every address must be unique`,
          nodeIds: [node.id, owner],
          path: index.pathOf(node.id, 'ip'),
        });
      }
      if (address.assigned || !subnet) continue;
      const span = context.subnetById.get(subnet.id)?.span;
      if (!span) continue;
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
      let reserved = reservedBySubnet.get(subnet.id);
      if (!reserved) reservedBySubnet.set(subnet.id, (reserved = profile.reserved(blockOfSpan(span))));
      const hit = reserved.find((r) => r.value === address.value);
      if (hit) hits.push({ node, subnetId: subnet.id, ip: address.ip, reason: hit.reason });
    }
    // Fixes need every address of the subnet, known only after the pass.
    for (const hit of hits) {
      const subnet = index.nodeOfKind(hit.subnetId, 'subnet')!;
      const span = context.subnetById.get(hit.subnetId)!.span!;
      const free = nextFreeAddress(blockOfSpan(span), usedBySubnet.get(hit.subnetId) ?? new Set(), profile.id);
      const freeText = free ? formatIpValue(free.version, free.value) : undefined;
      report({
        code: 'ip-reserved',
        severity: 'error',
        message:
          `${KIND_LABELS[hit.node.kind]} ${nameOf(context, hit.node.id)} has the address ${hit.ip}, the ${hit.reason} of subnet ${nameOf(context, subnet.id)} ${subnet.cidr}: ` +
          `${profile.reservedRule}${freeText ? `; the next free usable address is ${freeText}` : '; the subnet has no free usable address left'}`,
        nodeIds: [hit.node.id, subnet.id],
        path: index.pathOf(hit.node.id, 'ip'),
        ...(freeText ? { fix: { title: `Use ${freeText}`, nodeId: hit.node.id, field: 'ip', value: freeText } } : {}),
      });
    }
  },
};
