import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseAddressPair } from '../../export/address-map.js';
import { EXPORT_DESCRIPTIONS, EXPORT_FORMATS, type ExportFile, type ExportFormat, type ExportReport } from '../../export/report.js';
import { EXIT } from '../exit.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';

/** Options of `topolab export`. */
export interface ExportCommandOptions {
  format: ExportFormat;
  out?: string;
  json?: boolean;
  map?: Record<string, string>;
  mapFile?: string;
  runDir?: string;
  nginxModule?: string[];
}

/**
 * `topolab export FILE --format F [--out DIR] [--json]`: without `--out` the files go to
 * stdout, each under a `==> path <==` header; with `--out` each is written atomically
 * (temp file + rename). `--json` prints `{"files":[{path,content}],"report":{...}}`.
 * The report (expressed / approximated / not expressible) goes to stderr otherwise.
 */
export async function runExport(file: string, options: ExportCommandOptions, streams: CliStreams): Promise<void> {
  const [{ readTopologyFile }, { callService }, { readMapFile, writeAtomically }] = await Promise.all([import('../io.js'), import('../service.js'), import('./export-files.js')]);
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const exportOptions: { addressMap?: Record<string, string>; runDir?: string; nginxModules?: string[] } = {};
  const addressMap = { ...(options.mapFile !== undefined ? await readMapFile(options.mapFile) : {}), ...(options.map ?? {}) };
  if (Object.keys(addressMap).length > 0) exportOptions.addressMap = addressMap;
  if (options.runDir !== undefined) exportOptions.runDir = options.runDir;
  if (options.nginxModule?.length) exportOptions.nginxModules = options.nginxModule;
  const result = await callService('export', { topology: loaded.topology, format: options.format, options: exportOptions });
  if (options.out !== undefined) {
    for (const entry of result.files) await writeAtomically(options.out, entry);
  }
  if (options.json) writeJson(streams, result);
  else if (options.out !== undefined) {
    for (const entry of result.files) streams.out(`wrote ${join(options.out, entry.path)}\n`);
    streams.err(formatReport(result.report, streams.colour));
  } else {
    streams.out(formatFiles(result.files));
    streams.err(formatReport(result.report, streams.colour));
  }
  streams.exitCode = EXIT.ok;
}

/** Files one after another, each under a `==> path <==` header (as `tail` prints several files). */
export function formatFiles(files: readonly ExportFile[]): string {
  return files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n');
}

/** The report for a person: counts, then every approximation and gap with its node. */
export function formatReport(report: ExportReport, colour: boolean): string {
  const paint = paintWith(colour);
  const lines = [
    `${paint('bold', report.format)}: ${report.expressed.length} expressed, ${report.approximated.length} approximated, ${report.notExpressible.length} not expressible`,
  ];
  const item = (entry: { nodeId?: string; feature: string; detail: string }): string => `${entry.nodeId !== undefined ? `${entry.nodeId}: ` : ''}${entry.feature}: ${entry.detail}`;
  for (const entry of report.approximated) lines.push(`  ${paint('yellow', 'approximated  ')} ${item(entry)}`);
  for (const entry of report.notExpressible) lines.push(`  ${paint('red', 'not expressible')} ${item(entry)}`);
  return `${lines.join('\n')}\n`;
}

function collectPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const parsed = parseAddressPair(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return { ...previous, ...parsed.map };
}

function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers `export`. */
export function registerExport(program: Command, streams: CliStreams): void {
  program
    .command('export')
    .description('write the design as nginx, HAProxy, Terraform, Compose, Kubernetes or draw.io files, with a report')
    .argument('<file>', 'the design file')
    .addOption(new Option('--format <format>', EXPORT_FORMATS.map((f) => `${f}: ${EXPORT_DESCRIPTIONS[f]}`).join('; ')).choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--out <dir>', 'write the files into this folder (atomically) instead of printing them')
    .option('--json', 'print {"files":[{"path","content"}],"report":{...}} on one line')
    .option('--map <designed=host:port>', 'use host:port wherever the design has this ip:port (repeatable), e.g. 10.0.1.11:80=127.0.0.1:8081', collectPair)
    .option('--map-file <file>', 'an address map: {"ip:port":"host:port"} or the output of `topolab up --json`')
    .option('--run-dir <dir>', 'nginx: a folder for pid, logs, temp and cache files, to run the config as an ordinary user')
    .option('--nginx-module <path>', 'nginx: load this dynamic module first (repeatable), e.g. /usr/lib/nginx/modules/ngx_stream_module.so', collectList)
    .action((file: string, options: ExportCommandOptions) => runExport(file, options, streams));
}
