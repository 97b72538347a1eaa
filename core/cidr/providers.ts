import type { CidrBlock } from './block.js';

/** The clouds whose address rules Topolab knows, plus `generic` (no reservations). */
export const PROVIDER_IDS = ['aws', 'azure', 'gcp', 'generic'] as const;

/** One provider's id. The file format's `provider` field takes these. */
export type Provider = (typeof PROVIDER_IDS)[number];

/** Prefix length bounds, inclusive: `largest` is the shortest prefix allowed. */
export interface PrefixRange {
  largest: number;
  smallest: number;
}

/** One address a provider keeps for itself in every subnet. */
export interface ReservedAddress {
  value: bigint;
  reason: string;
}

/** A cloud's limits on traffic filters (`sg-quota`, `nacl-quota`). */
export interface FilterQuotas {
  /** Rules per security group, inbound and outbound each. */
  sgRulesPerDirection: number;
  /** Security groups per node (per network interface). */
  groupsPerNode: number;
  /** Rules per network ACL and direction above which the validator warns (AWS's default quota). */
  aclRulesWarn: number;
  /** Rules per network ACL and direction the cloud allows at most (AWS, after a quota increase). */
  aclRulesMax: number;
}

/** The rules of one cloud (or none): sizes and reserved addresses. */
export interface ProviderProfile {
  id: Provider;
  label: string;
  vpcWord: string;
  vpcPrefix: { 4: PrefixRange; 6: PrefixRange };
  subnetPrefix: { 4: PrefixRange; 6: PrefixRange };
  /** The sentence that explains the reserved addresses, quoted in diagnostics. */
  reservedRule: string;
  /** Addresses of a subnet the provider reserves (empty for a /31 or /32 on generic). */
  reserved(block: CidrBlock): ReservedAddress[];
  /**
   * Limits on security groups and network ACLs; `undefined` where the cloud's filters are
   * not AWS's (Azure NSGs, Google Cloud firewall rules) or it has none (generic).
   */
  filterQuotas: FilterQuotas | undefined;
}

function firstAndLast(block: CidrBlock, firstReasons: string[], lastReasons: string[]): ReservedAddress[] {
  const out: ReservedAddress[] = [];
  firstReasons.forEach((reason, i) => {
    const value = block.first + BigInt(i);
    if (value <= block.last) out.push({ value, reason });
  });
  lastReasons.forEach((reason, i) => {
    const value = block.last - BigInt(lastReasons.length - 1 - i);
    if (value >= block.first && !out.some((r) => r.value === value)) out.push({ value, reason });
  });
  return out;
}

const AWS: ProviderProfile = {
  id: 'aws',
  label: 'AWS',
  vpcWord: 'VPC',
  vpcPrefix: { 4: { largest: 16, smallest: 28 }, 6: { largest: 44, smallest: 60 } },
  subnetPrefix: { 4: { largest: 16, smallest: 28 }, 6: { largest: 44, smallest: 64 } },
  reservedRule: 'AWS reserves the first four addresses and the last address of every subnet',
  filterQuotas: { sgRulesPerDirection: 60, groupsPerNode: 5, aclRulesWarn: 20, aclRulesMax: 40 },
  reserved: (block) =>
    firstAndLast(
      block,
      ['network address', 'reserved by AWS for the VPC router', 'reserved by AWS for DNS', 'reserved by AWS for future use'],
      [block.version === 4 ? 'broadcast address (AWS reserves it)' : 'reserved by AWS (last address)'],
    ),
};

const AZURE: ProviderProfile = {
  id: 'azure',
  label: 'Azure',
  vpcWord: 'VNet',
  vpcPrefix: { 4: { largest: 8, smallest: 29 }, 6: { largest: 48, smallest: 64 } },
  subnetPrefix: { 4: { largest: 8, smallest: 29 }, 6: { largest: 64, smallest: 64 } },
  reservedRule: 'Azure reserves the first four addresses and the last address of every subnet',
  filterQuotas: undefined,
  reserved: (block) =>
    firstAndLast(
      block,
      ['network address', 'reserved by Azure for the default gateway', 'reserved by Azure for DNS', 'reserved by Azure for DNS'],
      [block.version === 4 ? 'broadcast address (Azure reserves it)' : 'reserved by Azure (last address)'],
    ),
};

