/** How an upstream attempt failed, which decides the status and whether a retry is safe. */
export interface UpstreamFailure {
  /** `connect`: nothing reached the upstream (safe to retry idempotent requests elsewhere). */
  kind: 'connect' | 'timeout' | 'reset' | 'invalid';
  status: 502 | 504;
  code: string;
  message: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

/** Maps an undici/socket error to the lab's error statuses: 504 for timeouts, else 502. */
export function classifyUpstreamError(err: unknown): UpstreamFailure {
  const error = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = error.code ?? error.cause?.code ?? 'UNKNOWN';
  const message = error.message ?? String(err);
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

/** Methods that may be sent twice (RFC 9110 9.2.2). */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'PUT' || method === 'DELETE' || method === 'TRACE';
}
