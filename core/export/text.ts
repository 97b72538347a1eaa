/** Builds indented config text line by line; every target's writer shares it. */
export class ConfigWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  constructor(
    private readonly indentUnit = '    ',
    private readonly commentPrefix = '#',
  ) {}

  /** One line at the current depth (an empty string gives an empty line). */
  line(text: string): this {
    this.lines.push(text === '' ? '' : this.indentUnit.repeat(this.depth) + text);
    return this;
  }

  /** A comment line; the caller passes text already made safe with `commentText`. */
  comment(text: string): this {
    return this.line(`${this.commentPrefix} ${text}`.trimEnd());
  }

  blank(): this {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    return this;
  }

  /** Opens a block: `header {` and one level deeper. */
  open(header: string): this {
    this.line(`${header} {`);
    this.depth++;
    return this;
  }

  close(): this {
    this.depth = Math.max(0, this.depth - 1);
    return this.line('}');
  }

  indent(): this {
    this.depth++;
    return this;
  }

  dedent(): this {
    this.depth = Math.max(0, this.depth - 1);
    return this;
  }

  /** The text with one final newline and no trailing blank lines. */
  toString(): string {
    const out = [...this.lines];
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return `${out.join('\n')}\n`;
  }
}
