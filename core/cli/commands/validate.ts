import type { Command } from 'commander';
import { diagnosticLocation, type Diagnostic, type Severity } from '../../validate/diagnostic.js';
import { EXIT } from '../exit.js';
import { CliFailure, paintWith, type CliStreams } from '../streams.js';

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];
const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const STYLES = { error: 'red', warning: 'yellow', info: 'cyan' } as const;

/** About this many characters go out per write: 100,000 warnings print as they are formatted, never as one 25 MB string. */
const CHUNK = 64 * 1024;

/**
 * `topolab validate FILE [--json]`: every diagnostic of a design; exit 1 when any is an
 * error. Runs the engine function behind the service's `validate` directly on the file it
 * has just loaded: the service would check the same (possibly 100,000) nodes against the
 * schema a second time.
 */
export async function runValidate(file: string, options: { json?: boolean }, streams: CliStreams): Promise<void> {
  const [{ loadTopologyFile }, { validateTopology }] = await Promise.all([import('../io.js'), import('../../validate/index.js')]);
  // Validate reads fields by name and never writes the design out: the file's field order will do.
  const loaded = await loadTopologyFile(file, { keyOrder: 'file' });
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const diagnostics = validateTopology(loaded.topology, loaded.positions ? { positions: loaded.positions, ...(loaded.parents ? { parents: loaded.parents } : {}) } : {});
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (options.json) writeDiagnosticsJson(diagnostics, (text) => streams.out(text));
  else writeDiagnostics(file, diagnostics, streams.colour, (text) => streams.out(text));
  streams.exitCode = errors > 0 ? EXIT.problems : EXIT.ok;
}

/**
 * `{"diagnostics":[...]}` and a newline, byte for byte what `JSON.stringify({ diagnostics })`
 * gives (the `--json` contract), handed to `write` in chunks of whole diagnostics: 100,000
 * warnings never become one 30 MB string and its 30 MB copy in UTF-8.
 */
export function writeDiagnosticsJson(diagnostics: readonly Diagnostic[], write: (text: string) => void): void {
  let chunk = '{"diagnostics":[';
  for (let i = 0; i < diagnostics.length; i++) {
    chunk += i === 0 ? JSON.stringify(diagnostics[i]) : `,${JSON.stringify(diagnostics[i])}`;
    if (chunk.length >= CHUNK) {
      write(chunk);
      chunk = '';
    }
  }
  write(`${chunk}]}\n`);
}

/** Human report: grouped by severity, each with code, message, nodes, path and fix, then a summary line. */
export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[], colour: boolean): string {
  let out = '';
  writeDiagnostics(file, diagnostics, colour, (text) => (out += text));
  return out;
}

/** The human report, handed to `write` in chunks of whole lines. */
function writeDiagnostics(file: string, diagnostics: readonly Diagnostic[], colour: boolean, write: (text: string) => void): void {
  const paint = paintWith(colour);
  const groups: Record<Severity, Diagnostic[]> = { error: [], warning: [], info: [] };
  // Indexed loops: `for...of` allocates per step where this runs unoptimized (100,000 warnings).
  for (let i = 0; i < diagnostics.length; i++) groups[diagnostics[i]!.severity].push(diagnostics[i]!);
  let chunk = '';
  const line = (text: string): void => {
    chunk += `${text}\n`;
    if (chunk.length >= CHUNK) {
      write(chunk);
      chunk = '';
    }
  };
  for (const severity of ORDER) {
    const group = groups[severity];
    if (group.length === 0) continue;
    line(paint(['bold', STYLES[severity]], `${HEADINGS[severity]} (${group.length})`));
    const label = paint(STYLES[severity], severity.padEnd(7));
    for (let i = 0; i < group.length; i++) {
      const d = group[i]!;
      line(`  ${label} ${paint('bold', d.code)}  ${d.message}`);
      const nodes = d.nodeIds.length > 0 ? `nodes: ${d.nodeIds.join(', ')}` : '';
      const at = diagnosticLocation(d);
      const where = nodes && at ? `${nodes}  at ${at}` : nodes || (at ? `at ${at}` : '');
      if (where) line(`          ${paint('dim', where)}`);
      if (d.fix) line(`          ${paint('green', `fix: ${d.fix.title}`)} ${paint('dim', `(${d.fix.nodeId}.${d.fix.field} = ${JSON.stringify(d.fix.value)})`)}`);
    }
    line('');
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const [errors, warnings, infos] = [groups.error.length, groups.warning.length, groups.info.length];
  const summary = `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info`;
  line(diagnostics.length === 0 ? paint('green', `${file}: no problems found`) : paint(errors > 0 ? 'red' : 'yellow', summary));
  write(chunk);
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
