import type { Command } from 'commander';
import { diagnosticLocation, type Diagnostic, type Severity } from '../../validate/diagnostic.js';
import { diagnosticList, type DiagnosticList } from '../../validate/findings.js';
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
export async function runValidate(file: string, options: { json?: boolean; all?: boolean }, streams: CliStreams): Promise<void> {
  const [{ loadTopologyFile }, { validateTopologyList }] = await Promise.all([import('../io.js'), import('../../validate/index.js')]);
  // Validate reads fields by name and never writes the design out: the file's field order will do.
  const loaded = await loadTopologyFile(file, { keyOrder: 'file' });
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  // A list read one at a time: a finding reported once per subnet is built when it is written (or not at all, where the report groups it).
  const { positions, parents, references } = loaded;
  const diagnostics = validateTopologyList(loaded.topology, positions ? { positions, ...(parents ? { parents } : {}), ...(references ? { references } : {}) } : {});
  const severities = diagnostics.severities();
  let errors = 0;
  for (let i = 0; i < severities.length; i++) if (severities[i] === 'error') errors++;
  if (options.json) writeDiagnosticsJson(diagnostics, (text) => streams.out(text));
  else writeDiagnostics(file, diagnostics, streams.colour, (text) => streams.out(text), { all: options.all === true });
  streams.exitCode = errors > 0 ? EXIT.problems : EXIT.ok;
  // Nothing follows a validation: end the process now rather than wait for the runtime's teardown.
  streams.end?.();
}

/**
 * `{"diagnostics":[...]}` and a newline, byte for byte what `JSON.stringify({ diagnostics })`
 * gives (the `--json` contract), handed to `write` in chunks of whole diagnostics: 100,000
 * warnings never become one 30 MB string and its 30 MB copy in UTF-8.
 */
export function writeDiagnosticsJson(diagnostics: readonly Diagnostic[] | DiagnosticList, write: (text: string) => void): void {
  const list = listOf(diagnostics);
  let chunk = '{"diagnostics":[';
  for (let i = 0; i < list.length; i++) {
    chunk += i === 0 ? JSON.stringify(list.at(i)) : `,${JSON.stringify(list.at(i))}`;
    if (chunk.length >= CHUNK) {
      write(chunk);
      chunk = '';
    }
  }
  write(`${chunk}]}\n`);
}

/**
 * The human report groups a code with more than this many findings of one severity (a
 * plan without route tables has a `route-table-missing` per subnet: 100,000 of them are
 * 28 MB that nobody reads through): its first `GROUP_SHOWN` in full, then one line with the count
 * of the rest and the first nodes they are about. `--all` prints every one, `--json` lists
 * every one; the counts in the headings and the summary line are always of all of them.
 */
export const GROUP_OVER = 100;
/** How many findings of a grouped code the report prints in full. */
export const GROUP_SHOWN = 20;
/** How many nodes the line of a grouped code names. */
export const GROUP_NODES = 10;

/** Options of the human report. */
export interface ReportOptions {
  /** Print every diagnostic in full, however many of a code there are (`--all`). */
  all?: boolean;
}

/** Human report: grouped by severity, each with code, message, nodes, path and fix, then a summary line. */
export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[] | DiagnosticList, colour: boolean, options: ReportOptions = {}): string {
  let out = '';
  writeDiagnostics(file, diagnostics, colour, (text) => (out += text), options);
  return out;
}

/** One code's findings in one severity section of the report. */
interface Tally {
  count: number;
  /** How many went out in full. */
  shown: number;
  rest: Hidden | undefined;
}

/** The findings of one code that the report does not print in full. */
interface Hidden {
  code: Diagnostic['code'];
  count: number;
  /** The first node of each of the first GROUP_NODES of them, without repeats. */
  nodes: string[];
}

