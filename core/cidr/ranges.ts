import { contains, makeBlock, overlaps, type CidrBlock } from './block.js';
import { parseIPv4Number, parseIPv6BigInt } from './address.js';

/** What kind of address space a block belongs to. */
export type RangeKind =
  | 'private'
  | 'public'
  | 'shared'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'documentation'
  | 'reserved'
  | 'unique-local'
  | 'mixed';

/** A well-known special-purpose range (IANA registry subset). */
export interface SpecialRange {
  block: CidrBlock;
  cidr: string;
  kind: RangeKind;
  name: string;
}

function v4(cidr: string, kind: RangeKind, name: string): SpecialRange {
  const [addr, prefix] = cidr.split('/') as [string, string];
  return { block: makeBlock(4, BigInt(parseIPv4Number(addr) ?? 0), Number(prefix)), cidr, kind, name };
}

function v6(cidr: string, kind: RangeKind, name: string): SpecialRange {
  const [addr, prefix] = cidr.split('/') as [string, string];
  return { block: makeBlock(6, parseIPv6BigInt(addr) ?? 0n, Number(prefix)), cidr, kind, name };
}

/** Special ranges, most specific first within overlapping entries. */
export const SPECIAL_RANGES: readonly SpecialRange[] = [
  v4('0.0.0.0/8', 'reserved', '"this network" (RFC 1122)'),
  v4('10.0.0.0/8', 'private', 'private (RFC 1918)'),
  v4('100.64.0.0/10', 'shared', 'shared address space for carrier-grade NAT (RFC 6598)'),
  v4('127.0.0.0/8', 'loopback', 'loopback (RFC 1122)'),
  v4('169.254.169.254/32', 'link-local', 'cloud instance metadata service (link-local)'),
  v4('169.254.0.0/16', 'link-local', 'link-local (RFC 3927)'),
  v4('172.16.0.0/12', 'private', 'private (RFC 1918)'),
  v4('192.0.0.0/24', 'reserved', 'IETF protocol assignments (RFC 6890)'),
  v4('192.0.2.0/24', 'documentation', 'documentation TEST-NET-1 (RFC 5737)'),
  v4('192.168.0.0/16', 'private', 'private (RFC 1918)'),
  v4('198.18.0.0/15', 'reserved', 'benchmarking (RFC 2544)'),
  v4('198.51.100.0/24', 'documentation', 'documentation TEST-NET-2 (RFC 5737)'),
  v4('203.0.113.0/24', 'documentation', 'documentation TEST-NET-3 (RFC 5737)'),
  v4('224.0.0.0/4', 'multicast', 'multicast (RFC 5771)'),
  v4('255.255.255.255/32', 'reserved', 'limited broadcast'),
  v4('240.0.0.0/4', 'reserved', 'reserved for future use (RFC 1112)'),
  v6('::/128', 'reserved', 'unspecified address'),
  v6('::1/128', 'loopback', 'loopback'),
  v6('::ffff:0:0/96', 'reserved', 'IPv4-mapped addresses'),
  v6('64:ff9b::/96', 'reserved', 'IPv4/IPv6 translation (RFC 6052)'),
  v6('2001:db8::/32', 'documentation', 'documentation (RFC 3849)'),
  v6('fc00::/7', 'unique-local', 'unique local addresses, ULA (RFC 4193)'),
  v6('fe80::/10', 'link-local', 'link-local'),
  v6('ff00::/8', 'multicast', 'multicast'),
];

/** The special range a block lies in, `public` when none, `mixed` when it spans several kinds. */
export function classifyBlock(block: CidrBlock): { kind: RangeKind; name: string } {
  for (const range of SPECIAL_RANGES) {
    if (contains(range.block, block)) return { kind: range.kind, name: range.name };
  }
  if (SPECIAL_RANGES.some((range) => overlaps(range.block, block))) {
    return { kind: 'mixed', name: 'spans public and special-purpose ranges' };
  }
  if (block.version === 6) {
    const globalUnicast = makeBlock(6, 0x2n << 124n, 3);
    if (!contains(globalUnicast, block)) return { kind: 'reserved', name: 'outside global unicast 2000::/3' };
  }
  return { kind: 'public', name: 'public (globally routable)' };
}
