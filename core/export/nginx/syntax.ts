/**
 * nginx value syntax. nginx splits on whitespace, `;`, `{` and `}` outside quotes; inside
 * double quotes `\"` and `\\` are escapes; and in directives that take variables a `$`
 * starts one, with no escape at all. A literal `$` is therefore written as `${dollar}`,
 * a variable that a `geo` block (see `DOLLAR_GEO`) sets to "$" - the usual workaround.
 */

/** Set to true by `quote` when a value needed `${dollar}`, so the renderer adds the geo block. */
export interface QuoteState {
  needsDollar: boolean;
}

/** Defines `$dollar` for literal dollar signs in values that expand variables. */
export const DOLLAR_GEO = 'geo $dollar { default "$"; }';

/**
 * A value as one nginx token: bare when it is plainly safe, else double-quoted with `\`
 * and `"` escaped; with `variables`, `$` becomes `${dollar}` so it is never a variable.
 * Callers reject control characters before (a quoted newline would be legal but confusing).
 */
export function quote(value: string, variables: boolean, state: QuoteState): string {
  if (/^[A-Za-z0-9_\-./:,=@+]+$/.test(value)) return value;
  let out = '';
  for (const ch of value) {
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '$' && variables) {
      out += '${dollar}';
      state.needsDollar = true;
    } else out += ch;
  }
  return `"${out}"`;
}

/** Milliseconds as an nginx time: `30s` when whole seconds, else `1500ms`. */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Bytes as an nginx size: `10m`, `512k` or plain bytes. */
export function size(bytes: number): string {
  if (bytes > 0 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}m`;
  if (bytes > 0 && bytes % 1024 === 0) return `${bytes / 1024}k`;
  return String(bytes);
}
