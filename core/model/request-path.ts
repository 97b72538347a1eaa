/**
 * The one rule for request paths, shared by the live lab (which applies it to every request
 * its front ends accept) and by the exporters (which make nginx and HAProxy follow it):
 *
 * 1. every `%` starts a two-digit hex escape, else the request is refused (400);
 * 2. an escaped `/`, `\` or NUL (`%2F`, `%5C`, `%00`) is refused: a gateway and the server
 *    behind it would disagree on where its segments are;
 * 3. escapes of unreserved characters (RFC 3986 2.3: letters, digits, `-._~`) are decoded,
 *    every other escape is written with upper-case hex (RFC 3986 6.2.2.1 and 6.2.2.2);
 * 4. runs of `/` become one (as nginx's `merge_slashes`);
 * 5. dot segments are removed (RFC 3986 5.2.4); a `..` that climbs above the root is
 *    refused, as nginx does.
 *
 * So `/static/../admin`, `//admin`, `/./admin` and `/%61dmin` are all `/admin` before any
 * rule looks at them, and a prefix rule guarding `/admin` cannot be walked around. The query
 * is kept as sent.
 */

/** A normalised request target, or why the request is refused. */
export type PathResult = { ok: true; path: string } | { ok: false; problem: string };

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const REFUSED_ESCAPES: Readonly<Record<string, string>> = { '2F': 'an escaped "/" (%2F)', '5C': 'an escaped "\\" (%5C)', '00': 'an escaped NUL (%00)' };

/** Normalises the path part of an origin-form target (`/path?query`) by the rule above. */
export function safeNormalizeRequestPath(target: string): PathResult {
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  const decoded = decodeUnreserved(rawPath);
  if (!decoded.ok) return decoded;
  const merged = decoded.path.replace(/\/{2,}/g, '/');
  const dotted = removeDotSegments(merged);
  if (dotted === undefined) return { ok: false, problem: `the path "${rawPath.slice(0, 200)}" climbs above the root with ".."` };
  return { ok: true, path: dotted + query };
}

/** Like `safeNormalizeRequestPath`, throwing on a refused path. */
export function normalizeRequestPath(target: string): string {
  const result = safeNormalizeRequestPath(target);
  if (!result.ok) throw new Error(result.problem);
  return result.path;
}

function decodeUnreserved(path: string): PathResult {
  if (!path.includes('%')) return { ok: true, path };
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i] as string;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { ok: false, problem: `"%${hex}" in the path is not a percent-encoded byte (RFC 3986 2.1)` };
    const upper = hex.toUpperCase();
    const refused = REFUSED_ESCAPES[upper];
    if (refused !== undefined) return { ok: false, problem: `the path has ${refused}, which gateways and servers split differently` };
    const decoded = String.fromCharCode(parseInt(hex, 16));
    out += UNRESERVED.test(decoded) ? decoded : `%${upper}`;
    i += 2;
  }
  return { ok: true, path: out };
}

/** RFC 3986 5.2.4 on an absolute path; undefined when `..` would climb above the root. */
function removeDotSegments(path: string): string | undefined {
  if (!path.includes('.')) return path;
  const segments = path.split('/').slice(1);
  const out: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..' && out.pop() === undefined) return undefined;
      // A final dot segment leaves the directory it names: `/a/.` is `/a/`.
      if (last) out.push('');
    } else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/**
 * A rule's path prefix under the same rule (`/./api/` is `/api/`), or undefined when no
 * request path could ever match it (it would be refused first).
 */
export function normalizePathPrefix(prefix: string): string | undefined {
  const result = safeNormalizeRequestPath(prefix);
  return result.ok && !result.path.includes('?') ? result.path : undefined;
}

/**
 * Whether a normalised path matches a rule's prefix on a segment boundary: `/api` matches
 * `/api`, `/api/x` and `/api?q`, not `/apix`; a prefix ending in `/` matches what starts
 * with it (`/api/` matches `/api/x`, not `/api`); `/` matches everything.
 */
export function prefixMatches(prefix: string | undefined, path: string): boolean {
  if (prefix === undefined || prefix === '/') return true;
  if (!path.startsWith(prefix)) return false;
  if (prefix.endsWith('/') || path.length === prefix.length) return true;
  const next = path[prefix.length];
  return next === '/' || next === '?';
}

/**
 * Replaces a matched prefix: `/api/users` with `/api` -> `/v1` is `/v1/users`, and the
 * result never has `//` where the prefix met the rest (`/admin/x` with `/admin/` -> `/` is `/x`).
 */
export function rewritePath(path: string, prefix: string, replacement: string): string {
  const rest = path.slice(prefix.length);
  if (rest === '' || rest.startsWith('?')) return replacement + rest;
  const base = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement;
  return rest.startsWith('/') ? base + rest : `${base}/${rest}`;
}
