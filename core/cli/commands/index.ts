import type { Command } from 'commander';

/** Adds one subcommand to the program. One file per command under commands/. */
export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `topolab --help` lists them. */
export const COMMANDS: RegisterCommand[] = [];
