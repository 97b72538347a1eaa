import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseAddressPair } from '../../export/address-map.js';
import { EXPORT_DESCRIPTIONS, EXPORT_FORMATS, type ExportFile, type ExportFormat, type ExportReport, type ReportEntry } from '../../export/report.js';
import type { Topology } from '../../model/types.js';
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
  listen?: 'designed' | 'loopback';
  listenPort?: Record<string, number>;
  force?: boolean;
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
  const exportOptions: { addressMap?: Record<string, string>; runDir?: string; nginxModules?: string[]; listen?: { mode: 'loopback'; ports?: Record<string, number> }; certDir?: string } = {};
  // Nodes with TLS: the project's CA and certificates (made on first use), named by absolute path in the configs.
  const certDir = await ensureExportCertificates(file, loaded.topology);
  if (certDir !== undefined) exportOptions.certDir = certDir;
  const addressMap = { ...(options.mapFile !== undefined ? await readMapFile(options.mapFile) : {}), ...(options.map ?? {}) };
  if (Object.keys(addressMap).length > 0) exportOptions.addressMap = addressMap;
  if (options.runDir !== undefined) exportOptions.runDir = options.runDir;
  if (options.nginxModule?.length) exportOptions.nginxModules = options.nginxModule.filter((m) => m !== '');
  if (options.listenPort !== undefined && options.listen !== 'loopback') throw new CliFailure('--listen-port needs --listen loopback', EXIT.unreadable);
  if (options.listen === 'loopback') exportOptions.listen = { mode: 'loopback', ...(options.listenPort ? { ports: options.listenPort } : {}) };
  const result = await callService('export', { topology: loaded.topology, format: options.format, options: exportOptions });
  const unmapped = result.report.notExpressible.filter((e) => e.feature === 'loopback-endpoint');
  if (unmapped.length > 0) {
    // A loopback export that connects to designed addresses would not run as-is: say what is missing instead.
    throw new CliFailure(`--listen loopback: ${unmapped.map((e) => `${e.nodeId ?? ''}: ${e.detail}`).join('; ')}`, EXIT.unreadable);
  }
  const errors = result.report.errors ?? [];
  if (errors.length > 0 && options.force !== true) {
    // A design that cannot work as drawn gives configs that cannot either (a /12 subnet fails
    // terraform plan): name every error, write nothing, exit 1; --force exports it anyway.
    if (options.json) writeJson(streams, { files: [], report: result.report });
    streams.err(formatRefusal(file, errors, streams.colour));
    streams.exitCode = EXIT.problems;
    return;
  }
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

/** The report for a person: counts, then every design error, approximation and gap with its node and what to do. */
export function formatReport(report: ExportReport, colour: boolean): string {
  const paint = paintWith(colour);
  const errors = report.errors ?? [];
  const lines = [
    `${paint('bold', report.format)}: ${report.expressed.length} expressed, ${report.approximated.length} approximated, ${report.notExpressible.length} not expressible${errors.length > 0 ? `, ${errors.length} design error${errors.length === 1 ? '' : 's'} (exported with --force)` : ''}`,
  ];
  for (const entry of errors) lines.push(...reportLine(paint('red', 'design error   '), entry, paint));
  for (const entry of report.approximated) lines.push(...reportLine(paint('yellow', 'approximated   '), entry, paint));
  for (const entry of report.notExpressible) lines.push(...reportLine(paint('red', 'not expressible'), entry, paint));
  return `${lines.join('\n')}\n`;
}

/** Why an export was refused: every design error with its node and fix. */
export function formatRefusal(file: string, errors: readonly ReportEntry[], colour: boolean): string {
  const paint = paintWith(colour);
  const lines = [paint(['bold', 'red'], `${file}: not exported: the design has ${errors.length} error${errors.length === 1 ? '' : 's'} (topolab validate lists them; --force exports anyway)`)];
  for (const entry of errors) lines.push(...reportLine(paint('red', 'error'), entry, paint));
  return `${lines.join('\n')}\n`;
}

function reportLine(label: string, entry: ReportEntry, paint: ReturnType<typeof paintWith>): string[] {
  const line = `  ${label} ${entry.nodeId !== undefined ? `${entry.nodeId}: ` : ''}${entry.feature}: ${entry.detail}`;
  return entry.action !== undefined ? [line, `    ${paint('green', `what to do: ${entry.action}`)}`] : [line];
}

function collectPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const parsed = parseAddressPair(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return { ...previous, ...parsed.map };
}

function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function collectPort(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const match = /^([A-Za-z0-9][A-Za-z0-9._:-]{0,127})=(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new InvalidArgumentError(`"${value}" is not NODE=PORT (e.g. web-lb=8080)`);
  return { ...previous, [match[1] as string]: port };
}

/** Registers `export`. */
export function registerExport(program: Command, streams: CliStreams): void {
  program
    .command('export')
    .description('write the design as nginx, HAProxy, Terraform, Compose, Kubernetes, draw.io or BIND zone files, with a report (exit 1 naming the errors of a design that has any, unless --force)')
    .argument('<file>', 'the design file')
    .addOption(new Option('--format <format>', EXPORT_FORMATS.map((f) => `${f}: ${EXPORT_DESCRIPTIONS[f]}`).join('; ')).choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--out <dir>', 'write the files into this folder (atomically) instead of printing them')
    .option('--json', 'print {"files":[{"path","content"}],"report":{...}} on one line')
    .option('--map <designed=host:port>', 'use host:port wherever the design has this ip:port (repeatable), e.g. 10.0.1.11:80=127.0.0.1:8081', collectPair)
    .option('--map-file <file>', 'an address map: {"ip:port":"host:port"} or the output of `topolab up --json`')
    .option('--run-dir <dir>', 'nginx: a folder for pid, logs, temp and cache files, to run the config as an ordinary user')
    .option('--nginx-module <path>', 'nginx: load this dynamic module first (repeatable; default Debian\'s stream module when a layer-4 balancer needs it; "" loads none)', collectList)
    .addOption(new Option('--listen <mode>', 'designed: listen on the designed addresses; loopback: on 127.0.0.1 in front of a running lab (upstreams from --map-file / --map)').choices(['designed', 'loopback']))
    .option('--force', 'export a design that has errors (by default: exit 1 naming them, nothing written); the report lists them')
    .option('--listen-port <node=port>', 'with --listen loopback: the port a node listens on (repeatable; others get the next free one from 8080)', collectPort)
    .action((file: string, options: ExportCommandOptions) => runExport(file, options, streams));
}

/** Makes (or reuses) the certificates of every host name the design's HTTPS listeners serve; their folder, or undefined without TLS. */
async function ensureExportCertificates(file: string, topology: Topology): Promise<string | undefined> {
  const { tlsHostNames, TLS_FILES } = await import('../../model/tls-hosts.js');
  // A layer-4 balancer's tls never runs (validate refuses it): certify only what the configs serve.
  const hosts = [...new Set(topology.nodes.flatMap((node) => (node.kind === 'load-balancer' && node.layer === 4 ? [] : tlsHostNames(topology, node))))];
  if (hosts.length === 0) return undefined;
  const { ensureAuthority, ensureLeaves } = await import('../../runtime/tls/authority.js');
  const folder = dirname(resolve(file));
  try {
    await ensureLeaves(folder, await ensureAuthority(folder), hosts);
  } catch (error) {
    throw new CliFailure(`cannot make the certificates under ${folder}/.topolab: ${(error as Error).message}`, EXIT.unreadable);
  }
  return join(folder, TLS_FILES.certsDir);
}
