#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { EXIT } from './exit.js';
import { VERSION } from './version.js';

/** Builds the `topolab` program; separate from running it so tests can drive it in-process. */
export function buildProgram(): Command {
  const program = new Command('topolab')
    .description('Design, check, export and run networks on loopback.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; usage mistakes exit 2, like an unreadable file.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.unreadable;
      return;
    }
    process.stderr.write(`topolab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.unreadable;
  }
}

await main();
