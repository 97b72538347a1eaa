import IPCIDR from 'ip-cidr';
import type { Provider } from './providers.js';
import { formatIpValue } from './address.js';
import { blockSize, formatCidr, safeParseCidr, type CidrBlock, type CidrProblem } from './block.js';
import { providerProfile } from './providers.js';
import { classifyBlock, type RangeKind } from './ranges.js';

/** Everything a person wants to see about one CIDR. Sizes are decimal strings (IPv6 is large). */
export interface CidrInfo {
  cidr: string;
  version: 4 | 6;
  prefix: number;
  /** First and last address of the block. */
  first: string;
  last: string;
  /** IPv4 only. */
  netmask?: string;
  wildcard?: string;
  /** Historic class of the network address (IPv4): taught by the seeds, not used for routing. */
  class?: 'A' | 'B' | 'C' | 'D' | 'E';
  size: string;
  /** Addresses left after the provider's reservations. */
  usableHosts: string;
  firstUsable?: string;
  lastUsable?: string;
  reserved: { address: string; reason: string }[];
  range: RangeKind;
  rangeName: string;
  provider: Provider;
}

export type CidrInfoResult = { ok: true; info: CidrInfo } | { ok: false; problem: CidrProblem };

function ipv4Class(firstOctet: number): CidrInfo['class'] {
  if (firstOctet < 128) return 'A';
  if (firstOctet < 192) return 'B';
  if (firstOctet < 224) return 'C';
  if (firstOctet < 240) return 'D';
  return 'E';
}

/** Describes a parsed block under a provider's rules. */
export function describeBlock(block: CidrBlock, provider: Provider = 'aws'): CidrInfo {
  const profile = providerProfile(provider);
  const cidr = formatCidr(block);
  // ip-cidr gives the human-facing range; the integer math below is the engine's own.
  const range = new IPCIDR(cidr).toRange() as [string, string];
  const reserved = profile.reserved(block);
  const reservedSet = new Set(reserved.map((r) => r.value));
  let firstUsable: bigint | undefined;
  let lastUsable: bigint | undefined;
  for (let v = block.first; v <= block.last && v < block.first + 8n; v++) {
    if (!reservedSet.has(v)) {
      firstUsable = v;
      break;
    }
  }
  for (let v = block.last; v >= block.first && v > block.last - 8n; v--) {
    if (!reservedSet.has(v)) {
      lastUsable = v;
      break;
    }
  }
  const size = blockSize(block);
  const usable = size - BigInt(reserved.length);
  const { kind, name } = classifyBlock(block);
  const info: CidrInfo = {
    cidr,
    version: block.version,
    prefix: block.prefix,
    first: block.version === 4 ? range[0] : formatIpValue(6, block.first),
    last: block.version === 4 ? range[1] : formatIpValue(6, block.last),
    size: size.toString(),
    usableHosts: (usable < 0n ? 0n : usable).toString(),
    reserved: reserved.map((r) => ({ address: formatIpValue(block.version, r.value), reason: r.reason })),
    range: kind,
    rangeName: name,
    provider: profile.id,
  };
  if (firstUsable !== undefined) info.firstUsable = formatIpValue(block.version, firstUsable);
  if (lastUsable !== undefined) info.lastUsable = formatIpValue(block.version, lastUsable);
  if (block.version === 4) {
    const mask = Number((0xffffffffn << BigInt(32 - block.prefix)) & 0xffffffffn);
    info.netmask = formatIpValue(4, BigInt(mask));
    info.wildcard = formatIpValue(4, BigInt(~mask >>> 0));
    info.class = ipv4Class(Number(block.first >> 24n));
  }
  return info;
}

/** Parses and describes a CIDR; a bad one gives the same problem the validator reports. */
export function cidrInfo(text: string, provider: Provider = 'aws'): CidrInfoResult {
  const parsed = safeParseCidr(text);
  if (!parsed.ok) return parsed;
  return { ok: true, info: describeBlock(parsed.block, provider) };
}
