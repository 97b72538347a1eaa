import { runCli } from '../../core/cli/program.js';
import type { CliStreams } from '../../core/cli/streams.js';

/** What one in-process `topolab` run printed, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `topolab ...args` in-process (argument parsing included, no colour) and records its output. */
export async function runTopolab(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const streams: CliStreams = { out: (t) => void (out += t), err: (t) => void (err += t), colour: false, exitCode: 0 };
  const code = await runCli(['node', 'topolab', ...args], streams);
  return { code, out, err };
}
