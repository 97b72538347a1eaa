#!/usr/bin/env node
/**
 * The CLI on the compiled modules (and, under tsx, on the sources). The installed
 * `topolab` command is bin.cjs, which runs the one-file build of the same code.
 */
import { runCli } from './program.js';
import { processStreams } from './streams.js';

process.exitCode = await runCli(process.argv, processStreams());
