import { isIPv6 } from 'node:net';

/** A `host[:port]` that passed the RFC 3986 authority grammar (without userinfo). */
export interface Authority {
  /** As written, lower case: a reg-name, dotted IPv4, or `[IPv6]` with its brackets. */
  host: string;
  /** The port digits, when given (absent for `host` and `host:`). */
  port?: number;
}

/** Why an authority was refused, in words a client can act on. */
export type AuthorityResult = { ok: true; authority: Authority } | { ok: false; problem: string };

/**
 * reg-name characters of RFC 3986 3.2.2 (unreserved, sub-delims, `%`) minus the comma:
 * `Host` is a singleton field, and a comma is what two `Host` values merged into one
 * list look like (RFC 9110 5.3); no DNS name contains one.
 */
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * Parses `host[:port]` strictly: the `Host` header (RFC 9110 7.2, `uri-host [ ":" port ]`)
 * and the authority of an absolute-form or CONNECT request target. No whitespace, no
 * `/`, no userinfo, no comma list, no empty host (an `http` URI never has one, RFC 9110
 * 4.2.1), a port of at most 65535. Pure: it never asks a resolver.
 */
export function parseAuthority(text: string): AuthorityResult {
  if (text === '') return { ok: false, problem: 'the host is empty' };
  if (text.includes('@')) return { ok: false, problem: 'userinfo (`user@`) is not allowed in a host' };
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end === -1) return { ok: false, problem: 'an IPv6 literal lacks its closing `]`' };
    host = text.slice(0, end + 1);
    rest = text.slice(end + 1);
    if (!isIPv6(host.slice(1, -1))) return { ok: false, problem: `${host} is not an IPv6 address` };
  } else {
    const colon = text.indexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    rest = colon === -1 ? '' : text.slice(colon);
    if (host === '') return { ok: false, problem: 'the host is empty' };
    if (!REG_NAME.test(host)) return { ok: false, problem: `"${host}" is not a host name or address (RFC 3986 3.2.2)` };
    // An empty label (`a..b`, `example.com..`) names no host; nginx refuses it too.
    if (host.includes('..')) return { ok: false, problem: `"${host}" has an empty label ("..")` };
  }
  if (rest === '' || rest === ':') return { ok: true, authority: { host: host.toLowerCase() } };
  if (!/^:\d{1,5}$/.test(rest)) return { ok: false, problem: `"${rest}" is not a port` };
  const port = Number(rest.slice(1));
  if (port > 65535) return { ok: false, problem: `port ${port} is out of range` };
  return { ok: true, authority: { host: host.toLowerCase(), port } };
}

/** `host:port` of an authority, defaulting the port; a bare IPv6 address gets its brackets. */
export function formatAuthority(authority: Authority, defaultPort: number): string {
  const host = authority.host.includes(':') && !authority.host.startsWith('[') ? `[${authority.host}]` : authority.host;
  return `${host}:${authority.port ?? defaultPort}`;
}
