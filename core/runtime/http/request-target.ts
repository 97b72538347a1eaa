import { parseAuthority, type Authority } from './authority.js';

/** The four request-target forms of RFC 9112 3.2, parsed. */
export type RequestTarget =
  | { form: 'origin'; path: string }
  | { form: 'absolute'; scheme: string; authority: Authority; raw: string; path: string; emptyPath: boolean }
  | { form: 'asterisk' }
  | { form: 'authority'; authority: Authority };

/** A parsed target, or why it cannot be served. */
export type RequestTargetResult = { ok: true; target: RequestTarget } | { ok: false; problem: string };

/** `scheme://authority[path-abempty][?query][#fragment]` (RFC 3986 3). */
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;

/**
 * Parses a request target the way RFC 9112 3.2 defines it: origin-form (`/path?q`),
 * absolute-form (`http://host/path`, authority checked strictly, fragment dropped),
 * asterisk-form (`*`, OPTIONS only) and authority-form (`host:port`, CONNECT only).
 * Anything else is refused with the reason.
 */
export function parseRequestTarget(target: string, method: string): RequestTargetResult {
  if (method === 'CONNECT') {
    const parsed = parseAuthority(target);
    if (!parsed.ok) return { ok: false, problem: `CONNECT needs host:port: ${parsed.problem}` };
    if (parsed.authority.port === undefined) return { ok: false, problem: 'CONNECT needs host:port (the port is missing)' };
    return { ok: true, target: { form: 'authority', authority: parsed.authority } };
  }
  if (target === '*') {
    return method === 'OPTIONS'
      ? { ok: true, target: { form: 'asterisk' } }
      : { ok: false, problem: `the asterisk form (*) is only for OPTIONS, not ${method} (RFC 9112 3.2.4)` };
  }
  if (target.startsWith('/')) {
    const hash = target.indexOf('#');
    return { ok: true, target: { form: 'origin', path: hash === -1 ? target : target.slice(0, hash) } };
  }
  const match = ABSOLUTE.exec(target);
  if (match === null) return { ok: false, problem: `"${target.slice(0, 200)}" is not a request target (origin-form /path, or absolute-form http://host/path)` };
  const parsed = parseAuthority(match[2] ?? '');
  if (!parsed.ok) return { ok: false, problem: `the URI's authority is invalid: ${parsed.problem}` };
  const pathPart = match[3] ?? '';
  const query = match[4] ?? '';
  return {
    ok: true,
    target: {
      form: 'absolute',
      scheme: (match[1] ?? '').toLowerCase(),
      authority: parsed.authority,
      raw: match[2] ?? '',
      path: (pathPart === '' ? '/' : pathPart) + query,
      emptyPath: pathPart === '' && query === '',
    },
  };
}
