import { importAws, importTerraform, ImportInputError, MAX_IMPORT_FILE_BYTES, type BuiltDesign } from '../../import/index.js';
import { formatLoadError, safeParseTopology } from '../../model/load.js';
import { validateTopology } from '../../validate/index.js';
import type { Diagnostic } from '../../validate/diagnostic.js';
import { EXIT } from '../exit.js';
import { readBoundedText, writeFileAtomically } from '../import-files.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';
import type { ImportOptions } from './import.js';

/**
 * Runs an import: exit 0 imported, 1 imported but the design has errors (the real
 * network's problems, or a design the model refuses), 2 unreadable input (file and JSON path).
 */
export async function runImport(source: 'aws' | 'terraform', files: readonly string[], options: ImportOptions, streams: CliStreams): Promise<void> {
  const inputs = [];
  for (const name of files) inputs.push({ name, text: await readBoundedText(name, MAX_IMPORT_FILE_BYTES) });
  let built: BuiltDesign;
  try {
    built = source === 'aws' ? importAws(inputs) : importTerraform(inputs[0] as { name: string; text: string });
  } catch (error) {
    if (error instanceof ImportInputError) throw new CliFailure(error.message, EXIT.unreadable);
    throw error;
  }
  const text = `${JSON.stringify(built.topology, null, 2)}\n`;
  // The design is checked as any file is when opened: schema, references, then the validator.
  const loaded = safeParseTopology(text);
  const diagnostics: Diagnostic[] = loaded.ok ? validateTopology(loaded.topology) : [];
  const problems = loaded.ok ? diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`) : [formatLoadError(loaded.error)];
  if (options.out !== undefined) await writeFileAtomically(options.out, text);
  const nodes = built.topology.nodes.length;
  if (options.json) {
    writeJson(streams, { design: options.out ?? built.topology, nodes, ignored: built.ignored });
  } else {
    if (options.out === undefined) streams.out(text);
    const report = formatImportReport(built, diagnostics, problems, options.out, streams.colour);
    if (options.out === undefined) streams.err(report);
    else streams.out(report);
  }
  streams.exitCode = problems.length > 0 ? EXIT.problems : EXIT.ok;
}

/** The readable summary: what was imported, where each node listens and why, what was left out, the design's problems. */
export function formatImportReport(built: BuiltDesign, diagnostics: readonly Diagnostic[], problems: readonly string[], out: string | undefined, colour: boolean): string {
  const paint = paintWith(colour);
  const counts = new Map<string, number>();
  for (const node of built.topology.nodes) counts.set(node.kind, (counts.get(node.kind) ?? 0) + 1);
  const lines = [
    `${paint('bold', `imported ${built.topology.nodes.length} nodes`)}${out !== undefined ? ` into ${out}` : ''}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'}; ${built.topology.edges.length} edges`,
  ];
  if (built.ports.length > 0) {
    lines.push(paint('bold', 'Listening ports'));
    for (const p of built.ports) lines.push(`  ${p.nodeId}: ${p.port} (${p.source})`);
  }
  if (built.ignored.length > 0) {
    lines.push(paint('bold', `Ignored (${built.ignored.length})`));
    for (const i of built.ignored) lines.push(`  ${paint('yellow', i.type)} ${i.id}: ${i.reason}`);
  }
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length > 0) {
    lines.push(paint('bold', `Warnings (${warnings.length})`));
    for (const d of warnings) lines.push(`  ${d.code}: ${d.message}`);
  }
  if (problems.length > 0) {
    lines.push(paint(['bold', 'red'], `Errors (${problems.length})`));
    for (const p of problems) lines.push(`  ${p}`);
  }
  return `${lines.join('\n')}\n`;
}
