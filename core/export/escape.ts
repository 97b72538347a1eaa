/**
 * Helpers shared by the targets for turning design text into config text safely. Every
 * target quotes with its own rules (nginx.ts, haproxy, HCL, YAML, XML); what is common is
 * the policy: identifiers are reduced to a safe alphabet, free text goes only into
 * comments or quoted strings, and nothing from the design can end a line or a block.
 */
import { isHeaderFieldName } from '../model/header-fields.js';

/**
 * Free text for a one-line comment: control characters (newline, CR, tab, ...) are written
 * as escapes (`\n`, `\u0007`) and backslashes doubled, so the text can never end the
 * comment and start a directive.
 */
export function commentText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

/** A node's name for humans (comments, descriptions): `name (id)` or the id, escaped for one line. */
export function describeNode(node: { id: string; name?: string | undefined }): string {
  return commentText(node.name && node.name !== node.id ? `${node.name} (${node.id})` : node.id);
}

/** Whether text holds a control character (newline, NUL, ...) that no config value may carry. */
export function hasControlChars(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(text);
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The design's host pattern normalised (lower case, no trailing dot), or undefined when it
 * is not a DNS name or a `*.domain` wildcard: such a value cannot be a Host header, so a
 * rule on it is reported rather than written into a config.
 */
export function normaliseHostPattern(text: string): string | undefined {
  let host = text.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  const wildcard = host.startsWith('*.');
  const rest = wildcard ? host.slice(2) : host;
  if (rest.length === 0 || rest.length > 253) return undefined;
  if (!rest.split('.').every((label) => HOST_LABEL.test(label))) return undefined;
  return host;
}

/** Whether a host pattern (`*.example.com` or exact) matches a server name (exact or wildcard). */
export function hostPatternCovers(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1); // ".example.com"
  const bare = name.startsWith('*.') ? name.slice(1) : `.${name}`;
  return bare.endsWith(suffix) && bare.length > suffix.length;
}

/**
 * A URL path prefix every target can carry literally: `/` then RFC 3986 path characters,
 * minus the few that are syntax in some config language (`$ ; & ' ( )`). A request line
 * cannot carry spaces or control characters anyway, so refusing them loses nothing real.
 */
export function isSafePathPrefix(text: string): boolean {
  return /^\/[A-Za-z0-9\-._~!*+,=:@%/]*$/.test(text) && text.length <= 2048;
}

/** An HTTP header name (RFC 9110 token): the model's rule, which validate and the lab share. */
export const isHeaderName = isHeaderFieldName;

/**
 * Reduces text to an identifier alphabet: every character outside `allowed` becomes `_`,
 * and the result starts with a letter (prefixed with `prefix` otherwise).
 */
export function toIdentifier(text: string, allowed: RegExp, prefix = 'n'): string {
  let out = '';
  for (const ch of text) out += allowed.test(ch) ? ch : '_';
  if (!/^[A-Za-z]/.test(out)) out = `${prefix}_${out}`;
  return out;
}

/**
 * Hands out unique names: the first request for a base gets it as is, later distinct keys
 * get `base_2`, `base_3`, ... Keys are the design ids, so the same design gives the same names.
 */
export class NameAllocator {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(private readonly separator = '_') {}

  name(key: string, base: string): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${base}${this.separator}${n}`;
    this.used.add(candidate);
    this.byKey.set(key, candidate);
    return candidate;
  }
}
