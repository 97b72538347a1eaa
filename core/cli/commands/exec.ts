import type { Command } from 'commander';
import { EXIT } from '../exit.js';
import { CliFailure, type CliStreams } from '../streams.js';

/**
 * `topolab exec FILE NODE -- CMD ARGS...`: runs a command inside NODE's network namespace
 * of the kernel lab running FILE (`topolab up FILE --mode netns`), and exits with the
 * command's exit code. Exit 1 when no such lab runs, 2 for an unknown node or no command.
 */
export async function runExec(file: string, node: string, command: string[], streams: CliStreams): Promise<void> {
  // Loaded on use: every other command starts without the design loader.
  const [{ ExecError, execInLab, runningLabOf }, { readTopologyFile }] = await Promise.all([import('../../runtime/kernel/exec.js'), import('../io.js')]);
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const record = runningLabOf(loaded.topology);
  if (!record) throw new CliFailure(`no kernel lab of ${file} is running: start one with \`topolab up ${file} --mode netns\``, EXIT.problems);
  try {
    streams.exitCode = await execInLab(record, node, command, streams);
  } catch (error) {
    if (error instanceof ExecError) throw new CliFailure(error.message, error.code);
    throw error;
  }
}

/** Registers `exec`. */
export function registerExec(program: Command, streams: CliStreams): void {
  program
    .command('exec')
    .description("run a command inside a node's network namespace of the running kernel lab (topolab up FILE --mode netns); exit code passed through")
    .argument('<file>', 'the design file the lab runs')
    .argument('<node>', 'the node (or auto-scaling instance, asg#2) to run as')
    .argument('<command...>', 'the command and its arguments, after --')
    .action((file: string, node: string, command: string[]) => runExec(file, node, command, streams));
}
