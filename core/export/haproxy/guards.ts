import { HTTP_DEFAULTS } from '../../model/defaults.js';
import type { ConfigWriter } from '../text.js';

/** The methods the lab forwards, for `Allow` in the answer to `OPTIONS *` and CONNECT. */
const ALLOWED = 'GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE';

/** `host[:port]` by the lab's authority grammar (RFC 3986 reg-name without `,`, or an IPv6 literal). */
const HOST_PATTERN = "'^(?:(?:[A-Za-z0-9._~!$&()*+;=-]|\\x27|%[0-9A-Fa-f]{2})+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{0,5})?$'";

/**
 * The requests every HTTP frontend answers itself, in the lab's order (core/runtime/http/
 * front-end.ts): request line over 8 KiB (414), header block over 16 KiB or one field line
 * over 8 KiB (431), a version other than HTTP/1.x (505), a missing or malformed Host (400),
 * `OPTIONS *` (200, for the node itself), CONNECT (405), a declared body over the limit (413),
 * then the path rule of core/model/request-path.ts: malformed escapes, escaped `/`, `\` or
 * NUL refused, unreserved escapes decoded, slashes merged, dot segments removed, and a `..`
 * above the root refused. `normalize-uri` is marked experimental in HAProxy 2.6 (hence
 * `expose-experimental-directives` in `global`); it is HAProxy's own URI normaliser.
 */
export function writeFrontendGuards(w: ConfigWriter, maxBodyBytes: number): void {
  w.comment("The lab's limits and request rules (core/model/defaults.ts, core/model/request-path.ts).");
  w.line('http-request set-var(txn.topolab_url_len) url,length');
  w.line(`http-request return status 414 content-type text/plain string "request line too long" if { method,length,add(txn.topolab_url_len) gt ${HTTP_DEFAULTS.maxRequestLineBytes - 10} }`);
  w.line(`http-request return status 431 content-type text/plain string "request header fields too large" if { req.hdrs,length gt ${HTTP_DEFAULTS.maxHeaderBytes} }`);
  w.line(`http-request return status 431 content-type text/plain string "request header fields too large" if { req.hdrs -m reg '[^\\r\\n]{${HTTP_DEFAULTS.maxHeaderFieldBytes + 1}}' }`);
  w.line('http-request return status 505 content-type text/plain string "HTTP version not supported" if !{ req.ver 1.1 } !{ req.ver 1.0 }');
  w.line("http-request deny deny_status 400 if { req.hdrs -m reg '\\x00' }");
  w.line('http-request deny deny_status 400 if { req.ver 1.1 } !{ req.hdr_cnt(host) gt 0 }');
  w.line(`http-request deny deny_status 400 if { req.hdr_cnt(host) gt 0 } !{ req.hdr(host) -m reg ${HOST_PATTERN} }`);
  w.line('http-request deny deny_status 400 if { req.hdr(host) -m sub .. }');
  w.line(`http-request return status 200 hdr Allow "${ALLOWED}" if METH_OPTIONS { url * }`);
  w.line(`http-request return status 405 content-type text/plain string "not a forward proxy" hdr Allow "${ALLOWED}" if METH_CONNECT`);
  w.line(`http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${maxBodyBytes} }`);
  w.line("http-request deny deny_status 400 if { path -m reg '%(?![0-9A-Fa-f]{2})' }");
  w.line("http-request deny deny_status 400 if { path -m reg -i '%(2f|5c|00)' }");
  w.line('http-request normalize-uri percent-decode-unreserved');
  w.line('http-request normalize-uri percent-to-uppercase');
  w.line('http-request normalize-uri path-merge-slashes');
  w.line('http-request normalize-uri path-strip-dot');
  w.line('http-request normalize-uri path-strip-dotdot');
  w.line("http-request deny deny_status 400 if { path -m reg '^/\\.\\.(/|$)' }");
  // The request host as the lab's rules see it: lower case, no port, no trailing dot.
  w.line('http-request set-var(txn.topolab_host) \'req.hdr(host),lower,regsub("^(.*?)[.]?(:[0-9]+)?$","\\1")\'');
}

/** The global settings the guards need. */
export function writeGlobalForGuards(w: ConfigWriter): void {
  w.comment('normalize-uri (the path rule) is marked experimental in HAProxy 2.4 to 2.8.');
  w.line('expose-experimental-directives');
  w.comment("A request up to the lab's limits (8 KiB request line, 16 KiB of headers) fits in one buffer.");
  w.line(`tune.bufsize ${2 * (HTTP_DEFAULTS.maxHeaderBytes + HTTP_DEFAULTS.maxRequestLineBytes)}`);
}

/** HAProxy's own 503 is marked, so `writeStatusMapping` can tell it from an upstream's 503 (for `defaults`). */
export function writeGeneratedErrors(w: ConfigWriter): void {
  w.line('http-error status 503 content-type text/plain hdr X-Topolab-Generated 1 string "no server answered"');
}

/**
 * An upstream that refused the connection is 502 in the lab (503 only when no server is
 * usable at all); HAProxy answers 503 for both, so its own 503 while servers are up becomes
 * 502. An upstream's own 503 passes unchanged. Written in each HTTP backend (`nbsrv` counts
 * the servers of the backend it is in).
 */
export function writeStatusMapping(w: ConfigWriter): void {
  w.line('http-after-response set-status 502 if { status 503 } { res.hdr(x-topolab-generated) -m found } { nbsrv gt 0 }');
  w.line('http-after-response del-header X-Topolab-Generated');
}