const GCP: ProviderProfile = {
  id: 'gcp',
  label: 'Google Cloud',
  vpcWord: 'VPC',
  vpcPrefix: { 4: { largest: 8, smallest: 29 }, 6: { largest: 48, smallest: 64 } },
  subnetPrefix: { 4: { largest: 8, smallest: 29 }, 6: { largest: 64, smallest: 64 } },
  reservedRule:
    'Google Cloud reserves four addresses in every subnet: the network, the gateway (first usable), the second-to-last and the broadcast address',
  filterQuotas: undefined,
  reserved: (block) =>
    firstAndLast(
      block,
      ['network address', 'reserved by Google Cloud for the default gateway'],
      ['reserved by Google Cloud for future use', 'broadcast address (Google Cloud reserves it)'],
    ),
};

const GENERIC: ProviderProfile = {
  id: 'generic',
  label: 'generic IP',
  vpcWord: 'network',
  vpcPrefix: { 4: { largest: 0, smallest: 32 }, 6: { largest: 0, smallest: 128 } },
  subnetPrefix: { 4: { largest: 0, smallest: 32 }, 6: { largest: 0, smallest: 128 } },
  reservedRule: 'plain IP reserves the network and broadcast addresses of an IPv4 subnet (none for a /31 or /32)',
  filterQuotas: undefined,
  reserved: (block) => {
    if (block.version === 6) return block.prefix < 127 ? [{ value: block.first, reason: 'subnet-router anycast address' }] : [];
    if (block.prefix >= 31) return [];
    return [
      { value: block.first, reason: 'network address' },
      { value: block.last, reason: 'broadcast address' },
    ];
  },
};

export const PROVIDERS: Readonly<Record<Provider, ProviderProfile>> = { aws: AWS, azure: AZURE, gcp: GCP, generic: GENERIC };

/** The profile of a provider id (AWS when unset, as in the file format). */
export function providerProfile(id: Provider | undefined): ProviderProfile {
  return PROVIDERS[id ?? 'aws'];
}

const offsetCache = new Map<ProviderProfile, (readonly number[] | undefined)[]>();

/**
 * The addresses `profile.reserved` gives for any IPv4 block of this prefix, as offsets from
 * the block's first address, in the same order: every provider reserves by position in
 * the block (the first few, the last few), so the block at 0.0.0.0 answers for all of them
 * and a bulk caller adds the offsets to a plain-number first address instead of building
 * BigInt blocks. Cached per profile and prefix.
 */
export function reservedIPv4Offsets(profile: ProviderProfile, prefix: number): readonly number[] {
  let byPrefix = offsetCache.get(profile);
  if (!byPrefix) offsetCache.set(profile, (byPrefix = []));
  let offsets = byPrefix[prefix];
  if (!offsets) {
    const block: CidrBlock = { version: 4, prefix, first: 0n, last: (1n << BigInt(32 - prefix)) - 1n };
    byPrefix[prefix] = offsets = profile.reserved(block).map((r) => Number(r.value));
  }
  return offsets;
}

/** How many addresses of a block of this prefix the provider reserves. */
export function reservedCount(profile: ProviderProfile, version: 4 | 6, prefix: number): number {
  const bits = version === 4 ? 32 : 128;
  // Any block of this prefix has the same reserved count; take the one at 0.
  const block: CidrBlock = { version, prefix, first: 0n, last: (1n << BigInt(bits - prefix)) - 1n };
  return profile.reserved(block).length;
}

/** Usable host addresses in a block of this prefix under a provider's rules. */
export function usableHosts(profile: ProviderProfile, version: 4 | 6, prefix: number): bigint {
  const bits = version === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - prefix);
  const usable = size - BigInt(reservedCount(profile, version, prefix));
  return usable < 0n ? 0n : usable;
}
