import { writeSync } from 'node:fs';
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
  /**
   * Optional: the command has written everything and needs nothing more, so the process may
   * end now with `exitCode`. The process binding then exits at once when all its output went
   * out synchronously (else it lets the process end as usual, once the stream has drained):
   * after a big `validate` the runtime would otherwise wait for the compiler and GC tasks
   * still queued on its worker threads, then tear a 150 MB heap down. Tests' streams leave it out.
   */
  end?(): void;
}

/**
 * Streams bound to this process: stdout, stderr and `process.exitCode`. Output goes to the
 * file descriptors directly (writes to pipes and files are synchronous on Linux either way),
 * so a short command never builds the `process.stdout` stream machinery (a tenth of its
 * start-up). A descriptor that refuses a write for now (a non-blocking pipe, EAGAIN) is
 * handed to `process.stdout` / `process.stderr` for good, which wait for it; once the
 * reader is gone (EPIPE) further output is dropped, as `head` expects.
 */
export function processStreams(): CliStreams {
  const viaStream = new Set<number>();
  const closed = new Set<number>();
  const write = (fd: 1 | 2, text: string): void => {
    if (closed.has(fd) || text.length === 0) return;
    let rest: string | Buffer = text;
    if (!viaStream.has(fd)) {
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed.add(fd);
          return;
        }
        if (code !== 'EAGAIN') throw error;
        viaStream.add(fd);
        rest = bytes.subarray(offset);
      }
    }
    (fd === 1 ? process.stdout : process.stderr).write(rest);
  };
  let colour: boolean | undefined;
  return {
    out: (text) => write(1, text),
    err: (text) => write(2, text),
    get colour() {
      return (colour ??= useColour(1));
    },
    get exitCode() {
      return typeof process.exitCode === 'number' ? process.exitCode : 0;
    },
    set exitCode(code: number) {
      process.exitCode = code;
    },
    end() {
      // Everything written so far is with the kernel: nothing to flush.
      if (viaStream.size === 0) process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
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
