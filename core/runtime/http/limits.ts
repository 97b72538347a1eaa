import { HTTP_DEFAULTS } from '../../model/defaults.js';
import type { HttpLimits } from '../services/types.js';

/** Limits with every default filled in. */
export type ResolvedLimits = Required<HttpLimits>;

/**
 * The defaults (core/model/defaults.ts, which the exports write out too): 10 MiB bodies,
 * 8 KiB request line, 8 KiB per header field and 16 KiB of headers (nginx-like); the
 * header block within 30 s of the first byte, no body gap over 5 s, the whole request
 * within 60 s (documented in docs/services.md).
 */
export const DEFAULT_LIMITS: ResolvedLimits = {
  maxBodyBytes: HTTP_DEFAULTS.maxBodyBytes,
  maxRequestLineBytes: HTTP_DEFAULTS.maxRequestLineBytes,
  maxHeaderFieldBytes: HTTP_DEFAULTS.maxHeaderFieldBytes,
  maxHeaderBytes: HTTP_DEFAULTS.maxHeaderBytes,
  headerTimeoutMs: HTTP_DEFAULTS.headerTimeoutMs,
  bodyIdleTimeoutMs: HTTP_DEFAULTS.bodyIdleTimeoutMs,
  requestTimeoutMs: HTTP_DEFAULTS.requestTimeoutMs,
};

/**
 * Fills in defaults; a non-finite or negative value (or a zero timeout, which would turn
 * it off) falls back to the default. The request timeout is raised to the header timeout
 * when set below it (Node refuses a header timeout longer than the request timeout).
 */
export function resolveLimits(limits: HttpLimits = {}): ResolvedLimits {
  const pick = (value: number | undefined, fallback: number, min = 0): number =>
    value !== undefined && Number.isFinite(value) && value >= min ? value : fallback;
  const headerTimeoutMs = pick(limits.headerTimeoutMs, DEFAULT_LIMITS.headerTimeoutMs, 1);
  return {
    maxBodyBytes: pick(limits.maxBodyBytes, DEFAULT_LIMITS.maxBodyBytes),
    maxRequestLineBytes: pick(limits.maxRequestLineBytes, DEFAULT_LIMITS.maxRequestLineBytes),
    maxHeaderFieldBytes: pick(limits.maxHeaderFieldBytes, DEFAULT_LIMITS.maxHeaderFieldBytes),
    maxHeaderBytes: pick(limits.maxHeaderBytes, DEFAULT_LIMITS.maxHeaderBytes),
    headerTimeoutMs,
    bodyIdleTimeoutMs: pick(limits.bodyIdleTimeoutMs, DEFAULT_LIMITS.bodyIdleTimeoutMs, 1),
    requestTimeoutMs: Math.max(headerTimeoutMs, pick(limits.requestTimeoutMs, DEFAULT_LIMITS.requestTimeoutMs, 1)),
  };
}

/**
 * How often Node checks its connections for the header and request timeouts. Node's
 * default (30 s) let a 30 s header timeout fire anywhere between 30 and 60 s; a tenth of
 * the shortest timeout, at most 1 s, keeps each within 10 % (or 1 s) of its value.
 */
export function checkingIntervalMs(limits: ResolvedLimits): number {
  return Math.max(5, Math.min(1000, Math.floor(Math.min(limits.headerTimeoutMs, limits.requestTimeoutMs) / 10)));
}

/** What the front end measures of a header block, in one pass over the raw list. */
export interface HeaderBlockFacts {
  /** Size as sent: `name: value\r\n` per field. */
  bytes: number;
  /** The longest field line (`name: value`, without its line break). */
  longestField: number;
  /** The first `Content-Length` value, if any. */
  contentLength: string | undefined;
}

/**
 * Size, longest field and declared body length of a header block in one pass over
 * `rawHeaders`, so the hot path never builds Node's lazy `req.headers` object.
 */
export function headerBlockFacts(rawHeaders: readonly string[]): HeaderBlockFacts {
  let bytes = 0;
  let longestField = 0;
  let contentLength: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    const field = name.length + value.length + 2;
    bytes += field + 2;
    if (field > longestField) longestField = field;
    if (contentLength === undefined && name.length === 14 && name.toLowerCase() === 'content-length') contentLength = value;
  }
  return { bytes, longestField, contentLength };
}

/** Size of a header block as sent: `name: value\r\n` per field. */
export function headerBlockBytes(rawHeaders: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    total += (rawHeaders[i]?.length ?? 0) + (rawHeaders[i + 1]?.length ?? 0) + 4;
  }
  return total;
}

/** The longest header field line (`name: value`, without its line break), bytes. */
export function longestHeaderField(rawHeaders: readonly string[]): number {
  let longest = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    longest = Math.max(longest, (rawHeaders[i]?.length ?? 0) + (rawHeaders[i + 1]?.length ?? 0) + 2);
  }
  return longest;
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
