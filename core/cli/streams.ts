import { styleText } from 'node:util';
import { useColour } from './output.js';

type Style = Parameters<typeof styleText>[0];

/**
 * Where a command writes and how it reports its exit code. The process binding writes to
 * stdout/stderr; tests pass a recording one, so every command runs in-process exactly as
 * it runs from a shell.
 */
export interface CliStreams {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout may be coloured (a TTY without NO_COLOR, or FORCE_COLOR). */
  readonly colour: boolean;
  /** The exit code the command asks for; the last one set wins. */
  exitCode: number;
}

/** Streams bound to this process: stdout, stderr and `process.exitCode`. */
export function processStreams(): CliStreams {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    colour: useColour(process.stdout),
    get exitCode() {
      return typeof process.exitCode === 'number' ? process.exitCode : 0;
    },
    set exitCode(code: number) {
      process.exitCode = code;
    },
  };
}

/** A painter for one colour decision: identity when colour is off. */
export function paintWith(colour: boolean): (style: Style, text: string) => string {
  return (style, text) => (colour ? styleText(style, text) : text);
}

/** Writes one JSON value on one line: the stable `--json` output. */
export function writeJson(streams: CliStreams, value: unknown): void {
  streams.out(`${JSON.stringify(value)}\n`);
}

/**
 * A failure the user can fix (unreadable file, bad flag, unknown node): printed as
 * `topolab: message` without a stack trace, with its exit code (2 unless told).
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
