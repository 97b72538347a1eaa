/**
 * The request checks undici's `Request` constructor makes (undici 7,
 * lib/core/request.js), as a pure function run before every dispatch. Why: when undici
 * refuses a request while building it, the Pool client it was handed to is left marked
 * busy for good and the pool's queue stops draining, so each refused request costs the
 * pool one connection slot until every later request to that upstream hangs. A request
 * that fails this check never reaches undici. test/unit/runtime/forwardable.test.ts
 * compares this function with undici's own constructor over many inputs, so an undici
 * upgrade that adds a check fails that test rather than the lab.
 */

/** RFC 9110 token characters (undici `isValidHTTPToken`). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A field value character outside `\t`, SP..~ and 0x80..0xff (undici `isValidHeaderValue`). */
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/** A path character outside 0x21..0xff (undici `invalidPathRegex`). */
const BAD_PATH_CHAR = /[^\u0021-\u00ff]/;

/** Header names undici refuses outright (they are hop-by-hop; the lab strips them anyway). */
const REFUSED_HEADERS = new Set(['transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

/**
 * Why undici would refuse to build this request, or undefined when it would accept it.
 * `headers` is the flat `[name, value, ...]` list the lab hands to `dispatch`.
 */
export function unforwardableReason(method: string, path: string, headers: readonly string[]): string | undefined {
  if (path[0] !== '/' && !(path.startsWith('http://') || path.startsWith('https://')) && method !== 'CONNECT') {
    return `request target "${path.slice(0, 100)}" is not a path`;
  }
  if (BAD_PATH_CHAR.test(path)) return 'the request path has a space, a control or a non-Latin-1 character';
  if (!TOKEN.test(method)) return `"${method.slice(0, 32)}" is not a method token`;
  if (headers.length % 2 !== 0) return 'the header list has an odd length';
  let hosts = 0;
  let lengths = 0;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] ?? '';
    const value = headers[i + 1] ?? '';
    const lower = name.toLowerCase();
    if (!TOKEN.test(lower)) return `"${name.slice(0, 64)}" is not a header name token`;
    if (BAD_VALUE_CHAR.test(value)) return `header ${name} has a control character in its value`;
    if (REFUSED_HEADERS.has(lower)) return `header ${name} cannot be forwarded`;
    if (lower === 'host' && ++hosts > 1) return 'more than one Host header';
    if (lower === 'content-length') {
      if (++lengths > 1) return 'more than one Content-Length header';
      if (!/^\d+$/.test(value)) return `Content-Length "${value.slice(0, 32)}" is not a number`;
    }
    if (lower === 'connection') {
      for (const token of value.toLowerCase().split(',')) {
        if (!TOKEN.test(token.trim())) return `Connection "${value.slice(0, 64)}" is not a token list`;
      }
    }
  }
  return undefined;
}

/** Raised instead of dispatching a request undici would refuse (answered 500, never counted against the upstream). */
export class UnforwardableRequestError extends Error {
  readonly code = 'TOPOLAB_UNFORWARDABLE';
  /** `reason` completes "the upstream request cannot be built: ..." unless `whole` says it all. */
  constructor(reason: string, whole = false) {
    super(whole ? reason : `the upstream request cannot be built: ${reason}`);
  }
}
