import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 7.6.1) plus the legacy ones proxies also drop. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-authentication-info',
  // Not hop-by-hop, but a proxy answers 100-continue itself and undici refuses to forward it.
  'expect',
]);

/** Whether a lower-case header name never crosses a proxy. */
export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith('proxy-');
}

/**
 * The items of a comma-separated header list (RFC 9110 5.6.1), trimmed, empty ones
 * dropped; several field lines of one header count as one list. Quoted commas are not
 * special-cased: none of the lists read here (`Connection`, `Vary`, `Via`, entity tags,
 * `x-served-by`) carries them.
 */
export function headerListItems(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const items: string[] = [];
  for (const line of typeof value === 'string' ? [value] : value) {
    for (const part of line.split(',')) {
      const item = part.trim();
      if (item !== '') items.push(item);
    }
  }
  return items;
}

/** The header names a `Connection` value lists (lower case), which are hop-by-hop too. */
export function connectionTokens(value: string | readonly string[] | undefined): Set<string> | undefined {
  // Nearly every message says just this: nothing to split or allocate.
  if (typeof value === 'string' && (value.length === 10 || value.length === 5) && /^(keep-alive|close)$/i.test(value)) return undefined;
  const tokens = new Set<string>();
  for (const item of headerListItems(value)) {
    const token = item.toLowerCase();
    if (token !== 'close' && token !== 'keep-alive') tokens.add(token);
  }
  return tokens.size > 0 ? tokens : undefined;
}

/** Whether a `Via` value already lists `nodeId` as a hop (a forwarding loop). */
export function viaContains(via: string, nodeId: string): boolean {
  for (const entry of via.split(',')) {
    // `1.1 lb-1 (comment)`: the second token is the pseudonym.
    const parts = entry.trim().split(/\s+/);
    if (parts[1] === nodeId) return true;
  }
  return false;
}

/** What a forwarder knows about the client connection a request came in on. */
export interface ClientHop {
  /** The socket's remote address (the only trusted client address). */
  remoteAddress: string;
  /** The port this service received the request on. */
  localPort: number;
  /** This service's node id, for `Via`. */
  nodeId: string;
  /** `https` when the client came over TLS (`X-Forwarded-Proto`); default `http`. */
  proto?: 'http' | 'https';
}

/** The scheme a client used: `https` on a TLS socket (the service's HTTPS listener). */
export function clientProto(socket: object): 'http' | 'https' {
  return (socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
}

/** Request headers ready for the upstream, and what was learned while building them. */
export interface ForwardHeaders {
  /** Flat `[name, value, name, value]` list for undici. */
  headers: string[];
  /** The request's `Via` already names this node. */
  loop: boolean;
  /** The client's `Host` header value (empty when absent). */
  host: string;
}

/** Header names this builder sets itself (client values are replaced or appended to). */
const REPLACED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'via']);

/**
 * Builds the upstream request headers from the client's raw headers in one pass: drops
 * hop-by-hop headers (and those `Connection` names), appends the socket address to
 * `X-Forwarded-For` (a client value is kept as earlier entries, never as the only one),
 * sets `X-Real-IP`, `X-Forwarded-Proto`, `X-Forwarded-Port` and appends `1.1 <node>` to
 * `Via`. `overrides` (lower-case names) replace or, with an empty value, remove headers.
 */
export function buildForwardHeaders(
  rawHeaders: readonly string[],
  hop: ClientHop,
  overrides?: Readonly<Record<string, string>>,
): ForwardHeaders {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  let xff = '';
  let via = '';
  let host = '';
  // `Connection` may come after the headers it lists: find it first (rare, cheap scan).
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 10 && name.toLowerCase() === 'connection') {
      const tokens = connectionTokens(rawHeaders[i + 1]);
      if (tokens) {
        listed ??= new Set();
        for (const token of tokens) listed.add(token);
      }
    }
  }
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    const lower = name.toLowerCase();
    if (isHopByHop(lower) || listed?.has(lower)) continue;
    if (REPLACED.has(lower)) {
      if (lower === 'x-forwarded-for') xff = xff === '' ? value : `${xff}, ${value}`;
      else if (lower === 'via') via = via === '' ? value : `${via}, ${value}`;
      continue;
    }
    if (overrides !== undefined && lower in overrides) continue;
    if (lower === 'host') host = value;
    out.push(name, value);
  }
  const remote = stripV4Mapped(hop.remoteAddress);
  out.push(
    'x-forwarded-for',
    xff === '' ? remote : `${xff}, ${remote}`,
    'x-real-ip',
    remote,
    'x-forwarded-proto',
    hop.proto ?? 'http',
    'x-forwarded-port',
    String(hop.localPort),
    'via',
    via === '' ? `1.1 ${hop.nodeId}` : `${via}, 1.1 ${hop.nodeId}`,
  );
  if (overrides !== undefined) {
    for (const [name, value] of Object.entries(overrides)) {
      if (value !== '') out.push(name, value);
    }
  }
  return { headers: out, loop: via !== '' && viaContains(via, hop.nodeId), host };
}

/** `::ffff:127.0.0.1` -> `127.0.0.1`, so logs and hashes see the address people expect. */
export function stripV4Mapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * Makes an upstream response's headers safe to send on: removes hop-by-hop headers and
 * those its `Connection` lists (in place), and appends this hop to `Via`. `overrides`
 * (lower-case names) replace headers; an empty value removes one.
 */
export function prepareResponseHeaders(
  headers: IncomingHttpHeaders,
  nodeId: string,
  overrides?: Readonly<Record<string, string>>,
): IncomingHttpHeaders {
  const listed = connectionTokens(headers['connection']);
  for (const name of Object.keys(headers)) {
    if (isHopByHop(name) || listed?.has(name)) delete headers[name];
  }
  const via = headers['via'];
  headers['via'] = via === undefined ? `1.1 ${nodeId}` : `${Array.isArray(via) ? via.join(', ') : via}, 1.1 ${nodeId}`;
  if (overrides !== undefined) {
    for (const [name, value] of Object.entries(overrides)) {
      if (value === '') delete headers[name];
      else headers[name] = value;
    }
  }
  return headers;
}

/**
 * The client-bound header list from an upstream's raw response headers (undici Buffers,
 * decoded as latin1 so bytes pass through unchanged): hop-by-hop headers and those the
 * `Connection` header lists are dropped, `1.1 <node>` is appended to `Via`, and
 * `overrides` (lower-case names) replace headers or, with an empty value, remove them.
 */
export function responseHeaderList(rawHeaders: readonly Buffer[], nodeId: string, overrides?: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  let listed: Set<string> | undefined;
  let via = '';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as Buffer).toString('latin1');
    const value = (rawHeaders[i + 1] as Buffer | undefined)?.toString('latin1') ?? '';
    const lower = name.toLowerCase();
    if (lower === 'connection') {
      listed = connectionTokens(value) ?? listed;
      continue;
    }
    if (isHopByHop(lower)) continue;
    if (lower === 'via') {
      via = via === '' ? value : `${via}, ${value}`;
      continue;
    }
    if (overrides !== undefined && lower in overrides) continue;
    out.push(lower, value);
  }
  if (listed !== undefined) {
    for (let i = out.length - 2; i >= 0; i -= 2) if (listed.has(out[i] as string)) out.splice(i, 2);
  }
  out.push('via', via === '' ? `1.1 ${nodeId}` : `${via}, 1.1 ${nodeId}`);
  if (overrides !== undefined) {
    for (const [name, value] of Object.entries(overrides)) if (value !== '') out.push(name, value);
  }
  return out;
}
