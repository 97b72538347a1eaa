import { parseAuthority } from './authority.js';
import { headerListItems } from './headers.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';

/**
 * How a front end reads request targets: `server` for everything that acts as an origin
 * (servers, balancers, reverse proxies, caches: origin-form, or absolute-form routed by
 * its authority), `proxy` for the forward proxy (absolute-form is the norm).
 */
export type TargetMode = 'server' | 'proxy';

/** What the front end does with a request that reached its 'request' event. */
export type HygieneVerdict =
  | { action: 'serve'; target: RequestTarget }
  | { action: 'options-star' }
  | { action: 'refuse'; status: number; code: string; message: string };

/** What the checks read from a request (Node's `IncomingMessage` fields). */
export interface RequestHead {
  method: string;
  url: string;
  httpVersionMajor: number;
  httpVersionMinor: number;
  rawHeaders: readonly string[];
}

/**
 * The last `Host` value that passed `parseAuthority`: a load balancer sees the same few
 * values over and over, and the check is a pure function of the string.
 */
let lastValidHost = '';

function refuse(status: number, code: string, message: string): HygieneVerdict {
  return { action: 'refuse', status, code, message };
}

/**
 * The request checks Node's strict parser leaves to the server, so that nothing a client
 * sends can reach an upstream client library that would refuse it (undici throws on a
 * second `Host`, on `*` and on non-`http(s)` targets) or that the lab would forward
 * wrongly. RFC 9112 3.2: one valid `Host`, else 400; 6.1: a transfer coding other than
 * `chunked` is 501, and `Transfer-Encoding` in HTTP/1.0 is faulty framing (400); 2.3: only
 * HTTP/1.x (505); 3.2.4: `*` only with OPTIONS, which the front end answers itself.
 * Pure: the caller answers.
 */
export function inspectRequest(head: RequestHead, mode: TargetMode): HygieneVerdict {
  if (head.httpVersionMajor !== 1) {
    return refuse(505, 'http-version-not-supported', `HTTP/${head.httpVersionMajor}.${head.httpVersionMinor} is not supported: this is an HTTP/1.1 server`);
  }
  let hosts = 0;
  let host = '';
  const codings: string[] = [];
  let hasTransferEncoding = false;
  for (let i = 0; i < head.rawHeaders.length; i += 2) {
    const name = head.rawHeaders[i] ?? '';
    if (name.length === 4 && name.toLowerCase() === 'host') {
      hosts += 1;
      host = head.rawHeaders[i + 1] ?? '';
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      hasTransferEncoding = true;
      for (const item of headerListItems(head.rawHeaders[i + 1])) codings.push(item.toLowerCase());
    }
  }
  if (hosts > 1) return refuse(400, 'duplicate-host', `the request has ${hosts} Host header fields; exactly one is allowed (RFC 9112 3.2)`);
  if (hosts === 0 && head.httpVersionMinor >= 1) return refuse(400, 'missing-host', 'an HTTP/1.1 request needs a Host header field (RFC 9112 3.2)');
  if (hosts === 1 && (host !== lastValidHost || host === '')) {
    const parsed = parseAuthority(host);
    if (!parsed.ok) return refuse(400, 'bad-host', `invalid Host "${host.slice(0, 200)}": ${parsed.problem}`);
    lastValidHost = host;
  }
  if (hasTransferEncoding) {
    if (head.httpVersionMinor === 0) return refuse(400, 'bad-framing', 'Transfer-Encoding in an HTTP/1.0 request is faulty framing (RFC 9112 6.1)');
    if (codings[codings.length - 1] !== 'chunked') return refuse(400, 'bad-framing', 'the final transfer coding must be chunked (RFC 9112 6.3)');
    const other = codings.find((c) => c !== 'chunked');
    if (other !== undefined) return refuse(501, 'unsupported-transfer-coding', `transfer coding "${other.slice(0, 64)}" is not implemented; only chunked is`);
  }
  const parsed = parseRequestTarget(head.url, head.method);
  if (!parsed.ok) return refuse(400, 'bad-request-target', parsed.problem);
  const target = parsed.target;
  if (target.form === 'asterisk') return { action: 'options-star' };
  if (mode === 'server') {
    if (target.form === 'absolute') {
      if (target.scheme !== 'http' && target.scheme !== 'https') {
        return refuse(400, 'bad-request-target', `scheme "${target.scheme}" is not served here; use http`);
      }
      // An OPTIONS for the server as a whole, in absolute form (RFC 9112 3.2.4).
      if (head.method === 'OPTIONS' && target.emptyPath) return { action: 'options-star' };
    }
    return { action: 'serve', target };
  }
  if (target.form === 'origin') {
    return refuse(400, 'not-absolute-form', 'this is a forward proxy: send absolute-form requests (GET http://host/path) or CONNECT');
  }
  if (target.form === 'absolute' && target.scheme !== 'http') {
    return refuse(
      400,
      'not-absolute-form',
      target.scheme === 'https'
        ? 'https URLs go through a CONNECT tunnel (curl -p / --proxytunnel, or let the client use CONNECT)'
        : `scheme "${target.scheme}" is not proxied; use http (or CONNECT for anything else)`,
    );
  }
  return { action: 'serve', target };
}

/** Methods a service forwards, for `Allow` in the answer to `OPTIONS *`. */
export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE';
