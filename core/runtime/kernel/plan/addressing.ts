import { addressKey, formatIpValue, type AddressKey, type IpAddress } from '../../../cidr/address.js';
import { containsAddress, parseCidr, type CidrBlock } from '../../../cidr/block.js';
import { providerProfile } from '../../../cidr/providers.js';
import type { Provider } from '../../../model/types.js';

/**
 * Addresses the kernel lab adds to a design: the router address of each subnet, the
 * link addresses between routers and the internet, and public addresses. All pure.
 */

/** Link addresses live in IPv4 link-local space, which a design never routes. */
export const LINK_BLOCK = parseCidr('169.254.0.0/16');
/** Public IPv4 addresses the lab hands out (RFC 2544 benchmarking space, never on the real internet). */
export const PUBLIC_V4_BLOCK = parseCidr('198.18.0.0/15');
/** IPv6 addresses for internet clients without one (RFC 5180 benchmarking space). */
export const PUBLIC_V6_BLOCK = parseCidr('2001:2::/48');

/** Link-local IPv6 addresses of the two ends of every point-to-point link. */
export const LINK_V6 = { a: 'fe80::1', b: 'fe80::2' } as const;

/** The IPv4 addresses of the two ends of point-to-point link number `index` (a /30 each). */
export function linkAddresses(index: number): { a: string; b: string; prefix: number } {
  const base = LINK_BLOCK.first + BigInt(index) * 4n;
  if (index < 1 || base + 3n > LINK_BLOCK.last) throw new RangeError(`link ${index} is outside ${'169.254.0.0/16'}`);
  return { a: formatIpValue(4, base + 1n), b: formatIpValue(4, base + 2n), prefix: 30 };
}

/**
 * The router's address in a subnet: the base address + 1, which AWS, Azure and Google
 * Cloud keep for their router; on `generic` the same unless a node took it, then the
 * first usable address nobody uses. `undefined` when the subnet has no room. `used` holds
 * `addressKey`s: an address of the other family never takes the router's.
 */
export function routerAddress(block: CidrBlock, provider: Provider, used: ReadonlySet<AddressKey>): IpAddress | undefined {
  const taken = (value: bigint): boolean => used.has(addressKey(block.version, value));
  const preferred = block.first + 1n;
  if (preferred <= block.last && !taken(preferred)) return { version: block.version, value: preferred };
  if (provider !== 'generic') return undefined;
  const reserved = new Set(providerProfile(provider).reserved(block).map((r) => r.value));
  const end = block.last - block.first > 65_536n ? block.first + 65_536n : block.last;
  for (let v = block.first; v <= end; v++) if (!reserved.has(v) && !taken(v)) return { version: block.version, value: v };
  return undefined;
}

/**
 * Hands out addresses of one block in order, skipping the block's first address and every
 * address inside `avoid` (the design's own CIDRs and addresses), so a lab address never
 * collides with a designed one.
 */
export class AddressPool {
  private next: bigint;

  constructor(
    private readonly block: CidrBlock,
    private readonly avoid: readonly CidrBlock[],
  ) {
    this.next = block.first + 1n;
  }

  /** The next free address; throws when the block is used up. */
  take(): string {
    while (this.next <= this.block.last) {
      const value = this.next++;
      // No x.x.x.0 or x.x.x.255: valid inside a /15, but they read as network and broadcast addresses.
      if (this.block.version === 4 && (value % 256n === 0n || value % 256n === 255n)) continue;
      const ip: IpAddress = { version: this.block.version, value };
      if (!this.avoid.some((b) => containsAddress(b, ip))) return formatIpValue(this.block.version, value);
    }
    throw new RangeError('the lab ran out of public addresses');
  }
}

/** `10.0.1.10/24` from an address and its subnet's prefix. */
export function withPrefix(ip: string, prefix: number): string {
  return `${ip}/${prefix}`;
}

/** The host route of one address: `/32` or `/128`. */
export function hostCidr(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

/** The family of an address in text form. */
export function familyOf(ip: string): 4 | 6 {
  return ip.includes(':') ? 6 : 4;
}
