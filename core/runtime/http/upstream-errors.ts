/**
 * How an upstream attempt failed, which decides the status, whether a retry is safe and
 * whether it counts against the upstream. Only the upstream's own faults (`connect`,
 * `timeout`, `reset`, `invalid`) feed passive ejection; `client` (the client's body was
 * too large, or the client went away) and `unforwardable` (the request could not even be
 * built, so nothing reached the upstream) never do, and are never retried elsewhere.
 */
export interface UpstreamFailure {
  /** `connect`: nothing reached the upstream (safe to retry idempotent requests elsewhere). */
  kind: 'connect' | 'timeout' | 'reset' | 'invalid' | 'client' | 'unforwardable';
  status: 413 | 499 | 500 | 502 | 504;
  code: string;
  message: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);
/** undici's refusals while building a request (InvalidArgumentError, NotSupportedError) and our own check's. */
const UNFORWARDABLE_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'TOPOLAB_UNFORWARDABLE', 'TOPOLAB_OUTSIDE_LAB']);

/** Maps an undici/socket error to the lab's error statuses: 504 for timeouts, 413 for an oversized body, else 502. */
export function classifyUpstreamError(err: unknown): UpstreamFailure {
  const error = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = error.code ?? error.cause?.code ?? 'UNKNOWN';
  const message = error.message ?? String(err);
  if (code === 'BODY_TOO_LARGE') return { kind: 'client', status: 413, code, message };
  if (code === 'CLIENT_GONE') return { kind: 'client', status: 499, code, message: 'the client went away' };
  if (UNFORWARDABLE_CODES.has(code)) return { kind: 'unforwardable', status: 500, code, message };
  // Over TLS (tls.upstream): no listener to connect to, or a handshake that failed; either way nothing was sent.
  if (code === 'TOPOLAB_NO_TLS_LISTENER' || code === 'TOPOLAB_UPSTREAM_TLS') return { kind: 'connect', status: 502, code, message };
  if (CONNECT_CODES.has(code)) return { kind: 'connect', status: 502, code, message: `upstream refused the connection (${code})` };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { kind: 'connect', status: 504, code, message: 'upstream connect timed out' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return { kind: 'timeout', status: 504, code, message: 'upstream did not answer in time' };
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE' || code === 'UND_ERR_INFO') {
    return { kind: 'invalid', status: 502, code, message: `invalid upstream response (${message})` };
  }
  return { kind: 'reset', status: 502, code, message: `upstream connection failed (${code}: ${message})` };
}

/** Whether a failure is the upstream's own fault (counts toward passive ejection). */
export function isUpstreamFault(failure: UpstreamFailure): boolean {
  return failure.kind === 'connect' || failure.kind === 'timeout' || failure.kind === 'reset' || failure.kind === 'invalid';
}

/** Whether undici itself refused to build the request (its pool may be left with a stuck client). */
export function refusedByUndici(failure: UpstreamFailure): boolean {
  return failure.code === 'UND_ERR_INVALID_ARG' || failure.code === 'UND_ERR_NOT_SUPPORTED';
}

/** The `error` code of the lab's JSON body for a failure. */
export function failureErrorCode(failure: UpstreamFailure): string {
  if (failure.status === 413) return 'body-too-large';
  if (failure.kind === 'unforwardable') return 'unforwardable-request';
  return failure.status === 504 ? 'upstream-timeout' : 'bad-gateway';
}

/** Methods that may be sent twice (RFC 9110 9.2.2). */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE' || method === 'TRACE';
}
