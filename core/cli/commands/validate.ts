import type { Command } from 'commander';
import type { Diagnostic, Severity } from '../../validate/diagnostic.js';
import { EXIT } from '../exit.js';
import { readTopologyFile } from '../io.js';
import { callService } from '../service.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];
const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const STYLES = { error: 'red', warning: 'yellow', info: 'cyan' } as const;

/** `topolab validate FILE [--json]`: every diagnostic of a design; exit 1 when any is an error. */
export async function runValidate(file: string, options: { json?: boolean }, streams: CliStreams): Promise<void> {
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const { diagnostics } = await callService('validate', { topology: loaded.topology });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (options.json) writeJson(streams, { diagnostics });
  else streams.out(formatDiagnostics(file, diagnostics, streams.colour));
  streams.exitCode = errors > 0 ? EXIT.problems : EXIT.ok;
}

/** Human report: grouped by severity, each with code, message, nodes, path and fix, then a summary line. */
export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[], colour: boolean): string {
  const paint = paintWith(colour);
  const lines: string[] = [];
  for (const severity of ORDER) {
    const group = diagnostics.filter((d) => d.severity === severity);
    if (group.length === 0) continue;
    lines.push(paint(['bold', STYLES[severity]], `${HEADINGS[severity]} (${group.length})`));
    for (const d of group) {
      lines.push(`  ${paint(STYLES[severity], severity.padEnd(7))} ${paint('bold', d.code)}  ${d.message}`);
      const where = [d.nodeIds.length > 0 ? `nodes: ${d.nodeIds.join(', ')}` : '', d.path ? `at ${d.path}` : ''].filter(Boolean).join('  ');
      if (where) lines.push(`          ${paint('dim', where)}`);
      if (d.fix) lines.push(`          ${paint('green', `fix: ${d.fix.title}`)} ${paint('dim', `(${d.fix.nodeId}.${d.fix.field} = ${JSON.stringify(d.fix.value)})`)}`);
    }
    lines.push('');
  }
  const count = (severity: Severity): number => diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${file}: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
  lines.push(diagnostics.length === 0 ? paint('green', `${file}: no problems found`) : paint(count('error') > 0 ? 'red' : 'yellow', summary));
  return `${lines.join('\n')}\n`;
}

/** Registers `validate`. */
export function registerValidate(program: Command, streams: CliStreams): void {
  program
    .command('validate')
    .description('check a *.topolab.json design: address plan, containment and routing (exit 1 on errors)')
    .argument('<file>', 'the design file')
    .option('--json', 'print {"diagnostics":[...]} on one line')
    .action((file: string, options: { json?: boolean }) => runValidate(file, options, streams));
}
