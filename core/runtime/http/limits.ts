import type { HttpLimits } from '../services/types.js';

/** Limits with every default filled in. */
export type ResolvedLimits = Required<HttpLimits>;

/** The defaults: 10 MiB bodies, 8 KiB request line, 16 KiB of headers (nginx-like). */
export const DEFAULT_LIMITS: ResolvedLimits = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxRequestLineBytes: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
};

/** Fills in defaults; a non-finite or negative value falls back to the default. */
export function resolveLimits(limits: HttpLimits = {}): ResolvedLimits {
  const pick = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
  return {
    maxBodyBytes: pick(limits.maxBodyBytes, DEFAULT_LIMITS.maxBodyBytes),
    maxRequestLineBytes: pick(limits.maxRequestLineBytes, DEFAULT_LIMITS.maxRequestLineBytes),
    maxHeaderBytes: pick(limits.maxHeaderBytes, DEFAULT_LIMITS.maxHeaderBytes),
  };
}

/** Size of a header block as sent: `name: value\r\n` per field. */
export function headerBlockBytes(rawHeaders: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    total += (rawHeaders[i]?.length ?? 0) + (rawHeaders[i + 1]?.length ?? 0) + 4;
  }
  return total;
}

/**
 * The status for a request Node's parser overflowed on: 414 when the request line alone
 * is longer than the limit (no line break within it), else 431.
 */
export function overflowStatus(rawPacket: Buffer | undefined, maxRequestLineBytes: number): 414 | 431 {
  if (!rawPacket || rawPacket.length === 0) return 431;
  const lineEnd = rawPacket.indexOf('\r\n');
  const startsWithMethod = /^[A-Z]{1,16} /.test(rawPacket.subarray(0, 17).toString('latin1'));
  if (startsWithMethod && (lineEnd === -1 || lineEnd > maxRequestLineBytes)) return 414;
  return 431;
}
