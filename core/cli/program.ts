import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { EXIT } from './exit.js';
import { CliFailure, processStreams, type CliStreams } from './streams.js';
import { VERSION } from './version.js';

/** Builds the `topolab` program; separate from running it so tests can drive it in-process. */
export function buildProgram(streams: CliStreams = processStreams()): Command {
  const program = new Command('topolab')
    .description('Design, check, export and run networks on loopback.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => streams.out(text), writeErr: (text) => streams.err(text) });
  program.exitOverride();
  for (const register of COMMANDS) register(program, streams);
  return program;
}

/**
 * Runs the program on an argv (`[node, script, ...args]`) and returns the exit code.
 * No error escapes as a stack trace: usage mistakes and unreadable input exit 2 with a
 * one-line `topolab: ...` message.
 */
export async function runCli(argv: readonly string[], streams: CliStreams = processStreams()): Promise<number> {
  try {
    await buildProgram(streams).parseAsync([...argv]);
    return streams.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; usage mistakes exit 2, like an unreadable file.
      return error.exitCode === 0 ? EXIT.ok : EXIT.unreadable;
    }
    const message = error instanceof Error ? error.message : String(error);
    streams.err(`topolab: ${message}\n`);
    return error instanceof CliFailure ? error.exitCode : EXIT.unreadable;
  }
}
