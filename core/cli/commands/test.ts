import type { Command } from 'commander';
import { ApiError } from '../../api/contract/errors.js';
import type { ScenarioRunResult } from '../../runtime/scenario/run.js';
import { EXIT } from '../exit.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';
import { startLab, untilStopped } from './lab-shared.js';

/** Options of `topolab test`, as commander hands them over. */
export interface TestCommandOptions {
  scenario?: string[];
  json?: boolean;
  allowCommands?: boolean;
}

/**
 * `topolab test FILE [--scenario NAME]...`: runs the design's scenarios headless, each on a
 * freshly started lab (so one scenario's faults never leak into the next), and exits 0
 * when every assertion of every scenario holds, 1 when one fails, 2 when the file cannot
 * be read or names no such scenario. A design without scenarios passes with a note.
 */
export async function runTestCommand(file: string, options: TestCommandOptions, streams: CliStreams, signal?: AbortSignal): Promise<void> {
  const [{ readTopologyFile }, { createService }] = await Promise.all([import('../io.js'), import('../../api/service.js')]);
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const all = loaded.topology.scenarios ?? [];
  const wanted = options.scenario ?? [];
  for (const name of wanted) {
    if (!all.some((s) => s.name === name)) {
      const known = all.map((s) => `"${s.name}"`).join(', ');
      throw new CliFailure(`${file} has no scenario "${name}"${known ? ` (it has ${known})` : ' (it has none)'}`, EXIT.unreadable);
    }
  }
  const selected = wanted.length > 0 ? all.filter((s) => wanted.includes(s.name)) : all;
  const paint = paintWith(streams.colour);
  if (selected.length === 0) {
    if (options.json) writeJson(streams, { passed: true, scenarios: [] });
    else streams.out(`${file}: no scenarios to run\n`);
    streams.exitCode = EXIT.ok;
    return;
  }
  const results: ScenarioRunResult[] = [];
  // Ctrl+C closes the scenario's service (which stops its lab and cancels the traffic) and
  // runs no further scenario.
  let current: ReturnType<typeof createService> | undefined;
  let interrupted = false;
  const stopped = untilStopped(signal);
  void stopped.done.then(() => {
    interrupted = true;
    return current?.close();
  });
  try {
    for (const scenario of selected) {
      if (interrupted) break;
      if (!options.json) streams.out(`${paint('bold', scenario.name)}${scenario.description ? ` - ${scenario.description}` : ''}\n`);
      current = createService();
      try {
        await startLab(current, loaded.topology, { allowCommands: options.allowCommands === true });
        const result = await current.call('lab.scenario', { name: scenario.name });
        // A run cut short by Ctrl+C measured nothing worth reporting.
        if (interrupted) break;
        results.push(result);
        if (!options.json) streams.out(formatScenario(result, paint));
      } catch (error) {
        if (interrupted) break;
        if (error instanceof ApiError) throw new CliFailure(`scenario "${scenario.name}": ${error.message}`, EXIT.problems);
        throw error;
      } finally {
        await current.close();
      }
    }
  } finally {
    stopped.dispose();
  }
  if (interrupted) throw new CliFailure(`interrupted after ${results.length} of ${selected.length} scenarios`, EXIT.problems);
  const passed = results.every((r) => r.passed);
  if (options.json) writeJson(streams, { passed, scenarios: results });
  else {
    const failed = results.filter((r) => !r.passed).length;
    streams.out(`\n${passed ? paint('green', `${results.length} passed`) : paint('red', `${failed} failed`)}${passed ? '' : `, ${results.length - failed} passed`} (${results.length} scenario${results.length === 1 ? '' : 's'})\n`);
  }
  streams.exitCode = passed ? EXIT.ok : EXIT.problems;
}

/** One scenario's timeline, traffic and assertions, for a terminal. */
export function formatScenario(result: ScenarioRunResult, paint: ReturnType<typeof paintWith>): string {
  const lines: string[] = [];
  for (const event of result.events) {
    lines.push(`  ${String(event.atSeconds).padStart(5)} s  ${event.action} ${event.node}: ${event.ok ? event.outcome : paint('red', event.outcome)}`);
  }
  const load = result.load;
  const statuses = Object.entries(load.status).map(([code, n]) => `${code}: ${n}`).join(', ');
  lines.push(`  traffic: ${load.requests} requests, ${load.rps} req/s, p99 ${load.latency.p99} ms (${statuses})`);
  for (const assertion of result.assertions) {
    const mark = assertion.passed ? paint('green', 'pass') : paint('red', 'FAIL');
    lines.push(`  ${mark}  ${assertion.description}: ${assertion.observed}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Registers `test`. */
export function registerTest(program: Command, streams: CliStreams): void {
  program
    .command('test')
    .description("run the design's scenarios (traffic with a timeline of faults) headless and check their assertions; exit 0 when all hold")
    .argument('<file>', 'the design file')
    .option('--scenario <name>', 'run only this scenario (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--allow-commands', "run the design's user commands (servers with a `command`); refused without it")
    .option('--json', 'print {passed, scenarios: [...]} on one line')
    .action((file: string, options: TestCommandOptions) => runTestCommand(file, options, streams));
}
