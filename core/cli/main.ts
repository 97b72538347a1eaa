#!/usr/bin/env node
import { runCli } from './program.js';
import { processStreams } from './streams.js';

export { buildProgram, runCli } from './program.js';

process.exitCode = await runCli(process.argv, processStreams());
