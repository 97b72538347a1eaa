/**
 * The gateway's path patterns, one grammar for the validator, the lab and the exporters:
 *
 * - a pattern starts with `/` and is split into segments at `/`;
 * - a literal segment matches itself exactly (letters, digits and `-._~!$&'()+,;=:@`);
 * - `{name}` matches one non-empty segment and names it (`name`: a letter or `_`, then
 *   letters, digits, `_`, at most 32);
 * - `*`, only as the last segment, matches zero or more remaining segments (`/files/*`
 *   matches `/files`, `/files/` and `/files/a/b`).
 *
 * Requests are matched after the front end normalised their path (core/model/request-path.ts),
 * so a pattern holding what normalisation removes (`..`, `.`, `//`, `%`) could never match:
 * it is an error here. Pure.
 */

/** One segment of a pattern. */
export type PatternSegment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'wildcard' };

/** A parsed pattern and how specific it is. */
export interface PathPattern {
  source: string;
  segments: PatternSegment[];
  params: string[];
  wildcard: boolean;
}

/** A pattern, or why no request could ever match it. */
export type PatternResult = { ok: true; pattern: PathPattern } | { ok: false; problem: string };

const LITERAL = /^[A-Za-z0-9\-._~!$&'()+,;=:@]+$/;
const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]{0,31})\}$/;

/** Parses a path pattern by the grammar above. */
export function safeParsePathPattern(source: string): PatternResult {
  if (!source.startsWith('/')) return { ok: false, problem: `the pattern "${source}" does not start with "/"` };
  const parts = source === '/' ? [''] : source.slice(1).split('/');
  const segments: PatternSegment[] = [];
  const params: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    if (part === '') {
      if (last) {
        segments.push({ kind: 'literal', text: '' });
        continue;
      }
      return { ok: false, problem: `the pattern "${source}" has an empty segment ("//"), which request paths never have (slashes are merged)` };
    }
    if (part === '*') {
      if (!last) return { ok: false, problem: `"*" may only be the last segment of a pattern ("${source}")` };
      segments.push({ kind: 'wildcard' });
      continue;
    }
    const param = PARAM.exec(part);
    if (param) {
      const name = param[1] as string;
      if (params.includes(name)) return { ok: false, problem: `the pattern "${source}" names the parameter "{${name}}" twice` };
      params.push(name);
      segments.push({ kind: 'param', name });
      continue;
    }
    if (part.includes('{') || part.includes('}')) return { ok: false, problem: `"${part}" in "${source}" is not a parameter: write a whole segment as {name} (a letter or "_", then letters, digits, "_")` };
    if (part.includes('*')) return { ok: false, problem: `"${part}" in "${source}": "*" must be a whole segment, the last one` };
    if (part === '.' || part === '..') return { ok: false, problem: `the pattern "${source}" has a "${part}" segment, which request paths never have (dot segments are removed)` };
    if (part.includes('%')) return { ok: false, problem: `"${part}" in "${source}" holds "%": write the decoded character (request paths are normalised before matching)` };
    if (!LITERAL.test(part)) return { ok: false, problem: `"${part}" in "${source}" holds a character a path segment cannot have unescaped` };
    segments.push({ kind: 'literal', text: part });
  }
  return { ok: true, pattern: { source, segments, params, wildcard: segments.some((s) => s.kind === 'wildcard') } };
}

/** Like `safeParsePathPattern`, throwing on an impossible pattern. */
export function parsePathPattern(source: string): PathPattern {
  const result = safeParsePathPattern(source);
  if (!result.ok) throw new Error(result.problem);
  return result.pattern;
}

/** What a match captured: named parameters and the rest a `*` matched (without its leading `/`). */
export interface PatternMatch {
  params: Record<string, string>;
  rest: string | undefined;
}

/** Matches a normalised path (no query) against a pattern. */
export function matchPathPattern(pattern: PathPattern, path: string): PatternMatch | undefined {
  const parts = path === '/' ? [''] : path.slice(1).split('/');
  const params: Record<string, string> = {};
  const { segments } = pattern;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PatternSegment;
    if (segment.kind === 'wildcard') return { params, rest: parts.slice(i).join('/') };
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return parts.length === segments.length ? { params, rest: undefined } : undefined;
}

/**
 * How specific a pattern is, larger first: literal segments, then no wildcard, then the
 * number of segments. `/users/me` beats `/users/{id}`, which beats `/users/*`.
 */
export function patternSpecificity(pattern: PathPattern): [number, number, number] {
  const literals = pattern.segments.filter((s) => s.kind === 'literal' && s.text !== '').length;
  return [literals, pattern.wildcard ? 0 : 1, pattern.segments.length];
}

/** Problems of a rewrite template against its pattern: unknown `{params}`, a `*` the pattern lacks. */
export function rewriteProblems(template: string, pattern: PathPattern): string[] {
  const out: string[] = [];
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    const name = match[1] as string;
    if (!pattern.params.includes(name)) out.push(`the rewrite "${template}" uses "{${name}}", which the pattern "${pattern.source}" does not capture`);
  }
  if (/(^|\/)\*(\/|$)/.test(template) && !pattern.wildcard) out.push(`the rewrite "${template}" uses "*", but the pattern "${pattern.source}" has no "*"`);
  return out;
}

/** Fills a rewrite template with what a match captured (`*` gets the rest, empty when none). */
export function fillRewrite(template: string, match: PatternMatch): string {
  let out = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) => match.params[name] ?? '');
  out = out.replace(/(^|\/)\*(?=\/|$)/, (_all, lead: string) => `${lead}${match.rest ?? ''}`);
  out = out.replace(/\/{2,}/g, '/');
  return out === '' ? '/' : out;
}

/** Whether `prefix` is made of the pattern's first literal segments (so it can be stripped from every match). */
export function isLiteralPrefix(prefix: string, pattern: PathPattern): boolean {
  const parts = prefix === '/' ? [] : prefix.replace(/\/$/, '').slice(1).split('/');
  return parts.every((part, i) => {
    const segment = pattern.segments[i];
    return segment !== undefined && segment.kind === 'literal' && segment.text === part;
  });
}

/** A path with a literal prefix (whole segments) removed: `/api/users` less `/api` is `/users`. */
export function stripPathPrefix(path: string, prefix: string): string {
  const bare = prefix.replace(/\/$/, '');
  if (bare === '' || !(path === bare || path.startsWith(`${bare}/`))) return path;
  const rest = path.slice(bare.length);
  return rest === '' ? '/' : rest;
}
