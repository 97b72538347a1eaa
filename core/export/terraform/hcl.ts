/**
 * A small HCL writer in `terraform fmt` style: two-space indent, `=` aligned within a run
 * of one-line attributes, a blank line between blocks. Values are built with `str` (a
 * quoted, escaped literal), `ref` (an expression we wrote ourselves), lists and maps, so
 * text from the design can only ever land inside a quoted string.
 */

/** An HCL expression as text; only `str`, `ref`, `num`, `bool`, `list` and `map` make them. */
export interface Expr {
  readonly text: string;
  /** True when the text spans several lines (a map): it ends an alignment run. */
  readonly multiline: boolean;
}

/**
 * A quoted string literal. `\`, `"` and control characters are escaped, and `${` / `%{`
 * are doubled (`$${`, `%%{`) so a design value can never start an interpolation or directive.
 */
export function str(value: string): Expr {
  // Most values (ids, CIDRs, names) need no escape at all.
  // eslint-disable-next-line no-control-regex
  if (/^[^"\\\u0000-\u001f\u007f${%]*$/.test(value)) return { text: `"${value}"`, multiline: false };
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  out = out.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
  return { text: `"${out}"`, multiline: false };
}

/** An expression written by the exporter itself (a reference such as `aws_vpc.main.id`). */
export function ref(expression: string): Expr {
  return { text: expression, multiline: false };
}

/** A number literal. */
export function num(value: number): Expr {
  return { text: String(value), multiline: false };
}

/** A boolean literal. */
export function bool(value: boolean): Expr {
  return { text: value ? 'true' : 'false', multiline: false };
}

/** A one-line list: `[a, b]`. */
export function list(items: readonly Expr[]): Expr {
  return { text: `[${items.map((i) => i.text).join(', ')}]`, multiline: false };
}

/** A map over several lines, keys quoted when they are not plain identifiers. */
export function map(entries: readonly [string, Expr][], depth: number): Expr {
  if (entries.length === 0) return { text: '{}', multiline: false };
  const pad = '  '.repeat(depth + 1);
  const keys = entries.map(([k]) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : str(k).text));
  const width = Math.max(...keys.map((k) => k.length));
  const lines = entries.map(([, v], i) => `${pad}${(keys[i] as string).padEnd(width)} = ${v.text}`);
  return { text: `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`, multiline: true };
}

type Entry = { kind: 'attr'; key: string; value: Expr } | { kind: 'block'; block: Block } | { kind: 'comment'; text: string };

/** One HCL block: `type "label" "label" { ... }`. */
export class Block {
  private readonly entries: Entry[] = [];

  constructor(
    readonly type: string,
    readonly labels: readonly string[] = [],
  ) {}

  attr(key: string, value: Expr | undefined): this {
    if (value !== undefined) this.entries.push({ kind: 'attr', key, value });
    return this;
  }

  /** Adds a nested block and returns it. */
  block(type: string, labels: readonly string[] = []): Block {
    const block = new Block(type, labels);
    this.entries.push({ kind: 'block', block });
    return block;
  }

  /** A comment line (the caller passes text made safe with `commentText`). */
  comment(text: string): this {
    this.entries.push({ kind: 'comment', text });
    return this;
  }

  /** The block as text at a nesting depth. */
  render(depth = 0): string {
    const pad = '  '.repeat(depth);
    const head = [this.type, ...this.labels.map((l) => str(l).text)].join(' ');
    const body: string[] = [];
    let run: { key: string; value: Expr }[] = [];
    const flush = (): void => {
      // As `terraform fmt`: a run of attributes aligns its `=`, a multi-line value ends the run.
      const width = Math.max(0, ...run.map((a) => a.key.length));
      for (const a of run) body.push(`${pad}  ${a.key.padEnd(width)} = ${a.value.text}`);
      run = [];
    };
    let previous: Entry['kind'] | undefined;
    for (const entry of this.entries) {
      if (entry.kind === 'attr') {
        // A multi-line value (tags) stands apart after a blank line, as hand-written HCL does.
        if (previous === 'block' || (entry.value.multiline && previous === 'attr')) {
          flush();
          body.push('');
        }
        run.push({ key: entry.key, value: entry.value });
        if (entry.value.multiline) flush();
      } else if (entry.kind === 'comment') {
        flush();
        body.push(`${pad}  # ${entry.text}`);
      } else {
        flush();
        if (previous !== undefined && previous !== 'comment') body.push('');
        body.push(entry.block.render(depth + 1));
      }
      previous = entry.kind;
    }
    flush();
    return `${pad}${head} {\n${body.join('\n')}${body.length > 0 ? '\n' : ''}${pad}}`;
  }
}

/** Blocks separated by blank lines, with a final newline. */
export function renderFile(header: readonly string[], blocks: readonly Block[]): string {
  const parts = [...(header.length > 0 ? [header.map((h) => `# ${h}`).join('\n')] : []), ...blocks.map((b) => b.render())];
  return `${parts.join('\n\n')}\n`;
}
