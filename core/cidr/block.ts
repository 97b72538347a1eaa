import { bitsOf, formatIpValue, parseIPv4Number, parseIPv6BigInt, type IpAddress } from './address.js';

/** A CIDR block as integers: `first` is the network address, `last` the highest address. */
export interface CidrBlock {
  readonly version: 4 | 6;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

/** Why a CIDR text was refused, with the stable diagnostic code and, when obvious, the fix. */
export interface CidrProblem {
  code: 'cidr-invalid' | 'cidr-host-bits';
  message: string;
  /** The corrected CIDR, when the intent is clear (host bits set). */
  fix?: string;
}

export type CidrParseResult = { ok: true; block: CidrBlock } | { ok: false; problem: CidrProblem };

/** Thrown by `parseCidr`. */
export class CidrError extends Error {
  constructor(readonly problem: CidrProblem) {
    super(problem.message);
    this.name = 'CidrError';
  }
}

/** The mask of the host part for a prefix: `(1 << hostBits) - 1`. */
export function hostMask(version: 4 | 6, prefix: number): bigint {
  return (1n << BigInt(bitsOf(version) - prefix)) - 1n;
}

/** Builds a block from a network address and prefix (host bits are cleared). */
export function makeBlock(version: 4 | 6, address: bigint, prefix: number): CidrBlock {
  const mask = hostMask(version, prefix);
  const first = address & ~mask;
  return { version, prefix, first, last: first | mask };
}

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/**
 * An IPv4 block in plain numbers: every bound is below 2^32, so exact in a double, and an
 * order of magnitude cheaper to build, compare and count than BigInt (the bulk paths over
 * 100,000 subnets use it; IPv6 stays in BigInt).
 */
export interface IPv4Range {
  readonly version: 4;
  readonly prefix: number;
  readonly first: number;
  readonly last: number;
}

/**
 * The block of a canonical IPv4 CIDR (`10.0.1.0/24`), scanned without slicing or BigInt;
 * `undefined` for anything else. Accepts exactly the IPv4 texts `safeParseCidr` accepts,
 * with the same bounds (test/unit/cidr/ipv4-numbers.test.ts checks both against each
 * other), so a caller falls back to `safeParseCidr` for IPv6 and for the explanation.
 */
export function parseIPv4Cidr(text: string): IPv4Range | undefined {
  const length = text.length;
  const i = text.indexOf('/');
  if (i < 0 || i >= length - 1) return undefined;
  const value = parseIPv4Number(text, i);
  if (value === undefined) return undefined;
  let prefix = 0;
  for (let j = i + 1; j < length; j++) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57 || (j > i + 1 && prefix === 0)) return undefined;
    prefix = prefix * 10 + (c - 48);
    if (prefix > 32) return undefined;
  }
  const size = 2 ** (32 - prefix);
  if (value % size !== 0) return undefined;
  return { version: 4, prefix, first: value, last: value + size - 1 };
}

/**
 * Strict CIDR parse. `10.0.1.5/24` is refused with `cidr-host-bits` and the fix
 * `10.0.1.0/24`; a missing prefix, leading zeros, out-of-range octets or prefix are
 * `cidr-invalid`. Never throws.
 */
export function safeParseCidr(text: string): CidrParseResult {
  if (typeof text !== 'string') return invalid(String(text), 'not text');
  const slash = text.indexOf('/');
  if (slash < 0) {
    const v4 = parseIPv4Number(text);
    const suggestion = v4 !== undefined ? `${text}/32` : parseIPv6BigInt(text) !== undefined ? `${text}/128` : undefined;
    return {
      ok: false,
      problem: {
        code: 'cidr-invalid',
        message: `"${text}" has no prefix length; a CIDR block looks like 10.0.0.0/16${suggestion ? ` (a single address is ${suggestion})` : ''}`,
        ...(suggestion ? { fix: suggestion } : {}),
      },
    };
  }
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  let version: 4 | 6;
  let address: bigint;
  const v4 = parseIPv4Number(addressText);
  if (v4 !== undefined) {
    version = 4;
    address = BigInt(v4);
  } else {
    const v6 = parseIPv6BigInt(addressText);
    if (v6 === undefined) return invalid(text, explainBadAddress(addressText));
    version = 6;
    address = v6;
  }
  if (!PREFIX.test(prefixText)) return invalid(text, `the prefix length "${prefixText}" is not a number`);
  const prefix = Number(prefixText);
  const bits = bitsOf(version);
  if (prefix > bits) return invalid(text, `the prefix length /${prefix} is larger than /${bits}, the size of an IPv${version} address`);
  const block = makeBlock(version, address, prefix);
  if (block.first !== address) {
    const fix = formatCidr(block);
    return {
      ok: false,
      problem: {
        code: 'cidr-host-bits',
        message: `"${text}" has host bits set: a /${prefix} block starts at ${formatIpValue(version, block.first)}, so the CIDR is ${fix}`,
        fix,
      },
    };
  }
  return { ok: true, block };
}

