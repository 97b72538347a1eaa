import { HTTP_DEFAULTS, UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { ConfigWriter } from '../text.js';
import { duration, size } from './syntax.js';

/**
 * What makes nginx refuse and limit requests exactly where the lab does. nginx already
 * refuses malformed escapes, `%00` and a `..` above the root in the path, a Host with an
 * empty label, and normalises paths the way core/model/request-path.ts says (it matches
 * locations on the decoded, dot-free, slash-merged path); the maps below add what it lets
 * through: an escaped `/` or `\` in the path, and a Host the lab's authority grammar refuses.
 */
export const GUARD_MAPS: readonly string[] = [
  '# The path rule: an escaped "/" or "\\" (or NUL) in the path has no safe reading (400).',
  'map $request_uri $topolab_bad_path {',
  '    default 0;',
  '    "~^[^?]*%(?:2[Ff]|5[Cc]|00)" 1;',
  '}',
  '# The Host rule: host[:port] by the RFC 3986 authority grammar, no empty label (400).',
  'map $http_host $topolab_bad_host {',
  '    default 1;',
  '    "" 0;',
  '    "~\\.\\." 1;',
  '    "~^(?:[A-Za-z0-9._~!&\'()*+;=-]|\\$|%[0-9A-Fa-f]{2})+(?::[0-9]{0,5})?$" 0;',
  '    "~^\\[[0-9A-Fa-f:.]+\\](?::[0-9]{0,5})?$" 0;',
  '}',
  'map "$topolab_bad_path$topolab_bad_host" $topolab_bad_request {',
  '    default 1;',
  '    00 0;',
  '}',
];

/**
 * The lab's limits and timeouts (core/model/defaults.ts) for the whole `http` block, so no
 * nginx default applies: body size, request line and header lines (nginx sizes its header
 * buffers per line: 8 KiB per line and two buffers make about the lab's 16 KiB block),
 * header and body timeouts, keep-alive, upstream connect and response timeouts.
 */
export function writeHttpLimits(w: ConfigWriter): void {
  w.comment("The lab's limits and timeouts (core/model/defaults.ts), written out so nginx's own defaults never apply.");
  w.line(`client_max_body_size ${size(HTTP_DEFAULTS.maxBodyBytes)};`);
  w.line('client_header_buffer_size 1k;');
  w.line(`large_client_header_buffers 2 ${size(HTTP_DEFAULTS.maxHeaderFieldBytes)};`);
  w.line(`client_header_timeout ${duration(HTTP_DEFAULTS.headerTimeoutMs)};`);
  w.line(`client_body_timeout ${duration(HTTP_DEFAULTS.bodyIdleTimeoutMs)};`);
  w.line(`keepalive_timeout ${duration(HTTP_DEFAULTS.keepAliveTimeoutMs)};`);
  w.line('merge_slashes on;');
  w.line(`proxy_connect_timeout ${duration(UPSTREAM_DEFAULTS.connectTimeoutMs)};`);
  w.line(`proxy_read_timeout ${duration(UPSTREAM_DEFAULTS.timeoutMs)};`);
  w.line(`proxy_send_timeout ${duration(UPSTREAM_DEFAULTS.timeoutMs)};`);
}

/** The guard every server starts with: the path and Host rules, and 431 for header lines over the limit. */
export function writeServerGuards(w: ConfigWriter): void {
  w.line('if ($topolab_bad_request) { return 400; }');
  // nginx's own code for a header line over its buffer is 494 (sent as 400); the lab says 431.
  w.line('error_page 494 =431 @topolab_431;');
  w.open('location @topolab_431').line('return 431 "request header fields too large\\n";').close();
}