/** The human report, handed to `write` in chunks of whole lines. */
export function writeDiagnostics(file: string, diagnostics: readonly Diagnostic[] | DiagnosticList, colour: boolean, write: (text: string) => void, options: ReportOptions = {}): void {
  const list = listOf(diagnostics);
  const paint = paintWith(colour);
  // Severity -> positions in `list` (sorted by severity already, but the report does not rely on it).
  const groups: Record<Severity, number[]> = { error: [], warning: [], info: [] };
  // Plain arrays and indexed loops: this walks 100,000 warnings once, mostly unoptimized,
  // where a call per step or `for...of` (an iterator result per step) cost a tenth of the run.
  const severities = list.severities();
  const codes = list.codes();
  for (let i = 0; i < severities.length; i++) groups[severities[i]!].push(i);
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
    // Code -> how many of it this section holds, how many went out in full, and the rest. A
    // code usually comes in runs: its tally is looked up only when the code changes.
    const tallies = new Map<string, Tally>();
    const hidden: Hidden[] = [];
    let last = '';
    let tally: Tally = { count: 0, shown: 0, rest: undefined };
    if (options.all !== true) {
      for (let i = 0; i < group.length; i++) {
        const code = codes[group[i]!]!;
        if (code !== last) {
          last = code;
          const known = tallies.get(code);
          if (known) tally = known;
          else tallies.set(code, (tally = { count: 0, shown: 0, rest: undefined }));
        }
        tally.count++;
      }
    }
    last = '';
    for (let i = 0; i < group.length; i++) {
      const code = codes[group[i]!]!;
      if (code !== last) {
        last = code;
        tally = tallies.get(code) ?? { count: 0, shown: 0, rest: undefined };
      }
      if (tally.count > GROUP_OVER) {
        if (tally.shown >= GROUP_SHOWN) {
          let rest = tally.rest;
          if (!rest) hidden.push((rest = tally.rest = { code, count: 0, nodes: [] }));
          rest.count++;
          // Only the first few hidden ones are built, for their first node.
          if (rest.count <= GROUP_NODES) {
            const first = list.at(group[i]!).nodeIds[0];
            if (first !== undefined && !rest.nodes.includes(first)) rest.nodes.push(first);
          }
          continue;
        }
        tally.shown++;
      }
      const d = list.at(group[i]!);
      line(`  ${label} ${paint('bold', d.code)}  ${d.message}`);
      const nodes = d.nodeIds.length > 0 ? `nodes: ${d.nodeIds.join(', ')}` : '';
      const at = diagnosticLocation(d);
      const where = nodes && at ? `${nodes}  at ${at}` : nodes || (at ? `at ${at}` : '');
      if (where) line(`          ${paint('dim', where)}`);
      if (d.fix) line(`          ${paint('green', `fix: ${d.fix.title}`)} ${paint('dim', `(${d.fix.nodeId}.${d.fix.field} = ${JSON.stringify(d.fix.value)})`)}`);
    }
    for (const rest of hidden) {
      const total = rest.count + GROUP_SHOWN;
      line(`  ${label} ${paint('bold', rest.code)}  ${rest.count} more not shown (${total} in all, the first ${GROUP_SHOWN} above; --all or --json lists every one)`);
      if (rest.nodes.length > 0) line(`          ${paint('dim', `first nodes: ${rest.nodes.join(', ')}${rest.count > rest.nodes.length ? ', ...' : ''}`)}`);
    }
    line('');
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const [errors, warnings, infos] = [groups.error.length, groups.warning.length, groups.info.length];
  const summary = `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info`;
  line(diagnostics.length === 0 ? paint('green', `${file}: no problems found`) : paint(errors > 0 ? 'red' : 'yellow', summary));
  write(chunk);
}

function listOf(diagnostics: readonly Diagnostic[] | DiagnosticList): DiagnosticList {
  return Array.isArray(diagnostics) ? diagnosticList(diagnostics) : (diagnostics as DiagnosticList);
}

/** Registers `validate`. */
export function registerValidate(program: Command, streams: CliStreams): void {
  program
    .command('validate')
    .description('check a *.topolab.json design: address plan, containment and routing (exit 1 on errors)')
    .argument('<file>', 'the design file')
    .option('--json', 'print {"diagnostics":[...]} on one line (always every diagnostic)')
    .option('--all', `print every diagnostic in full (the report shows the first ${GROUP_SHOWN} of a code that has more than ${GROUP_OVER}, then counts the rest)`)
    .action((file: string, options: { json?: boolean; all?: boolean }) => runValidate(file, options, streams));
}
