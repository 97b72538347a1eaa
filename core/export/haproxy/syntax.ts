/**
 * HAProxy value syntax. Words are split on spaces like a shell; inside single quotes
 * nothing is special (no `\` escapes, no `${ENV}` expansion), so free text goes in single
 * quotes with a `'` written as `'\''`. Header values are log-format strings as well, where
 * `%` starts a sample expression, so a literal `%` is written `%%`.
 */

/** Single-quotes a value for any directive argument. */
export function quoteWord(value: string): string {
  if (/^[A-Za-z0-9_\-./:,=@+]+$/.test(value)) return value;
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** A literal string for a log-format argument (set-header values): `%` doubled, then quoted. */
export function quoteLogFormat(value: string): string {
  return quoteWord(value.replace(/%/g, '%%'));
}

/** Escapes a literal for a PCRE regular expression (replace-path). */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (ch) => `\\${ch}`);
}

/** Milliseconds as an HAProxy time: `5s` when whole seconds, else `1500ms`. */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * A regex matching the status codes of a range such as `200-399`, grouped by hundreds and
 * tens so it stays short: `^(2[0-9][0-9]|3[0-9][0-9])$`.
 */
export function statusRangeRegex(range: string): string {
  const [lo, hi] = range.includes('-') ? range.split('-').map(Number) : [Number(range), Number(range)];
  const parts: string[] = [];
  let code = lo as number;
  const end = hi as number;
  while (code <= end) {
    if (code % 100 === 0 && code + 99 <= end) {
      parts.push(`${code / 100}[0-9][0-9]`);
      code += 100;
    } else if (code % 10 === 0 && code + 9 <= end) {
      parts.push(`${code / 10}[0-9]`);
      code += 10;
    } else {
      parts.push(String(code));
      code += 1;
    }
  }
  return `^(${parts.join('|')})$`;
}
