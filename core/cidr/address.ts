import { Address6 } from 'ip-address';

/** An IP address as an integer: IPv4 in 32 bits, IPv6 in 128 bits. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;
const MAX_V4 = 0xffffffff;

/** Bits in an address of this version. */
export function bitsOf(version: 4 | 6): number {
  return version === 4 ? IPV4_BITS : IPV6_BITS;
}

/**
 * Strict dotted-quad parse to a 32-bit unsigned number: exactly four decimal octets,
 * 0-255, no leading zeros (`010` is ambiguous: octal in some tools), no spaces.
 * Returns `undefined` for anything else. `length` reads only the start of `text` (the
 * address of a CIDR, without slicing it off on the bulk path).
 */
export function parseIPv4Number(text: string, length: number = text.length): number | undefined {
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      if (dots > 3) return undefined;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

/** Formats a 32-bit number as a dotted quad. */
export function formatIPv4Number(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

const V6_CHARS = /^[0-9A-Fa-f:.]+$/;

/** Strict IPv6 parse (RFC 4291 text forms, embedded IPv4 allowed, no zone id, no prefix). */
export function parseIPv6BigInt(text: string): bigint | undefined {
  if (text.length < 2 || text.length > 45 || !V6_CHARS.test(text) || !text.includes(':')) return undefined;
  if (!Address6.isValid(text)) return undefined;
  // Embedded IPv4 must be strict too (no leading zeros).
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.') && parseIPv4Number(tail) === undefined) return undefined;
  try {
    return new Address6(text).bigInt();
  } catch {
    return undefined;
  }
}

/** Canonical IPv6 text (RFC 5952: lower case, longest zero run compressed). */
export function formatIPv6BigInt(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/**
 * The key of an address in a set or map that holds addresses of both families: IPv4 as a
 * number, IPv6 as a BigInt. An IPv4 and an IPv6 address can be the same integer (`0.0.0.4`
 * and `::4` are both 4; `10.0.1.4` and `::a00:104` both 167772420), yet they are two
 * addresses: their keys differ (a Set or Map tells `4` from `4n`), so neither ever stands
 * for the other. Each address has exactly one key.
 */
export type AddressKey = number | bigint;

/** The `AddressKey` of an address of this family and value. */
export function addressKey(version: 4 | 6, value: bigint): AddressKey {
  return version === 4 ? Number(value) : value;
}

/** Parses an IPv4 or IPv6 address strictly; `undefined` when it is neither. */
export function safeParseIp(text: string): IpAddress | undefined {
  const v4 = parseIPv4Number(text);
  if (v4 !== undefined) return { version: 4, value: BigInt(v4) };
  const v6 = parseIPv6BigInt(text);
  if (v6 !== undefined) return { version: 6, value: v6 };
  return undefined;
}

/** Parses an IPv4 or IPv6 address, throwing a readable error otherwise. */
export function parseIp(text: string): IpAddress {
  const ip = safeParseIp(text);
  if (!ip) throw new Error(`"${text}" is not an IPv4 or IPv6 address`);
  return ip;
}

/** Formats an address in its canonical text form. */
export function formatIp(ip: IpAddress): string {
  return ip.version === 4 ? formatIPv4Number(Number(ip.value)) : formatIPv6BigInt(ip.value);
}

/** Formats an integer address of the given version. */
export function formatIpValue(version: 4 | 6, value: bigint): string {
  return formatIp({ version, value });
}

export { MAX_V4 };