function explainBadAddress(text: string): string {
  if (/^\d+(\.\d+){3}$/.test(text)) {
    if (text.split('.').some((o) => o.length > 1 && o.startsWith('0'))) {
      return `"${text}" has an octet with a leading zero (ambiguous: some tools read it as octal)`;
    }
    return `"${text}" has an octet above 255`;
  }
  if (/^[\d.]+$/.test(text)) return `"${text}" is not a dotted-quad IPv4 address (four numbers 0-255)`;
  return `"${text}" is not an IPv4 or IPv6 address`;
}

function invalid(text: string, reason: string): CidrParseResult {
  return { ok: false, problem: { code: 'cidr-invalid', message: `invalid CIDR "${text}": ${reason}` } };
}

/** Strict CIDR parse, throwing `CidrError`. */
export function parseCidr(text: string): CidrBlock {
  const result = safeParseCidr(text);
  if (!result.ok) throw new CidrError(result.problem);
  return result.block;
}

/** Canonical text of a block (`10.0.0.0/16`, `2001:db8::/32`). */
export function formatCidr(block: CidrBlock): string {
  return `${formatIpValue(block.version, block.first)}/${block.prefix}`;
}

/** Number of addresses in a block. */
export function blockSize(block: CidrBlock): bigint {
  return block.last - block.first + 1n;
}

/** Whether `outer` contains all of `inner` (a block contains itself). */
export function contains(outer: CidrBlock, inner: CidrBlock): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether an address falls inside a block. */
export function containsAddress(block: CidrBlock, ip: IpAddress): boolean {
  return block.version === ip.version && block.first <= ip.value && ip.value <= block.last;
}

/** Whether two blocks share at least one address. */
export function overlaps(a: CidrBlock, b: CidrBlock): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Orders blocks by version, then start address, then size (larger first). */
export function compareBlocks(a: CidrBlock, b: CidrBlock): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.first !== b.first) return a.first < b.first ? -1 : 1;
  return a.prefix - b.prefix;
}

/**
 * Splits a block into blocks of a longer prefix, e.g. a /16 into /24s. Refuses to
 * produce more than `limit` blocks so a careless call cannot allocate millions.
 */
export function splitBlock(block: CidrBlock, prefix: number, limit = 65_536): CidrBlock[] {
  if (prefix < block.prefix || prefix > bitsOf(block.version)) {
    throw new RangeError(`cannot split /${block.prefix} into /${prefix} blocks`);
  }
  const count = 1n << BigInt(prefix - block.prefix);
  if (count > BigInt(limit)) throw new RangeError(`splitting /${block.prefix} into /${prefix} gives ${count} blocks (limit ${limit})`);
  const step = 1n << BigInt(bitsOf(block.version) - prefix);
  const out: CidrBlock[] = [];
  for (let i = 0n; i < count; i++) out.push(makeBlock(block.version, block.first + i * step, prefix));
  return out;
}

/**
 * The smallest set of CIDR blocks covering exactly [first, last] (inclusive), largest
 * aligned blocks first. Used to describe free space.
 */
export function rangeToBlocks(version: 4 | 6, first: bigint, last: bigint): CidrBlock[] {
  const bits = bitsOf(version);
  const out: CidrBlock[] = [];
  let start = first;
  while (start <= last) {
    let prefix = bits;
    // Grow the block while it stays aligned at `start` and inside the range.
    while (prefix > 0) {
      const size = 1n << BigInt(bits - prefix + 1);
      if ((start & (size - 1n)) !== 0n || start + size - 1n > last) break;
      prefix--;
    }
    const block = makeBlock(version, start, prefix);
    out.push(block);
    start = block.last + 1n;
  }
  return out;
}
