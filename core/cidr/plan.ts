import { bitsOf } from './address.js';
import { compareBlocks, formatCidr, makeBlock, overlaps, rangeToBlocks, safeParseCidr, type CidrBlock } from './block.js';
import { providerProfile, usableHosts, type ProviderProfile } from './providers.js';
import type { Provider } from './providers.js';

/** One requested subnet: a prefix length, or a number of hosts that must fit. */
export interface SubnetRequest {
  prefix?: number;
  hosts?: number;
  zone?: string;
}

/** What to plan: the VPC block, the subnets asked for, zones, existing subnets, provider rules. */
export interface PlanInput {
  vpcCidr: string;
  requests: SubnetRequest[];
  /** Zones to spread the requests over, in turn, when a request names none. */
  zones?: string[];
  /** Subnets already in the VPC: kept, never moved. */
  existing?: string[];
  provider?: Provider;
}

/** One planned subnet: its CIDR, zone and usable host count (a decimal string: IPv6 counts exceed 2^53). */
export interface PlannedSubnet {
  cidr: string;
  zone?: string;
  /** Index of the request this answers. */
  request: number;
  usableHosts: string;
}

/** Every subnet placed, or why the requests do not fit and which blocks are still free. */
export type PlanResult =
  | { ok: true; subnets: PlannedSubnet[] }
  | { ok: false; error: string; free: string[] };

/** Smallest prefix (largest prefix length) whose usable hosts reach `hosts`. */
export function prefixForHosts(profile: ProviderProfile, version: 4 | 6, hosts: number): number | undefined {
  const bits = bitsOf(version);
  for (let prefix = bits; prefix >= 0; prefix--) {
    if (usableHosts(profile, version, prefix) >= BigInt(hosts)) return prefix;
  }
  return undefined;
}

/** Free gaps of `outer` not covered by `used` (sorted, non-overlapping after merge). */
function freeRanges(outer: CidrBlock, used: readonly CidrBlock[]): [bigint, bigint][] {
  const sorted = used.filter((b) => overlaps(outer, b)).sort(compareBlocks);
  const out: [bigint, bigint][] = [];
  let cursor = outer.first;
  for (const block of sorted) {
    if (block.first > cursor) out.push([cursor, block.first - 1n]);
    if (block.last + 1n > cursor) cursor = block.last + 1n;
  }
  if (cursor <= outer.last) out.push([cursor, outer.last]);
  return out;
}

/** The lowest aligned free block of this prefix inside `outer`, avoiding `used`. */
export function nextFreeBlock(outer: CidrBlock, used: readonly CidrBlock[], prefix: number): CidrBlock | undefined {
  if (prefix < outer.prefix || prefix > bitsOf(outer.version)) return undefined;
  const size = 1n << BigInt(bitsOf(outer.version) - prefix);
  for (const [first, last] of freeRanges(outer, used)) {
    const aligned = (first + size - 1n) & ~(size - 1n);
    if (aligned + size - 1n <= last) return makeBlock(outer.version, aligned, prefix);
  }
  return undefined;
}

/** The free space left in `outer` as the fewest CIDR blocks. */
export function freeBlocks(outer: CidrBlock, used: readonly CidrBlock[]): CidrBlock[] {
  return freeRanges(outer, used).flatMap(([first, last]) => rangeToBlocks(outer.version, first, last));
}

/**
 * Allocates the requested subnets inside a VPC: largest first, each at the lowest
 * aligned free address, existing subnets kept. Deterministic: the same input always
 * gives the same plan. All or nothing: when one request does not fit, nothing is
 * allocated and the free space is reported.
 */
export function planSubnets(input: PlanInput): PlanResult {
  const profile = providerProfile(input.provider);
  const vpc = safeParseCidr(input.vpcCidr);
  if (!vpc.ok) return { ok: false, error: `VPC CIDR: ${vpc.problem.message}`, free: [] };
  const outer = vpc.block;
  const existing: CidrBlock[] = [];
  for (const text of input.existing ?? []) {
    const parsed = safeParseCidr(text);
    if (!parsed.ok) return { ok: false, error: `existing subnet: ${parsed.problem.message}`, free: [] };
    if (!overlaps(outer, parsed.block)) continue;
    existing.push(parsed.block);
  }
  const free = (): string[] => freeBlocks(outer, existing).map(formatCidr);
  const range = profile.subnetPrefix[outer.version];
  const prefixes: number[] = [];
  for (const [i, request] of input.requests.entries()) {
    let prefix = request.prefix;
    if (prefix === undefined && request.hosts !== undefined) {
      prefix = prefixForHosts(profile, outer.version, request.hosts);
      if (prefix === undefined) return { ok: false, error: `request ${i + 1}: ${request.hosts} hosts cannot fit in any IPv${outer.version} block`, free: free() };
    }
    if (prefix === undefined) return { ok: false, error: `request ${i + 1}: give a prefix length or a host count`, free: free() };
    if (!Number.isInteger(prefix) || prefix < outer.prefix || prefix > bitsOf(outer.version)) {
      return { ok: false, error: `request ${i + 1}: /${prefix} cannot be carved from ${formatCidr(outer)}`, free: free() };
    }
    if (prefix < range.largest || prefix > range.smallest) {
      return {
        ok: false,
        error: `request ${i + 1}: ${profile.label} subnets are /${range.largest} to /${range.smallest}, not /${prefix}`,
        free: free(),
      };
    }
    prefixes.push(prefix);
  }
  // Largest first (shortest prefix), ties in request order: alignment then packs tightly.
  const order = prefixes.map((prefix, index) => ({ prefix, index })).sort((a, b) => a.prefix - b.prefix || a.index - b.index);
  const used = existing.slice();
  const allocated = new Map<number, CidrBlock>();
  for (const { prefix, index } of order) {
    const block = nextFreeBlock(outer, used, prefix);
    if (!block) {
      const needed = prefixes.reduce((sum, p) => sum + (1n << BigInt(bitsOf(outer.version) - p)), 0n);
      return {
        ok: false,
        error: `does not fit: request ${index + 1} (/${prefix}) has no free aligned block left in ${formatCidr(outer)}; the ${prefixes.length} requests need ${needed} addresses`,
        free: free(),
      };
    }
    used.push(block);
    allocated.set(index, block);
  }
  const zones = input.zones ?? [];
  const subnets = prefixes.map((prefix, index): PlannedSubnet => {
    const block = allocated.get(index) as CidrBlock;
    const zone = input.requests[index]?.zone ?? (zones.length > 0 ? zones[index % zones.length] : undefined);
    return {
      cidr: formatCidr(block),
      request: index,
      usableHosts: usableHosts(profile, outer.version, prefix).toString(),
      ...(zone !== undefined ? { zone } : {}),
    };
  });
  return { ok: true, subnets };
}


