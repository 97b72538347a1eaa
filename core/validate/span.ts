import { parseIPv4Cidr, safeParseCidr, type CidrBlock, type CidrProblem } from '../cidr/block.js';

/**
 * A parsed CIDR in the form the bulk checks want: plain numbers for IPv4 (exact below
 * 2^53, and an order of magnitude faster to build, compare and sort than BigInt), BigInt
 * for IPv6. Both bounds of one span always have the same type, so comparisons between
 * spans of the same version never mix number and BigInt.
 */
export interface Span {
  readonly version: 4 | 6;
  readonly prefix: number;
  readonly first: number | bigint;
  readonly last: number | bigint;
}

/** A span, or why the text is not a CIDR (with the stable code and, when obvious, the fix). */
export type SpanParseResult = { ok: true; span: Span } | { ok: false; problem: CidrProblem };

/**
 * Strict CIDR parse to a span. A canonical IPv4 CIDR takes the allocation-free fast path;
 * anything else (IPv6, or any text the fast path refuses) goes through the strict
 * `safeParseCidr`, which also explains what is wrong.
 */
export function parseSpan(text: string): SpanParseResult {
  const fast = typeof text === 'string' ? parseIPv4Span(text) : undefined;
  if (fast) return { ok: true, span: fast };
  const parsed = safeParseCidr(text);
  if (!parsed.ok) return parsed;
  return { ok: true, span: spanOfBlock(parsed.block) };
}

/**
 * The span of a canonical IPv4 CIDR (`10.0.1.0/24`), without BigInt (`parseIPv4Cidr`);
 * `undefined` for anything else, including every text `safeParseCidr` refuses, so callers
 * fall back to it for the explanation.
 */
export function parseIPv4Span(text: string): Span | undefined {
  return parseIPv4Cidr(text);
}

/** The span of a BigInt block (numbers for IPv4). */
export function spanOfBlock(block: CidrBlock): Span {
  if (block.version === 4) return { version: 4, prefix: block.prefix, first: Number(block.first), last: Number(block.last) };
  return block;
}

/** The BigInt block of a span, for the shared CIDR helpers (formatting, reserved addresses). */
export function blockOfSpan(span: Span): CidrBlock {
  return { version: span.version, prefix: span.prefix, first: BigInt(span.first), last: BigInt(span.last) };
}

/** Whether `outer` contains all of `inner` (same version). */
export function spanContains(outer: Span, inner: Span): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether two spans share an address (same version). */
export function spansOverlap(a: Span, b: Span): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Whether an address (BigInt, as the model resolves it) lies in a span. */
export function spanContainsValue(span: Span, version: 4 | 6, value: bigint): boolean {
  if (span.version !== version) return false;
  if (version === 4) {
    const v = Number(value);
    return (span.first as number) <= v && v <= (span.last as number);
  }
  return (span.first as bigint) <= value && value <= (span.last as bigint);
}
