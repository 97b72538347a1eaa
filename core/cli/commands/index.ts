import type { Command } from 'commander';
import type { CliStreams } from '../streams.js';
import { registerCa } from './ca.js';
import { registerExec } from './exec.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerInfo } from './info.js';
import { registerLoad } from './load.js';
import { registerPlan } from './plan.js';
import { registerServe } from './serve.js';
import { registerTest } from './test.js';
import { registerTrace } from './trace.js';
import { registerUp } from './up.js';
import { registerValidate } from './validate.js';

/**
 * Adds one subcommand to the program. One file per command under commands/. Commands
 * write through `streams` (stdout, stderr, exit code) so tests can run them in-process.
 */
export type RegisterCommand = (program: Command, streams: CliStreams) => void;

/** Every subcommand, in the order `topolab --help` lists them. */
export const COMMANDS: RegisterCommand[] = [registerValidate, registerPlan, registerTrace, registerInfo, registerExport, registerImport, registerServe, registerUp, registerExec, registerLoad, registerTest, registerCa];
