// What a header a design asks a proxy rule to set may look like. A header whose name is
// not an RFC 9110 token, or whose value holds CR, LF, NUL or another control character,
// cannot exist on the wire: Node refuses to send it (the lab would answer 500 on every
// request), nginx and HAProxy would need it escaped into something else. One predicate
// here, used by validate (the `header-invalid` error), the lab's planner (a design started
// without validation still fails at start, never per request) and every export.

/** An HTTP field name: an RFC 9110 token (5.1), at most 128 characters. */
export function isHeaderFieldName(text: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/.test(text);
}

/**
 * An HTTP field value every target can carry literally: visible ASCII and spaces (RFC 9110
 * 5.5 field-vchar and SP). CR, LF and NUL are forbidden by RFC 9110 5.5; other control
 * characters, tab included, and non-ASCII text (obs-text, which Node sends as Latin-1 and
 * nginx as UTF-8) are refused too, so the lab and both exports send the same bytes.
 */
export function isHeaderFieldValue(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** One header of a reverse-proxy rule that cannot be sent. */
export interface HeaderFieldProblem {
  /** Index of the rule in `rules`. */
  rule: number;
  field: 'requestHeaders' | 'responseHeaders';
  name: string;
  /** Why, for a person: which part is wrong and what is allowed. */
  reason: string;
}

type HeaderRule = { requestHeaders?: Readonly<Record<string, string>> | undefined; responseHeaders?: Readonly<Record<string, string>> | undefined };

/** Every header of `rules` whose name or value cannot be sent, in rule order. */
export function headerFieldProblems(rules: readonly HeaderRule[] | undefined): HeaderFieldProblem[] {
  const out: HeaderFieldProblem[] = [];
  (rules ?? []).forEach((rule, index) => {
    for (const field of ['requestHeaders', 'responseHeaders'] as const) {
      for (const [name, value] of Object.entries(rule[field] ?? {})) {
        const reason = !isHeaderFieldName(name)
          ? "the name is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~, 1 to 128 characters)"
          : !isHeaderFieldValue(value)
            ? 'the value holds a character a header cannot carry (CR, LF, NUL, another control character or non-ASCII text; RFC 9110 5.5)'
            : undefined;
        if (reason !== undefined) out.push({ rule: index, field, name, reason });
      }
    }
  });
  return out;
}

/** The message of a `header-invalid` problem for the proxy labelled `label`. */
export function headerFieldMessage(label: string, problem: HeaderFieldProblem): string {
  const direction = problem.field === 'requestHeaders' ? 'request' : 'response';
  return `Reverse proxy ${label} rule ${problem.rule + 1} sets ${direction} header ${JSON.stringify(problem.name)}, which cannot be sent: ${problem.reason}`;
}

/** The JSON path segment of a header key: `.name` for an identifier, `["..."]` otherwise. */
export function headerKeyPath(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
