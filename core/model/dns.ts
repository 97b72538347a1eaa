/**
 * What the values of a `dns-zone`'s records mean, for the validator, the lab, `trace` and
 * the exporters alike: a value of an A/AAAA record names a node (its designed address is
 * answered) or is a literal address; a CNAME value is a domain name; a TXT value is text.
 */
import { safeParseIp } from '../cidr/address.js';
import { domainNameProblem, normalizeDomainName, recordFqdn } from './dns-names.js';
import { isAddressableKind } from './kinds.js';
import type { ResolvedAddress } from './addresses.js';
import type { TopologyIndex } from './queries.js';
import type { DnsRecord, DnsZoneNode } from './types.js';

/** One value of a record, as the design means it. */
export type DnsValueMeaning =
  | { kind: 'address'; address: string; nodeId?: string }
  | { kind: 'name'; name: string }
  | { kind: 'text'; text: string }
  | { kind: 'invalid'; reason: string; unknownNode?: boolean };

/**
 * The meaning of `value` in `record`. `addresses` are the designed addresses
 * (`resolveAddresses`): a node without one, or of a kind with no address, is invalid.
 */
export function dnsValueMeaning(index: TopologyIndex, addresses: ReadonlyMap<string, ResolvedAddress>, record: DnsRecord, value: string): DnsValueMeaning {
  switch (record.type) {
    case 'TXT':
      return { kind: 'text', text: value };
    case 'CNAME': {
      const problem = domainNameProblem(value);
      return problem === undefined ? { kind: 'name', name: normalizeDomainName(value) } : { kind: 'invalid', reason: `"${value}" is not a domain name: ${problem}` };
    }
    case 'A':
    case 'AAAA': {
      const version = record.type === 'A' ? 4 : 6;
      const node = index.node(value);
      if (node) {
        if (!isAddressableKind(node.kind)) return { kind: 'invalid', reason: `"${value}" is a ${node.kind}, which has no address` };
        const address = addresses.get(node.id);
        if (!address) return { kind: 'invalid', reason: `node "${value}" has no designed address` };
        if (address.version !== version) return { kind: 'invalid', reason: `node "${value}" has the IPv${address.version} address ${address.ip}; an ${record.type} record needs IPv${version}` };
        return { kind: 'address', address: address.ip, nodeId: node.id };
      }
      const ip = safeParseIp(value);
      if (!ip) return { kind: 'invalid', reason: `"${value}" is neither a node of this design nor an IP address`, unknownNode: true };
      if (ip.version !== version) return { kind: 'invalid', reason: `${value} is an IPv${ip.version} address; an ${record.type} record needs IPv${version}` };
      const nodeId = [...addresses].find(([, a]) => a.ip === value.toLowerCase() || a.value === ip.value)?.[0];
      return { kind: 'address', address: value, ...(nodeId !== undefined ? { nodeId } : {}) };
    }
  }
}

/** The full name of a record of a zone (`www` in `shop.example` -> `www.shop.example`). */
export function dnsRecordName(zone: DnsZoneNode, record: DnsRecord): string {
  return recordFqdn(record.name, zone.name);
}

/** The AWS region a node stands in: the `region` of its VPC. */
export function regionOf(index: TopologyIndex, nodeId: string): string | undefined {
  return index.vpcOf(nodeId)?.region;
}

/** The largest TTL a record may have: 2^31 - 1 seconds (RFC 2181 §8; Route 53 takes the same). */
export const MAX_DNS_TTL = 2_147_483_647;
